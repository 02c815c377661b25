import { sql, type SQL } from 'drizzle-orm';
import type { QueryEntities } from '../query-understanding.js';
import { FACETS, type Facet, type SearchFilters } from '../search-backend.js';

/** A Postgres array literal (NULL for null), each element quoted and escaped. */
export const pgArrayLiteral = (values: Array<string | null>) =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
/** A list of texts as one text[] parameter (drizzle would spread a JS array into several). */
export const textArray = (values: Array<string | null>) => sql`${pgArrayLiteral(values)}::text[]`;
export const uuidArray = (values: string[]) => sql`${pgArrayLiteral(values)}::uuid[]`;
export const intArray = (values: number[]) => sql`${`{${values.map((v) => Math.trunc(v)).join(',')}}`}::int[]`;

/**
 * Where counts come from. `docs`: search_facet_rows, one narrow row per material. The cells
 * (search_facet_cells, kept by a trigger): materials per level × grades × subject × type, alone
 * (`core`) or with one more dimension — province, series or licence — whose value is in `value`.
 * A request counted over a few thousand cells instead of a million materials.
 */
type Source = 'docs' | 'core' | 'province' | 'series' | 'license';
const EXTRA: Partial<Record<Facet, Source>> = { province: 'province', series: 'series', license: 'license' };
const DOC_COLUMN: Record<Exclude<Facet, 'grade'>, SQL> = {
  level: sql`level`, subject: sql`subject`, type: sql`type`, series: sql`series`, province: sql`province_code`, license: sql`license`,
};

/** A dimension's column in a source (cells hold only their own extra dimension). */
function column(source: Source, facet: Exclude<Facet, 'grade'>): SQL {
  if (source === 'docs' || !EXTRA[facet]) return DOC_COLUMN[facet];
  return sql`value`;
}

function facetFilter(source: Source, facet: Facet, value: string | number): SQL {
  // Containment rather than = ANY: the GIN index of the facet rows answers it.
  return facet === 'grade' ? sql`grades @> ARRAY[${value}::int]` : sql`${column(source, facet)} = ${value}`;
}

/** The facet filters, all of them or all but one (a facet is counted without its own filter). */
export function facetWhere(filters: SearchFilters, except?: Facet, source: Source = 'docs'): SQL {
  const parts: SQL[] = [sql`true`];
  for (const facet of FACETS) {
    const value = filters[facet];
    if (value !== undefined && facet !== except) parts.push(facetFilter(source, facet, value));
  }
  return sql.join(parts, sql` AND `);
}

/** Each kind of metadata the query names, as a condition with the weight it adds to the ranking. */
function entityConditions(entities: QueryEntities, source: Source): Array<[SQL, number]> {
  const parts: Array<[SQL, number]> = [];
  if (entities.subject) parts.push([sql`${column(source, 'subject')} = ANY(${textArray(entities.subject)})`, 200]);
  if (entities.grade) parts.push([sql`grades && ${intArray(entities.grade)}`, 200]);
  if (entities.type) parts.push([sql`${column(source, 'type')} = ANY(${textArray(entities.type)})`, 150]);
  if (entities.level) parts.push([sql`${column(source, 'level')} = ANY(${textArray(entities.level)})`, 100]);
  if (entities.series) parts.push([sql`${column(source, 'series')} = ANY(${textArray(entities.series)})`, 100]);
  return parts;
}

/**
 * The metadata a query names, as one condition: every kind it names (`all`), or any of them when
 * nothing carries them all.
 */
export function entityWhere(entities: QueryEntities, mode: 'all' | 'any', source: Source = 'docs'): SQL | null {
  const parts = entityConditions(entities, source).map(([condition]) => condition);
  if (parts.length === 0) return null;
  return sql`(${sql.join(parts, mode === 'all' ? sql` AND ` : sql` OR `)})`;
}

/** How much a material carries of what the query names: the boost of the ranking. */
export function entityBoost(entities: QueryEntities): SQL {
  return sql.join([sql`0`, ...entityConditions(entities, 'docs').map(([condition, weight]) => sql`(${condition})::int * ${weight}`)], sql` + `);
}

/**
 * Rows that can count in some facet: with k facet filters, a row failing two of them counts nowhere
 * (each facet drops only its own filter), so the matched set is cut to rows meeting k − 1 of them.
 */
export function countableWhere(filters: SearchFilters, source: Source = 'docs'): SQL {
  const set = FACETS.filter((facet) => filters[facet] !== undefined);
  if (set.length < 2) return sql`true`;
  const met = sql.join(set.map((facet) => sql`(${facetFilter(source, facet, filters[facet]!)})::int`), sql` + `);
  return sql`(${met}) >= ${set.length - 1}`;
}

/**
 * The rows one pass of browseCounts reads: the total and facets without a filter count only rows
 * meeting every filter, a filtered facet rows meeting all the others. So a pass for province and
 * licence under a school-year filter reads a few thousand rows, not every row that meets one filter.
 */
function countedWhere(filters: SearchFilters, counts: Array<Facet | 'total'>, source: Source): SQL {
  const filtered = counts.filter((count): count is Facet => count !== 'total' && filters[count] !== undefined);
  if (filtered.length > 1) return countableWhere(filters, source);
  return facetWhere(filters, filtered[0], source);
}

/** Each facet filter's bit in `missed` (FACETS order). */
const bit = (facet: Facet) => 1 << FACETS.indexOf(facet);

/** The facet filters a matched row fails, as bits (at most one under countableWhere). */
export function missedFilters(filters: SearchFilters, source: Source = 'docs'): SQL {
  const parts = FACETS.filter((facet) => filters[facet] !== undefined)
    .map((facet) => sql`(CASE WHEN ${facetFilter(source, facet, filters[facet]!)} THEN 0 ELSE ${bit(facet)} END)`);
  return parts.length ? sql.join(parts, sql` | `) : sql`0::int`;
}

/** The columns of a count group, in countsFromGroups' names. */
const GROUP_COLUMNS: Array<[Facet, string]> = [['level', 'level'], ['subject', 'subject'], ['type', 'type'], ['series', 'series'],
  ['province', 'province_code'], ['license', 'license'], ['grade', 'grades']];

const GROUP_NAMES = GROUP_COLUMNS.map(([, name]) => name);

/**
 * Every count of a text search in one pass over the matched rows `m` (with their `missed` bits):
 * one group per facet value and missed filter; countsFromGroups adds up those each facet counts.
 */
export const groupedCounts = sql.raw(`SELECT missed, ${GROUP_NAMES.join(', ')}, count(*)::int AS n FROM m
  GROUP BY GROUPING SETS ((missed), ${GROUP_NAMES.map((name) => `(missed, ${name})`).join(', ')})`);

export type CountGroup = {
  missed: number; level: string | null; subject: string | null; type: string | null; series: string | null;
  province_code: string | null; license: string | null; grades: number[] | null; n: number;
};

/**
 * The total and each facet's counts from the groups: a facet counts the rows that meet every filter
 * but its own (missed is nothing or its own bit); `scale` turns a sample's counts into estimates.
 */
export function countsFromGroups(groups: CountGroup[], scale = 1): { total: number; facets: Record<Facet, Record<string, number>> } {
  const facets = Object.fromEntries(FACETS.map((f) => [f, {} as Record<string, number>])) as Record<Facet, Record<string, number>>;
  let total = 0;
  const add = (facet: Facet, value: string, n: number) => { facets[facet][value] = (facets[facet][value] ?? 0) + n; };
  for (const group of groups) {
    const n = Math.round(group.n * scale);
    const valued: Array<[Facet, string | null]> = [['level', group.level], ['subject', group.subject], ['type', group.type],
      ['series', group.series], ['province', group.province_code], ['license', group.license]];
    const named = valued.find(([, value]) => value !== null);
    if (group.grades !== null) {
      if (group.missed === 0 || group.missed === bit('grade')) for (const grade of new Set(group.grades)) add('grade', String(grade), n);
    } else if (named) {
      const [facet, value] = named;
      if (value !== '' && (group.missed === 0 || group.missed === bit(facet))) add(facet, value!, n);
    } else if (group.missed === 0) {
      total += n;
    }
  }
  return { total, facets };
}

/**
 * Browsing without text: each count from the smallest source that holds every dimension it needs
 * (its own facet's and the other filters'); two of province, series and licence at once, or a school,
 * only the facet rows hold (their GIN index meets any combination of filters). One grouped pass per
 * source, for all the counts it answers, as countsFromGroups reads them.
 */
export function browseCounts(filters: SearchFilters, entities: QueryEntities, entityMode: 'all' | 'any' | null): SQL {
  const sourceFor = (facet: Facet | 'total'): Source => {
    if (filters.org) return 'docs';
    const needed = new Set<Source>();
    if (facet !== 'total' && EXTRA[facet]) needed.add(EXTRA[facet]!);
    for (const other of FACETS) if (other !== facet && filters[other] !== undefined && EXTRA[other]) needed.add(EXTRA[other]!);
    if (entityMode && entities.series) needed.add('series');
    if (needed.size > 1) return 'docs';
    return needed.size === 1 ? [...needed][0]! : 'core';
  };
  const bySource = new Map<Source, Array<Facet | 'total'>>();
  for (const count of ['total', ...FACETS] as const) bySource.set(sourceFor(count), [...(bySource.get(sourceFor(count)) ?? []), count]);
  const pass = (source: Source, counts: Array<Facet | 'total'>) => {
    const entity = entityMode ? entityWhere(entities, entityMode, source) : null;
    const where = sql.join([
      source === 'docs' ? sql`true` : sql`extra = ${source === 'core' ? '' : source}`, countedWhere(filters, counts, source), entity ?? sql`true`,
      source === 'docs' && filters.org ? sql`org_code = ${filters.org}` : sql`true`], sql` AND `);
    const expression = (facet: Facet) => (facet === 'grade' ? sql`grades` : column(source, facet));
    // The values under their group names first: the grouping sets then name plain columns.
    const select = GROUP_COLUMNS.filter(([facet]) => counts.includes(facet)).map(([facet, name]) => sql`${expression(facet)} AS ${sql.identifier(name)}`);
    const sets = counts.map((count) => (count === 'total' ? sql`(missed)` : sql`(missed, ${sql.identifier(GROUP_COLUMNS.find(([f]) => f === count)![1])})`));
    // Columns outside every grouping set are not in the GROUP BY: they are named as NULL outside too.
    const outer = GROUP_COLUMNS.map(([facet, name]) => (counts.includes(facet)
      ? sql.identifier(name) : sql`NULL::${sql.raw(facet === 'grade' ? 'int[]' : 'text')} AS ${sql.identifier(name)}`));
    return sql`SELECT missed, ${sql.join(outer, sql`, `)}, sum(weight)::int AS n FROM (
        SELECT ${sql.join([sql`${missedFilters(filters, source)} AS missed`, ...select, sql`${source === 'docs' ? sql`1` : sql`materials`} AS weight`], sql`, `)}
        FROM ${source === 'docs' ? sql`search_facet_rows` : sql`search_facet_cells`} WHERE ${where}) AS r
      GROUP BY GROUPING SETS (${sql.join(sets, sql`, `)})`;
  };
  return sql.join([...bySource].map(([source, counts]) => pass(source, counts)), sql` UNION ALL `);
}
