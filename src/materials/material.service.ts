import type { AuditRepository } from '../audit/audit.repository.js';
import { requirePrincipal, requireRole, type Principal } from '../auth/principal.js';
import { ChangeFeed } from '../core/db/change-feed.js';
import type { Db, Tx } from '../core/db/client.js';
import type { MaterialStatus } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { materialTopic, type PublicCache } from '../core/public-cache.js';
import type { Queue } from '../core/queue/queue.js';
import type { QcService } from '../media/qc.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { OrgRepository } from '../orgs/org.repository.js';
import type { ReviewRepository } from '../review/review.repository.js';
import { computeStages } from '../review/stages.js';
import { MaterialChangedJob } from '../publishing/youtube/jobs/material-changed.job.js';
import { IndexMaterialJob } from '../search/jobs/index-material.job.js';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.js';
import { MaterialAccess } from './material-access.js';
import type { FileProcessing, Material, MaterialRepository, MaterialVersion, VersionFile } from './material.repository.js';

export interface MaterialFields {
  title: string;
  description?: string | null;
  type: string;
  level: string;
  grades: number[];
  subject: string;
  series?: string | null;
  topic?: string | null;
  license: string;
  language?: string;
}

export type MaterialPatch = Partial<Omit<MaterialFields, 'type'>>;

/** States in which a material's working version takes changes (fields, files). */
export const EDITABLE: readonly MaterialStatus[] = ['draft', 'changes_requested'];

/** The columns of a version its editors may change; the rest (number, stages, state, dates) belong to the workflow. */
const EDITABLE_FIELDS = ['title', 'description', 'level', 'grades', 'subject', 'series', 'topic', 'license', 'language'] as const satisfies readonly (keyof MaterialPatch)[];

/** A file as the API shows it; media files carry the state of their processing. */
export function presentFile(file: VersionFile & { processing?: FileProcessing }) {
  const base = { id: file.id, name: file.name, size: file.size, sha256: file.sha256, mime: file.mime };
  if (!file.processing) return base;
  const { state, progress, error } = file.processing;
  return { ...base, processing: { state, progress, ...(error ? { error } : {}) } };
}

/** Whether every file's processing has ended (or never applied): until then a view changes as it runs. */
function settled(files: ReturnType<typeof presentFile>[]): boolean {
  return files.every((file) => !('processing' in file) || file.processing.state === 'ready' || file.processing.state === 'failed');
}

type PresentedMaterial = Awaited<ReturnType<MaterialService['present']>>;
type PublicView = { shown: PresentedMaterial; province: { code: string; name: string } | null };

export class MaterialService {
  constructor(
    private readonly db: Db,
    private readonly materials: MaterialRepository,
    private readonly access: MaterialAccess,
    private readonly orgs: OrgRepository,
    private readonly reviews: ReviewRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly audit: AuditRepository,
    private readonly queue: Queue,
    private readonly qc: QcService,
    private readonly cache: PublicCache,
    private readonly notifications: NotificationService,
  ) {}

  async create(principal: Principal | null, input: MaterialFields) {
    const actor = requireRole(principal, 'contributor');
    this.taxonomy.validate(input);
    const grades = [...new Set(input.grades)].sort((a, b) => a - b);
    const { material } = await this.db.transaction(async (tx) => {
      const created = await this.materials.insert(
        { ownerId: actor.id, orgId: actor.orgId, type: input.type },
        { version: 1, title: input.title, description: input.description ?? null, level: input.level, grades, subject: input.subject,
          series: input.series ?? null, topic: input.topic ?? null, license: input.license, language: input.language ?? 'vi' },
        tx.db,
      );
      await this.audit.record({ actorId: actor.id, action: 'created', materialId: created.material.id, version: 1 }, tx.db);
      return created;
    });
    return this.present(material, actor);
  }

  /** Loads a material the caller may change, in a state that allows `action`. */
  async editable(principal: Principal | null, id: string, action: string, allowed: readonly MaterialStatus[] = EDITABLE) {
    const actor = requirePrincipal(principal);
    const material = await this.materials.find(id);
    if (!material) throw AppError.notFound('material');
    if (!(await this.access.canEdit(actor, material))) {
      throw (await this.access.canSeeWorking(actor, material)) ? new AppError('FORBIDDEN') : this.hidden(material);
    }
    if (!allowed.includes(material.status)) throw new AppError('INVALID_STATE', { action, status: material.status });
    const version = (await this.materials.version(material.id, material.version))!;
    return { actor, material, version };
  }

  /** Refusal for a caller who may not act on the material: 403 if it is public, else 404 (its existence is private). */
  private hidden(material: Material): AppError {
    return MaterialAccess.isPublic(material) ? new AppError('FORBIDDEN') : AppError.notFound('material');
  }

  async update(principal: Principal | null, id: string, patch: MaterialPatch) {
    const { actor, material, version } = await this.editable(principal, id, 'sửa');
    const changes = Object.fromEntries(EDITABLE_FIELDS.filter((field) => patch[field] !== undefined).map((field) => [field, patch[field]])) as MaterialPatch;
    // An empty patch changes nothing (and there is no empty UPDATE).
    if (Object.keys(changes).length === 0) return this.get(actor, id);
    this.taxonomy.validate({ ...version, ...changes, type: material.type });
    if (changes.grades) changes.grades = [...new Set(changes.grades)].sort((a, b) => a - b);
    await this.db.transaction(async (tx) => {
      await this.materials.updateVersion(version.id, changes, tx.db);
      await this.materials.update(material.id, {}, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'updated', materialId: material.id, version: material.version, data: { fields: Object.keys(changes) } }, tx.db);
    });
    return this.get(actor, id);
  }

  /**
   * The material as the caller may read it: its editors and reviewers the working version, everyone
   * else the published one, which is served from memory (no query for an anonymous reader).
   */
  async get(principal: Principal | null, id: string) {
    if (!principal) return (await this.publicView(id)).shown;
    const material = await this.materials.find(id);
    if (!material) throw AppError.notFound('material');
    if (!(await this.access.canSeeWorking(principal, material))) return (await this.publicView(id)).shown;
    return this.present(material, principal);
  }

  /**
   * The caller's own materials, every state, paged: the workspace's list (GET /api/v1/materials?mine=true
   * and /cua-toi). In review, each says where it waits; sent back, the reviewer's comment.
   */
  async mine(principal: Principal | null, filter: { status?: MaterialStatus; limit: number; offset: number }) {
    const actor = requirePrincipal(principal);
    const { total, rows } = await this.materials.listOwned(actor.id, filter);
    return {
      total,
      items: rows.map(({ waitingAt, changesRequested, ...row }) => ({
        ...row,
        ...(row.status === 'in_review' && waitingAt ? { waitingAt } : {}),
        ...(row.status === 'changes_requested' && changesRequested ? { changesRequested } : {}),
      })),
    };
  }

  /**
   * The published version as the public page shows it, whoever asks: what anonymous readers get
   * from the API, plus the province (Sở GDĐT) above the contributor's school. Unpublished: 404.
   */
  async published(id: string) {
    const { shown, province } = await this.publicView(id);
    return { ...shown, province };
  }

  /**
   * What the public sees of a material, kept by the public cache until its topic changes
   * (publication, archiving) or the entry expires; a view whose files are still processing is
   * read afresh each time.
   */
  private async publicView(id: string): Promise<PublicView> {
    const key = `material-view:${id}`;
    const cached = this.cache.get<PublicView>(key);
    if (cached) return cached;
    const ticket = this.cache.ticket();
    const material = await this.materials.find(id);
    if (!material || !MaterialAccess.isPublic(material)) throw AppError.notFound('material');
    const [shown, chain] = await Promise.all([this.present(material, null), this.orgs.ancestors(material.orgId)]);
    const province = chain.find((org) => org.kind === 'province');
    const view = { shown, province: province ? { code: province.code, name: province.name } : null };
    if (settled(shown.files)) this.cache.set(key, view, [materialTopic(id)], ticket);
    return view;
  }

  /** Every process forgets what it showed of the material, once the transaction that changed it commits. */
  private async announceChange(tx: Tx, id: string): Promise<void> {
    await ChangeFeed.announce(tx.db, materialTopic(id));
    tx.afterCommit(() => this.cache.invalidate(materialTopic(id)));
  }

  /**
   * The material and the version the caller may read (the working one for its editors and
   * reviewers, else the published one), without the files and names the API page adds.
   */
  async readable(principal: Principal | null, id: string): Promise<{ material: Material; version: MaterialVersion; working: boolean }> {
    const material = await this.materials.find(id);
    if (!material) throw AppError.notFound('material');
    return this.readableVersion(material, principal);
  }

  private async readableVersion(material: Material, principal: Principal | null) {
    const working = await this.access.canSeeWorking(principal, material);
    if (!working && !MaterialAccess.isPublic(material)) throw AppError.notFound('material');
    const version = (await this.materials.version(material.id, working ? material.version : material.publishedVersion!))!;
    return { material, version, working };
  }

  private async present(material: Material, principal: Principal | null) {
    const { version, working } = await this.readableVersion(material, principal);
    const shown = version.version;
    const files = await this.materials.files(version.id);
    const { orgCode, orgName, ownerName } = await this.materials.orgAndOwner(material);
    return {
      id: material.id,
      status: working ? material.status : 'published',
      version: shown,
      publishedVersion: material.publishedVersion,
      type: material.type,
      title: version.title,
      description: version.description,
      level: version.level,
      grades: version.grades,
      subject: version.subject,
      series: version.series,
      topic: version.topic,
      license: version.license,
      language: version.language,
      org: { code: orgCode, name: orgName },
      owner: { displayName: ownerName },
      createdAt: material.createdAt,
      updatedAt: material.updatedAt,
      publishedAt: version.publishedAt,
      downloadCount: material.downloadCount,
      files: files.map(presentFile),
      ...(working ? { stages: version.stages ?? [] } : {}),
    };
  }

  /** Sends the working version for review; `note` is the contributor's answer to the last round's reviewers. */
  async submit(principal: Principal | null, id: string, note: string | null = null) {
    const { actor, material, version } = await this.editable(principal, id, 'gửi thẩm định');
    const files = await this.materials.files(version.id);
    // A question bank's content is its questions; every other material's is its files.
    if (material.type === 'question-bank' ? (await this.materials.questionCount(version.id)) === 0 && files.length === 0 : files.length === 0) {
      throw new AppError(material.type === 'question-bank' ? 'NO_QUESTIONS' : 'NO_FILES');
    }
    if (material.type === 'tv-lesson' && this.qc.blocksSubmission) await this.requireQcNotFailed(files.map((f) => f.sha256));
    const ancestors = await this.orgs.ancestors(material.orgId);
    const departments = await this.orgs.departmentsWithScope();
    const stages = computeStages(ancestors, departments, version);
    if (!stages) throw new AppError('NO_REVIEW_DEPARTMENT', { level: version.level, subject: version.subject });
    await this.db.transaction(async (tx) => {
      const locked = await this.materials.find(id, tx.db, { forUpdate: true });
      if (!locked || !EDITABLE.includes(locked.status)) throw new AppError('INVALID_STATE', { action: 'gửi thẩm định', status: locked?.status ?? 'unknown' });
      await this.materials.updateVersion(version.id, { stages, submittedAt: new Date() }, tx.db);
      await this.materials.update(material.id, { status: 'in_review' }, tx.db);
      const roundId = await this.reviews.openRound({ materialId: material.id, version: material.version, versionId: version.id, submittedBy: actor.id, note }, tx.db);
      await this.reviews.open({ materialId: material.id, version: material.version, roundId, stage: stages[0]! }, tx.db);
      await this.notifications.taskQueued(tx, { orgId: stages[0]!.orgId, materialId: material.id, ownerId: material.ownerId, title: version.title });
      await this.audit.record({ actorId: actor.id, action: 'submitted', materialId: material.id, version: material.version, data: { stages: stages.map((s) => s.orgCode), ...(note ? { note } : {}) } }, tx.db);
    });
    return { id: material.id, status: 'in_review' as const, version: material.version, stages };
  }

  /** A TV lesson whose technical check failed goes back to its author, with the findings. */
  private async requireQcNotFailed(sha256s: string[]): Promise<void> {
    const failing = [...(await this.qc.views(sha256s)).values()]
      .flatMap((view) => (view.state === 'ready' ? view.report.checks.filter((c) => c.status === 'fail') : []));
    if (failing.length) throw new AppError('QC_FAILED', { findings: failing.map((c) => c.message).join(' ') }, failing);
  }

  /** Starts working version n+1 of a published material; version n stays public until n+1 is approved. */
  async revise(principal: Principal | null, id: string) {
    const { actor, material, version } = await this.editable(principal, id, 'tạo phiên bản mới', ['published', 'rejected']);
    if (material.publishedVersion === null) throw new AppError('INVALID_STATE', { action: 'tạo phiên bản mới', status: material.status });
    const next = material.version + 1;
    await this.db.transaction(async (tx) => {
      await this.materials.copyVersion(version, next, tx.db);
      await this.materials.update(material.id, { version: next, status: 'draft' }, tx.db);
      await this.audit.record({ actorId: actor.id, action: 'revised', materialId: material.id, version: next, data: { from: version.version } }, tx.db);
    });
    return this.get(actor, id);
  }

  async archive(principal: Principal | null, id: string) {
    const { actor, material } = await this.editable(principal, id, 'lưu trữ', ['draft', 'in_review', 'changes_requested', 'rejected', 'published']);
    await this.db.transaction(async (tx) => {
      await this.reviews.withdrawOpen(material.id, tx.db);
      await this.materials.update(material.id, { status: 'archived' }, tx.db);
      await this.announceChange(tx, material.id);
      await this.audit.record({ actorId: actor.id, action: 'archived', materialId: material.id, version: material.version }, tx.db);
      await this.queue.enqueue(tx, IndexMaterialJob.queue, { materialId: material.id });
      await this.queue.enqueue(tx, MaterialChangedJob.queue, { materialId: material.id });
    });
    return this.get(actor, id);
  }

  /** Publishes the working version (the last review stage approved it). */
  async publish(tx: Tx, material: Material, actorId: string): Promise<void> {
    const version = (await this.materials.version(material.id, material.version, tx.db))!;
    await this.materials.updateVersion(version.id, { publishedAt: new Date() }, tx.db);
    await this.materials.update(material.id, { status: 'published', publishedVersion: material.version }, tx.db);
    await this.announceChange(tx, material.id);
    await this.audit.record({ actorId, action: 'published', materialId: material.id, version: material.version }, tx.db);
    await this.queue.enqueue(tx, IndexMaterialJob.queue, { materialId: material.id });
    // Channels that show an earlier version on YouTube follow the new one.
    await this.queue.enqueue(tx, MaterialChangedJob.queue, { materialId: material.id });
  }

  async history(principal: Principal | null, id: string) {
    const material = await this.materials.find(id);
    if (!material) throw AppError.notFound('material');
    requirePrincipal(principal);
    // The trail names people: only those who may see the working version read it.
    if (!(await this.access.canSeeWorking(principal, material))) throw this.hidden(material);
    const events = await this.audit.forMaterial(id);
    return { items: events.map((e) => ({ id: e.id, at: e.at, action: e.action, version: e.version, actor: e.actor, details: e.data })) };
  }
}

