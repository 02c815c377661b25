import { count } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';
import type { Page } from '../../web/pages.js';
import { SEARCH_TOPIC } from '../../core/public-cache.js';
import { Facets, facetNamer, provinceCodes } from './search-facets.js';
import { SearchForm, SUGGEST_SCRIPT } from './search-form.js';
import { NoResults, QueryNotices, SortLinks, Understood } from './search-notices.js';
import { MAX_PAGE, PAGE_SIZE, hasFilters, parseSearchParams, searchHref, toSearchQuery } from './search-params.js';
import { ResultCards } from './search-results.js';

export const searchPage: Page = (app, ctx, pages) => {
  app.get('/tim-kiem', { schema: { hide: true } }, async (request, reply) => {
    const params = parseSearchParams(request.query as Record<string, unknown>);
    // The same for every anonymous reader until the index changes.
    return pages.sendShared(request, reply, async () => {
      const result = await ctx.search.search(toSearchQuery(params));
      const nothing = result.total === 0;
      const [posters, provinces, wider] = await Promise.all([
        ctx.mediaRepository.publishedPosterFiles(result.hits.map((hit) => hit.id)),
        // One lookup of the few province orgs the page names.
        ctx.orgs.names(provinceCodes(result, params)),
        // Nothing under the filters: where would the words alone be found?
        nothing && params.q && hasFilters(params) ? ctx.search.search({ q: params.q, filters: {}, sort: 'relevance', page: 1, pageSize: 1 }) : null,
      ]);
      const name = facetNamer(ctx.taxonomy, provinces);
      const totalPages = Math.min(MAX_PAGE, Math.ceil(result.total / PAGE_SIZE));
      const title = params.q ? `Tìm “${params.q}”` : 'Tìm học liệu';
      return {
        topics: [SEARCH_TOPIC],
        title: params.trang > 1 ? `${title} — trang ${params.trang}` : title,
        description: `${count(result.total)} học liệu đã thẩm định và xuất bản, tìm theo cấp học, lớp, môn, loại, bộ sách, tỉnh và giấy phép.`,
        canonicalPath: searchHref(params), cache: 'public', scripts: [SUGGEST_SCRIPT],
        body: (
          <>
            <h1>{title}</h1>
            <SearchForm params={params} taxonomy={ctx.taxonomy} />
            <Understood params={params} understood={result.understood} name={name} />
            <div class="layout-search">
              <Facets params={params} facets={result.facets} name={name} />
              <section aria-labelledby="ket-qua">
                <h2 id="ket-qua">{nothing ? 'Không có học liệu nào phù hợp' : `${result.approximate ? 'Khoảng ' : ''}${count(result.total)} học liệu`}</h2>
                <QueryNotices params={params} result={result} />
                {nothing
                  ? <NoResults params={params} wider={wider} understood={result.understood} name={name} />
                  : <SortLinks params={params} />}
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
