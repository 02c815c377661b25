import type { Page } from './pages.js';

/** Pages are for indexing; the API is not, except the pictures and media that pages and JSON-LD point to. */
export const robotsTxt: Page = (app, _ctx, pages) => {
  app.get('/robots.txt', { schema: { hide: true } }, async (_request, reply) => {
    const body = [
      'User-agent: *', 'Disallow: /api/', 'Allow: /api/v1/files/', 'Disallow: /docs', 'Disallow: /cua-toi', 'Disallow: /dang-nhap', '',
      `Sitemap: ${pages.absolute('/sitemap.xml')}`, '',
    ].join('\n');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body);
  });
};
