import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { sendObject } from '../../files/send-object.js';
import type { ContentApp } from './content-app.js';
import { packageFilePolicy } from './content-policy.js';

/** A file of an unpacked package, streamed from storage (ranges for media), under the package's own policy. */
export function packageFile(app: ContentApp, ctx: AppContext, appOrigin: string): void {
  // No params schema: TypeBox cannot name the wildcard; the token is verified and the path checked below.
  app.get('/p/:token/*', async (request, reply) => {
    const params = request.params as { token: string; '*': string };
    const played = await ctx.packages.playable(params.token);
    if (!played) throw new AppError('CONTENT_TOKEN_INVALID');
    let path = params['*'];
    if (path === '' || path.endsWith('/')) path += 'index.html';
    if (path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '') || /[\\\0]/.test(path)) throw AppError.notFound('file');
    const object = await ctx.packages.object(played, path);
    if (!object) throw AppError.notFound('file');
    reply.header('content-security-policy', packageFilePolicy(appOrigin));
    return sendObject(ctx, request, reply, { ...object, cache: 'private' });
  });
}
