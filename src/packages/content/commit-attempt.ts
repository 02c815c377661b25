import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { AttemptCommit } from '../scorm-data.js';
import type { ContentApp } from './content-app.js';

const Params = Type.Object({ token: Type.String({ maxLength: 300 }) });

/**
 * Stores a signed-in learner's SCORM commit, sent by the wrapper page from this origin. The token
 * names the learner: no cookie is involved, and the public's tokens store nothing (403).
 */
export function commitAttempt(app: ContentApp, ctx: AppContext): void {
  app.post('/c/:token', { schema: { params: Params, body: AttemptCommit } }, async (request) => {
    const played = await ctx.packages.playable(request.params.token);
    if (!played || !['scorm12', 'scorm2004'].includes(played.row.kind)) throw new AppError('CONTENT_TOKEN_INVALID');
    return ctx.packages.commit(played, request.body);
  });
}
