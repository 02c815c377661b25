import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { Decision } from '../review.service.js';
import type { DecisionValues } from './decision-form.js';
import { reviewTaskPath, sendReviewTask, type ReviewTaskState } from './review-task-page.js';

const Params = Type.Object({ taskId: Type.String({ maxLength: 100 }) });
const Body = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const DecisionBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  claimedAt: Type.Optional(Type.String({ maxLength: 40 })),
  decision: Type.Optional(Type.String({ maxLength: 40 })),
  reasons: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })])),
  comment: Type.Optional(Type.String({ maxLength: 10_000 })),
  internalNote: Type.Optional(Type.String({ maxLength: 10_000 })),
});

const DECISIONS: readonly string[] = ['approve', 'request_changes', 'reject'];

/**
 * Runs a review action from the page. A refusal the reviewer can act on (someone else won the claim,
 * the claim changed since the page was shown, a reason or comment missing) shows the review screen
 * again with its Vietnamese message and what was typed; success moves on with a notice.
 */
async function act(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, taskId: string, next: string, run: () => Promise<unknown>, state: ReviewTaskState = {}) {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 404 && error.code !== 'FORBIDDEN' && error.code !== 'OWN_MATERIAL' && error.code !== 'OWN_CHANGES') {
      const errors = error.code === 'REVIEW_REASONS_REQUIRED' || error.code === 'REVIEW_REASON_UNKNOWN' ? { reasons: error.describe('vi') }
        : error.code === 'REVIEW_COMMENT_REQUIRED' ? { comment: error.describe('vi') } : {};
      return sendReviewTask(ctx, pages, request, reply, taskId, { ...state, errors, message: error.describe('vi') }, error.status);
    }
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(next, 303);
}

function decisionValues(body: Static<typeof DecisionBody>): DecisionValues {
  return {
    decision: body.decision, reasons: body.reasons === undefined ? [] : Array.isArray(body.reasons) ? body.reasons : [body.reasons],
    comment: body.comment ?? '', internalNote: body.internalNote ?? '',
  };
}

export const reviewActions: Page = (app, ctx, pages) => {
  const options = { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) };
  app.post('/tham-dinh/:taskId/nhan', options, (request, reply) => {
    const { taskId } = request.params;
    return act(ctx, pages, request, reply, taskId, `${reviewTaskPath(taskId)}?thong-bao=da-nhan`, () => ctx.reviews.claim(request.principal, taskId));
  });
  app.post('/tham-dinh/:taskId/tra-lai', options, (request, reply) => {
    const { taskId } = request.params;
    return act(ctx, pages, request, reply, taskId, '/tham-dinh?thong-bao=da-tra-lai', () => ctx.reviews.release(request.principal, taskId));
  });
  app.post('/tham-dinh/:taskId/quyet-dinh', { schema: { hide: true, params: Params, body: DecisionBody }, preHandler: requireCsrf(app) }, (request, reply) => {
    const { taskId } = request.params;
    const values = decisionValues(request.body);
    const state = { values };
    if (!values.decision || !DECISIONS.includes(values.decision)) {
      return sendReviewTask(ctx, pages, request, reply, taskId, { ...state, errors: { decision: 'Hãy chọn một quyết định.' }, message: 'Chưa ghi được: hãy chọn một quyết định.' }, 400);
    }
    const claimedAt = request.body.claimedAt && !Number.isNaN(Date.parse(request.body.claimedAt)) ? request.body.claimedAt : undefined;
    return act(ctx, pages, request, reply, taskId, '/tham-dinh?thong-bao=da-quyet-dinh', () => ctx.reviews.decide(request.principal, taskId, {
      decision: values.decision as Decision, reasons: values.reasons, comment: values.comment.trim() || null, internalNote: values.internalNote.trim() || null, claimedAt,
    }), state);
  });
};
