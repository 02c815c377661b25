import { parse as parseQueryString } from 'node:querystring';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import type { AppError } from '../core/errors.js';
import type { App } from '../http/types.js';
import { Assets, assetsDirectory } from './assets.js';
import { registerCsrf } from './csrf.js';
import { sendErrorPage } from './error-pages.js';
import { PAGES } from './pages.js';
import { PageRenderer } from './render.js';
import { sessionHook } from './session.js';

/**
 * The web portal on the API's Fastify instance: hashed assets under /assets/, cookies and CSRF,
 * the error pages, and every page of PAGES in a scope of its own, where the session cookie is
 * read and form bodies are parsed (the API routes outside it see neither).
 */
export async function registerWeb(app: App, ctx: AppContext): Promise<void> {
  const pages = new PageRenderer(Assets.load(), ctx.config.publicUrl, ctx.publicCache);
  const readSession = sessionHook(ctx);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('unreadNotifications', null);
  app.decorateReply('sendErrorPage', async function (this: FastifyReply, error: AppError) {
    // Not found outside any page route: the header still shows who is signed in.
    if (!this.request.principal && !this.request.sessionExpired) await readSession(this.request).catch(() => undefined);
    return sendErrorPage(pages, this.request, this, error);
  });
  await app.register(fastifyCookie);
  await registerCsrf(app, ctx.config.publicUrl.startsWith('https:'));
  await app.register(fastifyStatic, {
    root: assetsDirectory(), prefix: '/assets/', index: false, decorateReply: false,
    // Every name carries its content's hash: a changed file is a new URL.
    immutable: true, maxAge: '365d',
  });
  await app.register(async (scope: App) => {
    // A plain object (repeated names become arrays), so that the app's NFC and control-character guards see the fields.
    // A material's description (20 000 characters) percent-encoded is up to ~180 KB, twice that when a sign-in carries it back.
    await scope.register(fastifyFormbody, { bodyLimit: 512 * 1024, parser: (text) => ({ ...parseQueryString(text) }) });
    scope.addHook('onRequest', readSession);
    for (const page of PAGES) page(scope, ctx, pages);
  });
}
