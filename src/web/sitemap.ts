import { escapeHtml } from '../core/text.js';
import { materialUrl } from '../materials/material-url.js';
import type { Page } from './pages.js';

/** The sitemap protocol's limit for one file; beyond it a sitemap index would be needed. */
const MAX_URLS = 50_000;

/** Every published (not archived) material and every collection, for search engines. */
export const sitemapXml: Page = (app, ctx, pages) => {
  app.get('/sitemap.xml', { schema: { hide: true } }, async (_request, reply) => {
    const urls: string[] = [`<url><loc>${escapeHtml(pages.absolute('/'))}</loc></url>`];
    for await (const documents of ctx.searchDocuments.summaries()) {
      for (const document of documents) {
        if (urls.length >= MAX_URLS) break;
        urls.push(`<url><loc>${escapeHtml(materialUrl(pages.publicUrl, document.id, document.title))}</loc><lastmod>${document.publishedAt.slice(0, 10)}</lastmod></url>`);
      }
    }
    for (const collection of (await ctx.collections.list({})).items) {
      if (urls.length < MAX_URLS) urls.push(`<url><loc>${escapeHtml(pages.absolute(`/bo-suu-tap/${collection.id}`))}</loc></url>`);
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });
};
