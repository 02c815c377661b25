import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { signFile, verifyFileSignature } from '../../files/signed-url.js';

export const SignedQuery = Type.Object({ exp: Type.Optional(Type.String()), sig: Type.Optional(Type.String()) });

/**
 * The file behind a media URL, if the caller may see it: the public for published versions,
 * owners and reviewers by their token, or anyone with a valid signed link. `sign` is the query
 * string to put on every URL handed out for a file that is not public.
 */
export async function mediaFile(ctx: AppContext, request: FastifyRequest, fileId: string) {
  const query = request.query as { exp?: string; sig?: string };
  const signed = verifyFileSignature(ctx.secretKey, fileId, query);
  const found = await ctx.files.forDownload(request.principal, fileId, { signed });
  const sign = found.isPublic ? '' : signed ? `exp=${query.exp}&sig=${query.sig}` : signFile(ctx.secretKey, fileId);
  return { ...found, sign };
}

export function withQuery(url: string, query: string): string {
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}
