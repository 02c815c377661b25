import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { termName, gradeName } from '../../web/components/classification.js';
import { count } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';
import type { Page } from '../../web/pages.js';
import { SEARCH_TOPIC } from '../../core/public-cache.js';
import type { Facet, SearchResult } from '../search-backend.js';
import { SearchForm } from './search-form.js';
import { MAX_PAGE, PAGE_SIZE, parseSearchParams, searchHref, toSearchQuery, type SearchParams } from './search-params.js';
import { ResultCards } from './search-results.js';

/** The facets the page narrows by, with the URL parameter each sets and how its values are named. */
const FACET_LINKS: Array<{ facet: Facet; param: 'cap' | 'lop' | 'mon' | 'loai'; heading: string; name: (t: TaxonomyService, value: string) => string }> = [
  { facet: 'level', param: 'cap', heading: 'Cấp học', name: (t, v) => termName(t, 'level', v) },
  { facet: 'grade', param: 'lop', heading: 'Lớp', name: (t, v) => gradeName(t, v) },
  { facet: 'subject', param: 'mon', heading: 'Môn học', name: (t, v) => termName(t, 'subject', v) },
  { facet: 'type', param: 'loai', heading: 'Loại học liệu', name: (t, v) => termName(t, 'material-type', v) },
];

function Facets({ params, facets, taxonomy }: { params: SearchParams; facets: SearchResult['facets']; taxonomy: TaxonomyService }) {
  return (
    <nav class="facets" aria-label="Lọc kết quả">
      {FACET_LINKS.map(({ facet, param, heading, name }) => {
        const values = Object.entries(facets[facet]).filter(([, n]) => n > 0).sort((a, b) => (facet === 'grade' ? Number(a[0]) - Number(b[0]) : b[1] - a[1]));
        if (values.length === 0) return null;
        const selected = params[param] === undefined ? undefined : String(params[param]);
        return (
          <section>
            <h2>{heading}</h2>
            <ul>
              {values.map(([value, n]) => (
                <li class={value === selected ? 'selected' : undefined}>
                  {value === selected
                    ? <>{name(taxonomy, value)} ({count(n)}) <a href={searchHref({ ...params, [param]: undefined, trang: 1 })} aria-label={`Bỏ lọc ${heading}: ${name(taxonomy, value)}`}>bỏ chọn</a></>
                    : <a href={searchHref({ ...params, [param]: param === 'lop' ? Number(value) : value, trang: 1 })}>{name(taxonomy, value)} ({count(n)})</a>}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}

export const searchPage: Page = (app, ctx, pages) => {
  app.get('/tim-kiem', { schema: { hide: true } }, async (request, reply) => {
    const params = parseSearchParams(request.query as Record<string, unknown>);
    // The same for every anonymous reader until the index changes.
    return pages.sendShared(request, reply, async () => {
      const result = await ctx.search.search(toSearchQuery(params));
      const posters = await ctx.mediaRepository.publishedPosterFiles(result.hits.map((hit) => hit.id));
      const totalPages = Math.min(MAX_PAGE, Math.ceil(result.total / PAGE_SIZE));
      const title = params.q ? `Tìm “${params.q}”` : 'Tìm học liệu';
      const canonical = searchHref(params);
      return {
        topics: [SEARCH_TOPIC],
        title: params.trang > 1 ? `${title} — trang ${params.trang}` : title,
        description: `${count(result.total)} học liệu đã thẩm định và xuất bản, tìm theo cấp học, lớp, môn và loại.`,
        canonicalPath: canonical, cache: 'public',
        body: (
          <>
            <h1>{title}</h1>
            <SearchForm params={params} taxonomy={ctx.taxonomy} />
            <div class="layout-search">
              <Facets params={params} facets={result.facets} taxonomy={ctx.taxonomy} />
              <section aria-labelledby="ket-qua">
                <h2 id="ket-qua">{result.total === 0 ? 'Không có học liệu nào phù hợp' : `${count(result.total)} học liệu`}</h2>
                {result.total === 0 ? <p>Hãy thử từ khoá khác, hoặc bỏ bớt bộ lọc.</p> : null}
                <ResultCards hits={result.hits} posters={posters} taxonomy={ctx.taxonomy} highlighted={params.q !== ''} />
                <Pagination page={params.trang} totalPages={totalPages} href={(page) => searchHref({ ...params, trang: page })} />
              </section>
            </div>
          </>
        ),
      };
    });
  });
};
