import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Assets } from './assets.js';
import type { PublicCache } from '../core/public-cache.js';
import { etagOf, isNotModified } from '../http/etag.js';
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
  /** Origins the page may frame (the content origin, for a package player); none by default. */
  frameSources?: string[];
  body: ComponentChildren;
}

/** A page the same for every anonymous reader, with the topics (src/core/public-cache.ts) of what it shows. */
export interface SharedPage extends PageOptions {
  topics: string[];
}

interface RenderedPage {
  status: number;
  html: string;
  etag: string;
  cacheControl: string;
  csp: string;
}

/**
 * How long a proxy or CDN may keep a public page before revalidating it (a 304 when unchanged):
 * also how long it may go on showing a material after its archiving; our own processes stop at once.
 */
const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

/** JSON for a <script type="application/ld+json">: `<` cannot close the element, U+2028/9 cannot break old parsers. */
export function jsonLdText(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Sends server-rendered pages inside the one layout. */
export class PageRenderer {
  constructor(private readonly assets: Assets, readonly publicUrl: string, private readonly cache: PublicCache) {}

  /** The absolute URL of a path on the public site (canonical links, sitemap, JSON-LD). */
  absolute(path: string): string {
    return `${this.publicUrl}${path}`;
  }

  asset(name: string): string {
    return this.assets.url(name);
  }

  async send(request: FastifyRequest, reply: FastifyReply, page: PageOptions): Promise<FastifyReply> {
    return this.answer(request, reply, this.render(request, reply, page));
  }

  /**
   * A public page for anonymous readers is rendered once and then answered from memory until one
   * of its topics changes (or the entry expires); signed-in users get it rendered afresh. `build`
   * runs only when it must, and may answer by itself (a redirect) by returning the reply.
   */
  async sendShared(request: FastifyRequest, reply: FastifyReply, build: () => Promise<SharedPage | FastifyReply>): Promise<FastifyReply> {
    const shared = !request.principal && !reply.hasHeader('set-cookie');
    const key = `page:${request.url}`;
    const hit = shared ? this.cache.get<RenderedPage>(key) : undefined;
    if (hit) return this.answer(request, reply, hit);
    const ticket = this.cache.ticket();
    const page = await build();
    if (!('topics' in page)) return page;
    const rendered = this.render(request, reply, page);
    if (shared && rendered.status === 200 && rendered.cacheControl === PUBLIC_CACHE_CONTROL) this.cache.set(key, rendered, page.topics, ticket);
    return this.answer(request, reply, rendered);
  }

  private render(request: FastifyRequest, reply: FastifyReply, page: PageOptions): RenderedPage {
    const principal = request.principal;
    // The sign-out form in the header is a form that changes something: it carries a CSRF token.
    const csrfToken = principal ? reply.generateCsrf() : null;
    const html = '<!doctype html>' + renderToString(
      h(Layout, {
        title: page.title, description: page.description, canonicalUrl: page.canonicalPath === undefined ? null : this.absolute(page.canonicalPath),
        stylesheet: this.assets.url('site.css'), scripts: (page.scripts ?? []).map((name) => this.assets.url(name)),
        jsonLd: (page.jsonLd ?? []).map(jsonLdText), principal, csrfToken, currentPath: request.url, unreadNotifications: request.unreadNotifications, children: page.body,
      }),
    );
    // A page for a signed-in user, or one that just set a cookie, is never shared by a proxy.
    const cache = principal || reply.hasHeader('set-cookie') ? (page.cache === 'no-store' ? 'no-store' : 'private') : page.cache ?? 'private';
    const cacheControl = cache === 'no-store' ? 'no-store' : cache === 'public' ? PUBLIC_CACHE_CONTROL : 'private, no-cache';
    const etag = cache === 'no-store' ? '' : etagOf(html);
    const csp = page.frameSources?.length ? `${PAGE_CONTENT_SECURITY_POLICY}; frame-src ${page.frameSources.join(' ')}` : PAGE_CONTENT_SECURITY_POLICY;
    return { status: page.status ?? 200, html, etag, cacheControl, csp };
  }

  private answer(request: FastifyRequest, reply: FastifyReply, page: RenderedPage): FastifyReply {
    reply.code(page.status).type('text/html; charset=utf-8').header('content-security-policy', page.csp);
    reply.header('cache-control', page.cacheControl);
    if (!page.etag) return reply.send(page.html);
    if (page.cacheControl === PUBLIC_CACHE_CONTROL) reply.header('vary', 'cookie');
    reply.header('etag', page.etag);
    if (page.status === 200 && isNotModified(request, page.etag)) return reply.code(304).send();
    return reply.send(page.html);
  }
}
