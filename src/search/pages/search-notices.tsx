import { count } from '../../web/components/format.js';
import type { Facet, SearchResult } from '../search-backend.js';
import { FACET_HEADINGS, facetValues, withFilter, type FacetNamer } from './search-facets.js';
import { FILTERS, hasFilters, searchHref, type PageSort, type SearchParams } from './search-params.js';

type Recognised = SearchResult['understood'][number];

const paramOf = (facet: Facet) => FILTERS.find((f) => f.facet === facet)!.param;
const KIND_LABELS: Partial<Record<Facet, string>> = { level: 'Cấp', subject: 'Môn', type: 'Loại', series: 'Bộ sách' };

/** "Môn: Khoa học tự nhiên", "Lớp 7": one term the query was read as. */
const termLabel = (term: Recognised, name: FacetNamer) => (term.kind === 'grade' ? name('grade', term.code) : `${KIND_LABELS[term.kind]}: ${name(term.kind, term.code)}`);

/** Each kind and code once (a phrase may be typed twice, or name a term by two of its spellings). */
const distinct = (understood: Recognised[]) => understood.filter((u, i) => understood.findIndex((v) => v.kind === u.kind && v.code === u.code) === i);

/** What the query was read as, discreetly; each term a link that makes it a filter. */
export function Understood({ params, understood, name }: { params: SearchParams; understood: Recognised[]; name: FacetNamer }) {
  const terms = distinct(understood);
  if (terms.length === 0) return null;
  return (
    <p class="understood meta">
      Đã hiểu là:{' '}
      {terms.map((term, i) => {
        const param = paramOf(term.kind);
        const active = String(params[param] ?? '') === term.code;
        return (
          <>
            {i > 0 ? ' · ' : null}
            {active ? <span>{termLabel(term, name)}</span> : <a href={searchHref(withFilter(params, param, term.code))} aria-label={`Lọc theo ${termLabel(term, name)}`}>{termLabel(term, name)}</a>}
          </>
        );
      })}
    </p>
  );
}

/** Above the results: only part of the words found, and the corrected query when there is one. */
export function QueryNotices({ params, result }: { params: SearchParams; result: SearchResult }) {
  return (
    <>
      {result.partial && result.total > 0 ? <p class="partial-notice">Không có học liệu nào chứa đủ các từ; đây là những học liệu gần nhất.</p> : null}
      {result.suggestion ? <p class="suggestion">Có phải bạn muốn tìm <a href={searchHref({ ...params, q: result.suggestion, trang: 1 })}>“{result.suggestion}”</a>?</p> : null}
    </>
  );
}

const SORT_LABELS: Array<[PageSort | undefined, string]> = [[undefined, 'Phù hợp nhất'], ['moi-nhat', 'Mới nhất'], ['tai-nhieu', 'Tải nhiều nhất']];

/** Plain links: each order is a URL of its own, with or without JavaScript. */
export function SortLinks({ params }: { params: SearchParams }) {
  return (
    <nav class="sort" aria-label="Sắp xếp kết quả">
      <span>Sắp xếp:</span>
      <ul>
        {SORT_LABELS.map(([sort, label]) => (
          <li>{params.sapXep === sort ? <span aria-current="true">{label}</span> : <a href={searchHref({ ...params, sapXep: sort, trang: 1 })}>{label}</a>}</li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * Nothing matched: instead of an unrelated result, the nearest searches that do find something — the
 * same words without the filters (`wider`, searched by the page when filters were set), where those
 * words are found by each facet that was filtered on, and the level, grade and subject the query named.
 */
export function NoResults({ params, wider, understood, name }: { params: SearchParams; wider: SearchResult | null; understood: Recognised[]; name: FacetNamer }) {
  const elsewhere = wider && wider.total > 0
    ? FILTERS.filter(({ param }) => params[param] !== undefined).map(({ facet, param }) => ({ facet, param, values: facetValues(wider.facets, facet) })).filter((f) => f.values.length > 0)
    : [];
  const named = distinct(understood);
  const browse = Object.fromEntries(named.map((term) => [paramOf(term.kind), term.kind === 'grade' ? Number(term.code) : term.code])) as Partial<SearchParams>;
  const words = { q: params.q, sapXep: params.sapXep };
  return (
    <>
      <p>
        Không tìm thấy học liệu nào{params.q ? <> chứa “{params.q}”</> : null}{hasFilters(params) ? ' với các bộ lọc đã chọn' : null}.
      </p>
      <h3>Thử tìm rộng hơn</h3>
      <ul class="nearest">
        {wider && wider.total > 0 ? <li><a href={searchHref(words)}>“{params.q}” ở mọi cấp học, lớp và môn ({count(wider.total)} học liệu)</a></li> : null}
        {elsewhere.map(({ facet, param, values }) => (
          <li>
            “{params.q}” theo {FACET_HEADINGS[facet].toLowerCase()}:{' '}
            {values.map(([value, n], i) => <>{i > 0 ? ', ' : null}<a href={searchHref(withFilter(words, param, value))}>{name(facet, value)} ({count(n)})</a></>)}
          </li>
        ))}
        {named.length > 0 ? <li><a href={searchHref(browse)}>Xem mọi học liệu {named.map((term) => name(term.kind, term.code)).join(' · ')}</a></li> : null}
        <li><a href="/#duyet">Duyệt theo cấp học, lớp và môn</a></li>
      </ul>
    </>
  );
}
