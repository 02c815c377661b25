import { AuditRepository } from './audit/audit.repository.js';
import { AuthService } from './auth/auth.service.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { LoginThrottleRepository } from './auth/login-throttle.repository.js';
import { SessionRepository } from './auth/session.repository.js';
import { CollectionService } from './collections/collection.service.js';
import type { Config } from './core/config.js';
import { Db } from './core/db/client.js';
import { Queue } from './core/queue/queue.js';
import { createStorage, type ObjectStorage } from './core/storage/index.js';
import { FileService } from './files/file.service.js';
import { JOBS } from './jobs.js';
import { DocumentRepository } from './documents/document.repository.js';
import { DocumentService } from './documents/document.service.js';
import { ImageRepository } from './media/image.repository.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaService } from './media/media.service.js';
import { PackageRepository } from './packages/package.repository.js';
import { PackageService } from './packages/package.service.js';
import { Mailer } from './core/mail.js';
import { NotificationRepository } from './notifications/notification.repository.js';
import { NotificationService } from './notifications/notification.service.js';
import { QcService } from './media/qc.service.js';
import { ExamRepository } from './exams/exam.repository.js';
import { ExamService } from './exams/exam.service.js';
import { QuestionAssetStore } from './questions/question-asset.store.js';
import { QuestionRepository } from './questions/question.repository.js';
import { QuestionService } from './questions/question.service.js';
import { DEFAULT_QC_PROFILE, type QcProfile } from './media/qc-profile.js';
import { resolveSecretKey } from './core/secret.js';
import { PostgresLocker } from './uploads/postgres-locker.js';
import { createUploadStore, type UploadStore } from './uploads/upload-store.js';
import { MaterialAccess } from './materials/material-access.js';
import { MaterialRepository } from './materials/material.repository.js';
import { MaterialService } from './materials/material.service.js';
import { OrgRepository } from './orgs/org.repository.js';
import { OrgService } from './orgs/org.service.js';
import { OrgTransferRepository } from './orgs/org-transfer.repository.js';
import { OrgTransferService } from './orgs/org-transfer.service.js';
import { AuditService } from './audit/audit.service.js';
import { AuditLogRepository } from './audit/audit-log.repository.js';
import { JobsAdminService } from './jobs-admin/jobs-admin.service.js';
import { ReviewRepository } from './review/review.repository.js';
import { ReviewService } from './review/review.service.js';
import { createSearchBackend } from './search/index.js';
import type { SearchBackend } from './search/search-backend.js';
import { SearchDocumentSource } from './search/search-documents.js';
import { SearchService } from './search/search.service.js';
import { TaxonomyService } from './taxonomy/taxonomy.service.js';
import { UserRepository } from './users/user.repository.js';
import { UserService } from './users/user.service.js';
import { PasswordResetRepository } from './users/password-reset.repository.js';
import { PasswordResetService } from './users/password-reset.service.js';
import { UserImportService } from './users/user-import.service.js';
import { BroadcastRepository } from './publishing/broadcast/broadcast.repository.js';
import { BroadcastService } from './publishing/broadcast/broadcast.service.js';
import { SecretBox } from './core/crypto.js';
import { ChangeFeed } from './core/db/change-feed.js';
import { PublicCache } from './core/public-cache.js';
import { ChannelService } from './publishing/youtube/channel.service.js';
import { ExportRunner } from './publishing/youtube/export-runner.js';
import { ExportService } from './publishing/youtube/export.service.js';
import { YouTubeRepository } from './publishing/youtube/youtube.repository.js';

/** Everything a process needs, wired once: infrastructure, repositories, services. */
export interface AppContext {
  config: Config;
  db: Db;
  storage: ObjectStorage;
  queue: Queue;
  /** What routes and pages search with; `searchIndex` is its backend, which jobs write to. */
  search: SearchService;
  searchIndex: SearchBackend;
  searchDocuments: SearchDocumentSource;
  taxonomy: TaxonomyService;
  orgs: OrgService;
  orgTransfers: OrgTransferService;
  audit: AuditService;
  jobsAdmin: JobsAdminService;
  users: UserService;
  notifications: NotificationService;
  passwordResets: PasswordResetService;
  userImport: UserImportService;
  userRepository: UserRepository;
  auth: AuthService;
  materials: MaterialService;
  files: FileService;
  reviews: ReviewService;
  collections: CollectionService;
  media: MediaService;
  documents: DocumentService;
  qc: QcService;
  questions: QuestionService;
  exams: ExamService;
  broadcast: BroadcastService;
  youtubeChannels: ChannelService;
  youtubeExports: ExportService;
  youtubeRunner: ExportRunner;
  mediaRepository: MediaRepository;
  /** Interactive packages (SCORM, HTML5, H5P): checking, the content origin's lookups, learners' attempts. */
  packages: PackageService;
  secretKey: string;
  uploads: { store: UploadStore; locker: PostgresLocker };
  /** What anonymous readers are shown, kept in memory; `changes` (started by the HTTP app) evicts it in every process. */
  publicCache: PublicCache;
  changes: ChangeFeed;
  close(): Promise<void>;
}

export async function createContext(config: Config, databaseUrl: string, options: { log?: (error: Error) => void } = {}): Promise<AppContext> {
  const db = new Db(databaseUrl);
  const storage = await createStorage(config.storage);
  const queue = new Queue(databaseUrl, config.queue, options.log);
  const searchIndex = await createSearchBackend(config.search, db.db);
  const audit = new AuditRepository(db.db);
  const orgRepository = new OrgRepository(db.db);
  const userRepository = new UserRepository(db.db);
  const sessionRepository = new SessionRepository(db.db);
  const materialRepository = new MaterialRepository(db.db);
  const reviewRepository = new ReviewRepository(db.db);
  const taxonomy = new TaxonomyService(db.db);
  const orgs = new OrgService(db, orgRepository, audit, taxonomy);
  const access = new MaterialAccess(orgs, reviewRepository);
  const mediaRepository = new MediaRepository(db.db);
  const qc = new QcService(db, storage, queue, {
    profile: { ...DEFAULT_QC_PROFILE, ...config.qc.profileOverrides } as QcProfile,
    blocksSubmission: config.qc.blocksSubmission,
    stallSeconds: config.media.stallSeconds,
    ffmpegPath: config.media.ffmpegPath,
    ffprobePath: config.media.ffprobePath,
  });
  // 30 s bounds what a change nobody announces (a renamed school, download counts) leaves stale.
  const publicCache = new PublicCache({ maxEntries: 2000, ttlMs: 30_000 });
  const changes = new ChangeFeed(databaseUrl, { changed: (topic) => publicCache.invalidate(topic), missed: () => publicCache.clear() });
  const passwordResets = new PasswordResetService(db, userRepository, new PasswordResetRepository(db.db), orgs, sessionRepository, audit, config.publicUrl);
  const mailer = config.mail ? new Mailer(config.mail) : null;
  const notifications = new NotificationService(db, new NotificationRepository(db.db), queue, mailer, config.publicUrl);
  const materials = new MaterialService(db, materialRepository, access, orgRepository, reviewRepository, taxonomy, audit, queue, qc, publicCache, notifications);
  const images = new ImageRepository();
  const media = new MediaService(db, storage, mediaRepository, images, queue, qc, config.media, notifications);
  const documents = new DocumentService(db, storage, new DocumentRepository(db.db), images, queue, config.documents, notifications);

  const questionRows = new QuestionRepository(db.db);
  const questions = new QuestionService(db, questionRows, new QuestionAssetStore(storage), materials, audit);
  const locker = new PostgresLocker(databaseUrl);
  const secretKey = await resolveSecretKey(config);
  const packages = new PackageService(db, storage, new PackageRepository(db.db), materialRepository, queue, { secretKey, contentOrigin: config.content.origin });
  const collections = new CollectionService(db, materialRepository, orgs, taxonomy);
  const youtube = new YouTubeRepository(db.db);
  const youtubeChannels = new ChannelService(youtube, orgs, audit, new SecretBox(secretKey), { youtube: config.youtube, publicUrl: config.publicUrl, secretKey });

  await taxonomy.load();
  await queue.start(JOBS, { schedule: config.workers });
  await searchIndex.setup();
  const search = new SearchService(searchIndex, taxonomy);

  return {
    orgTransfers: new OrgTransferService(db, orgRepository, new OrgTransferRepository(db.db), orgs, audit, queue),
    audit: new AuditService(new AuditLogRepository(db.db), orgs),
    jobsAdmin: new JobsAdminService(queue),
    config, db, storage, queue, search, searchIndex, taxonomy, orgs, userRepository, materials, media, documents, mediaRepository, qc,
    secretKey, publicCache, changes, notifications, passwordResets,
    userImport: new UserImportService(db, userRepository, orgs, passwordResets, audit),
    uploads: { store: await createUploadStore(config), locker },
    searchDocuments: new SearchDocumentSource(db.db, () => search.vocabulary()),
    packages,
    users: new UserService(db, userRepository, orgs, sessionRepository, reviewRepository, audit, passwordResets),
    auth: new AuthService(db, userRepository, sessionRepository, new LoginThrottle(db, new LoginThrottleRepository(db.db), config.login), audit, config),
    files: new FileService(db, storage, materialRepository, materials, access, audit, media, packages, documents, config.maxUploadBytes),
    reviews: new ReviewService(db, reviewRepository, materialRepository, materials, audit, qc, orgRepository, config.reviewClaimLeaseMinutes, notifications),
    collections,
    questions,
    exams: new ExamService(new ExamRepository(db.db), questionRows, questions, materials),
    broadcast: new BroadcastService(db, new BroadcastRepository(db.db), materialRepository, materials, orgRepository, taxonomy, audit, config),
    youtubeChannels,
    youtubeExports: new ExportService(db, youtube, youtubeChannels, materialRepository, collections, queue, audit, { youtube: config.youtube }),
    youtubeRunner: new ExportRunner(db, youtube, youtubeChannels, materialRepository, media, mediaRepository, orgRepository, taxonomy, storage, queue, { youtube: config.youtube, publicUrl: config.publicUrl }, notifications),
    async close() {
      await changes.stop();
      await queue.stop();
      await locker.stop();
      await db.close();
      mailer?.close();
    },
  };
}
