import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../http/types.js';
import { materialIdIn } from '../../materials/material-url.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { CONSOLE_CONSENT_PATH } from '../youtube/channel.service.js';
import { PRIVACY_STATUSES, type PrivacyStatus } from '../youtube/model.js';
import { sendConsole, type ConsoleState } from './console-page.js';
import { isFormRefusal, requirePublisher, typedFields } from './publisher-access.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const ConsentQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
});
const Field = Type.Optional(Type.String({ maxLength: 500 }));
const ExportBody = Type.Object({ _csrf: Field, kenh: Field, 'hoc-lieu': Field, 'che-do': Field });
const BulkBody = Type.Object({ _csrf: Field, kenh: Field, 'bo-suu-tap': Field });

const privacyOf = (value: string | undefined): PrivacyStatus | undefined => PRIVACY_STATUSES.find((p) => p === value);

/** Runs an export form's action: a refusal (not exportable, channel not connected) shows the console again with it and what was typed. */
async function act(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, values: Record<string, string | undefined>, run: () => Promise<string | ConsoleState>) {
  requirePublisher(request);
  let redirect: string | ConsoleState;
  try {
    redirect = await run();
  } catch (error) {
    if (!isFormRefusal(error)) throw error;
    return sendConsole(ctx, pages, request, reply, { message: error.describe('vi'), values: typedFields(values) }, error.status);
  }
  if (typeof redirect !== 'string') return sendConsole(ctx, pages, request, reply, redirect);
  return reply.header('cache-control', 'no-store').redirect(redirect, 303);
}

export const youtubeActions: Page = (app, ctx, pages) => {
  // A link, not a form: a form's redirect to Google would break the pages' CSP (form-action 'self').
  // Following it only starts a consent, which Google asks the person to give; the signed state says for which channel.
  app.get('/xuat-ban/kenh/:id/ket-noi', { schema: { hide: true, params: Params } }, async (request, reply) => {
    requirePublisher(request);
    if (!isUuid(request.params.id)) throw AppError.notFound('channel');
    const url = await ctx.youtubeChannels.authorizeUrl(request.principal, request.params.id);
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  });

  // Google's redirect, handed on by the OAuth callback route: the consent is completed whoever is signed in (the state decides).
  app.get(CONSOLE_CONSENT_PATH, { schema: { hide: true, querystring: ConsentQuery } }, async (request, reply) => {
    try {
      await ctx.youtubeChannels.completeAuthorization(request.query);
    } catch (error) {
      if (!isFormRefusal(error) || !request.principal) throw error;
      return sendConsole(ctx, pages, request, reply, { message: error.describe('vi') }, error.status);
    }
    return reply.header('cache-control', 'no-store').redirect('/xuat-ban?thong-bao=da-ket-noi', 303);
  });

  app.post('/xuat-ban/xuat', { schema: { hide: true, body: ExportBody }, preHandler: requireCsrf(app) }, (request, reply) =>
    act(ctx, pages, request, reply, request.body, async () => {
      const materialId = materialIdIn(request.body['hoc-lieu']);
      if (!materialId) throw new AppError('NOT_EXPORTABLE', { reason: 'hãy nhập mã hoặc dán đường dẫn trang của học liệu.' });
      if (!isUuid(request.body.kenh ?? '')) throw AppError.notFound('channel');
      const { created } = await ctx.youtubeExports.request(request.principal, { materialId, channelId: request.body.kenh!, privacy: privacyOf(request.body['che-do']) });
      return `/xuat-ban?thong-bao=${created ? 'da-xuat' : 'da-co'}#hang-doi`;
    }));

  app.post('/xuat-ban/xuat-bo-suu-tap', { schema: { hide: true, body: BulkBody }, preHandler: requireCsrf(app) }, (request, reply) =>
    act(ctx, pages, request, reply, request.body, async () => {
      if (!isUuid(request.body.kenh ?? '')) throw AppError.notFound('channel');
      if (!isUuid(request.body['bo-suu-tap'] ?? '')) throw AppError.notFound('collection');
      const result = await ctx.youtubeExports.requestBulk(request.principal, { channelId: request.body.kenh!, collectionId: request.body['bo-suu-tap']! });
      if (result.refused.length === 0) return `/xuat-ban?thong-bao=da-xuat-bo&so=${result.queued.length}#hang-doi`;
      // The lessons that could not go are named with their reason; the others are queued all the same.
      const named = await Promise.all(result.refused.map(async (r) => `“${await ctx.materials.get(null, r.materialId).then((m) => m.title, () => r.materialId)}”: ${r.message}`));
      return {
        notice: `Đã đưa ${result.queued.length} bài vào hàng đợi${result.existing.length ? `, ${result.existing.length} bài đã có trước đó` : ''}.`,
        message: `${result.refused.length} bài không xuất được: ${named.join(' · ')}`,
      };
    }));
};
