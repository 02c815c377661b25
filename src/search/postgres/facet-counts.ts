import { sql, type SQL } from 'drizzle-orm';
import type { QueryEntities } from '../query-understanding.js';
import { FACETS, type Facet, type SearchFilters } from '../search-backend.js';

/** A list of codes as one text[] parameter (drizzle would spread a JS array into several). */
export const textArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`;
export const intArray = (values: number[]) => sql`${`{${values.map((v) => Math.trunc(v)).join(',')}}`}::int[]`;

/** The column a facet counts, in search_documents and in search_facet_cells alike. */
const FACET_COLUMN: Record<Exclude<Facet, 'grade'>, SQL> = {
  level: sql`level`, subject: sql`subject`, type: sql`type`, series: sql`series`, province: sql`province_code`, license: sql`license`,
};
const FILTER_OF: Record<Facet, keyof SearchFilters> = {
  level: 'level', grade: 'grade', subject: 'subject', type: 'type', series: 'series', province: 'province', license: 'license',
};

/** One facet's filter as SQL over either table. */
function facetFilter(facet: Facet, value: string | number): SQL {
  return facet === 'grade' ? sql`${value}::int = ANY(grades)` : sql`${FACET_COLUMN[facet]} = ${value}`;
}

/** The facet filters, all of them or all but one (a facet is counted without its own filter). */
export function facetWhere(filters: SearchFilters, except?: Facet): SQL {
  const parts: SQL[] = [sql`true`];
  for (const facet of FACETS) {
    const value = filters[FILTER_OF[facet]];
    if (value !== undefined && facet !== except) parts.push(facetFilter(facet, value));
  }
  return sql.join(parts, sql` AND `);
}

/**
 * The metadata a query names, as one condition: every kind it names (`all`), or any of them when
 * nothing carries them all. The school (`org`) filter is not a facet: it applies to the documents only.
 */
export function entityWhere(entities: QueryEntities, mode: 'all' | 'any'): SQL | null {
  const parts: SQL[] = [];
  if (entities.level) parts.push(sql`level = ANY(${textArray(entities.level)})`);
  if (entities.subject) parts.push(sql`subject = ANY(${textArray(entities.subject)})`);
  if (entities.type) parts.push(sql`type = ANY(${textArray(entities.type)})`);
  if (entities.series) parts.push(sql`series = ANY(${textArray(entities.series)})`);
  if (entities.grade) parts.push(sql`grades && ${intArray(entities.grade)}`);
  if (parts.length === 0) return null;
  return sql`(${sql.join(parts, mode === 'all' ? sql` AND ` : sql` OR `)})`;
}

/** How much a material carries of what the query names: the boost of the ranking. */
export function entityBoost(entities: QueryEntities): SQL {
  const parts: SQL[] = [sql`0`];
  if (entities.subject) parts.push(sql`(subject = ANY(${textArray(entities.subject)}))::int * 200`);
  if (entities.grade) parts.push(sql`(grades && ${intArray(entities.grade)})::int * 200`);
  if (entities.type) parts.push(sql`(type = ANY(${textArray(entities.type)}))::int * 150`);
  if (entities.level) parts.push(sql`(level = ANY(${textArray(entities.level)}))::int * 100`);
  if (entities.series) parts.push(sql`(series = ANY(${textArray(entities.series)}))::int * 100`);
  return sql.join(parts, sql` + `);
}

/**
 * The total and every facet's counts, as UNION ALL branches over a relation `rows` with a `weight`
 * column (1 per material, or a cell's number of materials).
 */
export function countBranches(filters: SearchFilters): SQL {
  return sql.join([
    sql`SELECT 'total' AS facet, '' AS value, sum(weight)::int AS count FROM rows WHERE ${facetWhere(filters)}`,
    ...FACETS.map((facet) => facet === 'grade'
      ? sql`SELECT 'grade', g::text, sum(weight)::int FROM rows, unnest(grades) AS g WHERE ${facetWhere(filters, facet)} GROUP BY g`
      : sql`SELECT ${facet}, ${FACET_COLUMN[facet]}, sum(weight)::int FROM rows WHERE ${facetWhere(filters, facet)} AND ${FACET_COLUMN[facet]} <> '' GROUP BY 2`),
  ], sql` UNION ALL `);
}
