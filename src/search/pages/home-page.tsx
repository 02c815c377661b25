import type { AppContext } from '../../context.js';
import { termName, gradeName } from '../../web/components/classification.js';
import { count } from '../../web/components/format.js';
import { SITE_NAME } from '../../web/layout.js';
import type { Page } from '../../web/pages.js';
import type { SearchResult } from '../search-backend.js';
import { SEARCH_TOPIC } from '../../core/public-cache.js';
import { SearchForm, SUGGEST_SCRIPT } from './search-form.js';
import { searchHref } from './search-params.js';
import { ResultCards } from './search-results.js';

const NEWEST = 8;
const COLLECTIONS = 6;

/** Level → its grades and subjects, each with its count of published materials (one facet query per level that has any). */
async function browseTree(ctx: AppContext, all: SearchResult) {
  const levels = Object.entries(all.facets.level).filter(([, n]) => n > 0);
  const order = new Map(ctx.taxonomy.document().levels.map((level, index) => [level.code, index]));
  levels.sort((a, b) => (order.get(a[0]) ?? 99) - (order.get(b[0]) ?? 99));
  return Promise.all(levels.map(async ([level, total]) => {
    const within = await ctx.search.search({ q: '', sort: 'newest', page: 1, pageSize: 1, filters: { level } });
    const grades = Object.entries(within.facets.grade).filter(([, n]) => n > 0).map(([grade, n]) => ({ grade: Number(grade), n })).sort((a, b) => a.grade - b.grade);
    const subjects = Object.entries(within.facets.subject).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    return { level, total, grades, subjects };
  }));
}

export const homePage: Page = (app, ctx, pages) => {
  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    // The same for every anonymous reader until the index changes (collections follow within the cache's 30 s).
    pages.sendShared(request, reply, async () => {
      const newest = await ctx.search.search({ q: '', sort: 'newest', page: 1, pageSize: NEWEST, filters: {} });
      const [tree, posters, collections] = await Promise.all([
        browseTree(ctx, newest),
        ctx.mediaRepository.publishedPosterFiles(newest.hits.map((hit) => hit.id)),
        ctx.collections.list({}),
      ]);
      const t = ctx.taxonomy;
      return {
        topics: [SEARCH_TOPIC],
        title: 'Trang chủ',
        description: `${SITE_NAME}: ${count(newest.total)} bài giảng, video, bài dạy trên truyền hình, ngân hàng câu hỏi và sách điện tử đã được thẩm định, tải về miễn phí.`,
        canonicalPath: '/', cache: 'public', scripts: [SUGGEST_SCRIPT],
        jsonLd: [{
          '@context': 'https://schema.org', '@type': 'WebSite', name: SITE_NAME, url: pages.absolute('/'), inLanguage: 'vi',
          potentialAction: { '@type': 'SearchAction', target: `${pages.absolute('/tim-kiem')}?q={q}`, 'query-input': 'required name=q' },
        }],
        body: (
          <>
            <h1>{SITE_NAME}</h1>
            <p>Học liệu số của ngành giáo dục, đã được thẩm định từ trường, Sở đến Bộ: xem trực tuyến và tải về miễn phí.</p>
            <SearchForm params={{}} taxonomy={t} filters={false} />

            <section aria-labelledby="duyet">
              <h2 id="duyet">Duyệt theo cấp học, lớp và môn</h2>
              {tree.length === 0 ? <p>Chưa có học liệu nào được xuất bản.</p> : null}
              <ul class="browse">
                {tree.map(({ level, total, grades, subjects }) => (
                  <li>
                    <h3><a href={searchHref({ cap: level })}>{termName(t, 'level', level)}</a> <span class="meta">({count(total)})</span></h3>
                    {grades.length ? (
                      <ul aria-label={`Các lớp của ${termName(t, 'level', level)}`}>
                        {grades.map(({ grade, n }) => <li><a href={searchHref({ cap: level, lop: grade })}>{gradeName(t, grade)} ({count(n)})</a></li>)}
                      </ul>
                    ) : null}
                    <ul aria-label={`Các môn của ${termName(t, 'level', level)}`}>
                      {subjects.map(([subject, n]) => <li><a href={searchHref({ cap: level, mon: subject })}>{termName(t, 'subject', subject)} ({count(n)})</a></li>)}
                    </ul>
                  </li>
                ))}
              </ul>
            </section>

            {collections.items.length ? (
              <section aria-labelledby="bo-suu-tap">
                <h2 id="bo-suu-tap">Bộ sưu tập mới</h2>
                <ul class="cards">
                  {collections.items.slice(0, COLLECTIONS).map((collection) => (
                    <li class="card"><div class="body">
                      <h3><a href={`/bo-suu-tap/${collection.id}`}>{collection.title}</a></h3>
                      <p class="meta">{count(collection.itemCount)} học liệu</p>
                      {collection.description ? <p>{collection.description.slice(0, 160)}</p> : null}
                    </div></li>
                  ))}
                </ul>
              </section>
            ) : null}

            {newest.hits.length ? (
              <section aria-labelledby="moi-nhat">
                <h2 id="moi-nhat">Học liệu mới xuất bản</h2>
                <ResultCards hits={newest.hits} posters={posters} taxonomy={t} highlighted={false} />
                <p><a href={searchHref({})}>Xem tất cả học liệu</a></p>
              </section>
            ) : null}
          </>
        ),
      };
    }));
};
