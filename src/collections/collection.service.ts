import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { requirePrincipal, requireRole, type Principal } from '../auth/principal.js';
import { isUniqueViolation, type Db } from '../core/db/client.js';
import { collectionItems, collections, materials, materialVersions } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { MaterialAccess } from '../materials/material-access.js';
import type { MaterialRepository } from '../materials/material.repository.js';
import type { OrgService } from '../orgs/org.service.js';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.js';

export interface CollectionInput {
  title: string;
  description?: string;
  level?: string;
  grade?: number;
  subject?: string;
}

/** Curated, ordered lists of published materials; public to read. */
export class CollectionService {
  constructor(
    private readonly db: Db,
    private readonly materials: MaterialRepository,
    private readonly orgs: OrgService,
    private readonly taxonomy: TaxonomyService,
  ) {}

  async create(principal: Principal | null, input: CollectionInput) {
    const actor = requireRole(principal, 'reviewer', 'org-admin');
    this.taxonomy.validate({ level: input.level, subject: input.subject });
    const [row] = await this.db.db.insert(collections).values({
      title: input.title, description: input.description ?? null, level: input.level ?? null, grade: input.grade ?? null,
      subject: input.subject ?? null, ownerId: actor.id, orgId: actor.orgId,
    }).returning();
    return this.get(row!.id);
  }

  async addItem(principal: Principal | null, collectionId: string, materialId: string) {
    const actor = requirePrincipal(principal);
    const [collection] = await this.db.db.select().from(collections).where(eq(collections.id, collectionId));
    if (!collection) throw AppError.notFound('collection');
    if (collection.ownerId !== actor.id && !(await this.orgs.canAdminister(actor, collection.orgId))) throw new AppError('FORBIDDEN');
    const material = await this.materials.find(materialId);
    if (!material) throw AppError.notFound('material');
    if (!MaterialAccess.isPublic(material)) throw new AppError('NOT_PUBLISHED');
    try {
      await this.db.db.insert(collectionItems).values({
        collectionId, materialId,
        position: sql`(SELECT coalesce(max(position), 0) + 1 FROM collection_items WHERE collection_id = ${collectionId})`,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('ALREADY_IN_COLLECTION');
      throw error;
    }
    return this.get(collectionId);
  }

  async get(id: string) {
    const [collection] = await this.db.db.select().from(collections).where(eq(collections.id, id));
    if (!collection) throw AppError.notFound('collection');
    // Items show each material's published version; archived ones drop out of the public list.
    const items = await this.db.db
      .select({ position: collectionItems.position, id: materials.id, title: materialVersions.title, type: materials.type,
        level: materialVersions.level, grades: materialVersions.grades, subject: materialVersions.subject })
      .from(collectionItems)
      .innerJoin(materials, eq(materials.id, collectionItems.materialId))
      .innerJoin(materialVersions, and(eq(materialVersions.materialId, materials.id), eq(materialVersions.version, materials.publishedVersion)))
      .where(and(eq(collectionItems.collectionId, id), sql`${materials.status} <> 'archived'`))
      .orderBy(asc(collectionItems.position));
    const { ownerId: _owner, orgId: _org, ...fields } = collection;
    return { ...fields, items };
  }

  async list(filter: { level?: string; grade?: number; subject?: string }) {
    const rows = await this.db.db.select({
      id: collections.id, title: collections.title, description: collections.description, level: collections.level,
      grade: collections.grade, subject: collections.subject, createdAt: collections.createdAt,
      itemCount: sql<number>`(SELECT count(*)::int FROM collection_items i WHERE i.collection_id = ${collections.id})`,
    }).from(collections).where(and(
      filter.level ? eq(collections.level, filter.level) : undefined,
      filter.grade !== undefined ? eq(collections.grade, filter.grade) : undefined,
      filter.subject ? eq(collections.subject, filter.subject) : undefined,
    )).orderBy(desc(collections.createdAt)).limit(200);
    return { items: rows };
  }
}
