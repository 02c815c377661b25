import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';

/**
 * Pages run no inline script and load nothing from elsewhere. It replaces the API's policy
 * (src/http/security-headers.ts) on every page; JSON-LD blocks are data, which CSP does not block.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "media-src 'self' blob:",
  "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'",
].join('; ');

export interface PageOptions {
  status?: number;
  /** The page's own title; the layout adds the site's name. */
  title: string;
  description: string;
  /** Path of the canonical URL (without the host); omitted for pages that should not be indexed. */
  canonicalPath?: string;
  /** schema.org objects, each written as one application/ld+json block. */
  jsonLd?: object[];
  /** Islands (src/web/islands/<name>.ts) the page needs, by their built name: `player.js`. */
  scripts?: string[];
  /**
   * `public`: the same for everyone (anonymous readers), cacheable by proxies and revalidated by ETag;
   * `private`: for the signed-in user only; `no-store`: forms with secrets and error pages.
   */
  cache?: 'public' | 'private' | 'no-store';
  body: ComponentChildren;
}

/** JSON for a <script type="application/ld+json">: `<` cannot close the element, U+2028/9 cannot break old parsers. */
export function jsonLdText(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Sends server-rendered pages inside the one layout. */
export class PageRenderer {
  constructor(private readonly assets: Assets, readonly publicUrl: string) {}

  /** The absolute URL of a path on the public site (canonical links, sitemap, JSON-LD). */
  absolute(path: string): string {
    return `${this.publicUrl}${path}`;
  }

  asset(name: string): string {
    return this.assets.url(name);
  }

  async send(request: FastifyRequest, reply: FastifyReply, page: PageOptions): Promise<FastifyReply> {
    const principal = request.principal;
    // The sign-out form in the header is a form that changes something: it carries a CSRF token.
    const csrfToken = principal ? reply.generateCsrf() : null;
    const html = '<!doctype html>' + renderToString(
      h(Layout, {
        title: page.title, description: page.description, canonicalUrl: page.canonicalPath === undefined ? null : this.absolute(page.canonicalPath),
        stylesheet: this.assets.url('site.css'), scripts: (page.scripts ?? []).map((name) => this.assets.url(name)),
        jsonLd: (page.jsonLd ?? []).map(jsonLdText), principal, csrfToken, currentPath: request.url, children: page.body,
      }),
    );
    // A page for a signed-in user, or one that just set a cookie, is never shared by a proxy.
    const cache = principal || reply.hasHeader('set-cookie') ? (page.cache === 'no-store' ? 'no-store' : 'private') : page.cache ?? 'private';
    reply.code(page.status ?? 200).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
    if (cache === 'no-store') return reply.header('cache-control', 'no-store').send(html);
    reply.header('cache-control', cache === 'public' ? 'public, max-age=300' : 'private, no-cache');
    if (cache === 'public') reply.header('vary', 'cookie');
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag);
    if ((page.status ?? 200) === 200 && request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(html);
  }
}
