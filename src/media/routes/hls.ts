import { text } from 'node:stream/consumers';
import { AppError } from '../../core/errors.js';
import { sendObject } from '../../files/send-object.js';
import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery, withQuery } from './media-access.js';

const SAFE_PATH = /^(?:v\d+\/)?[A-Za-z0-9_.-]+\.(m3u8|m4s|mp4)$/;
const TYPES: Record<string, string> = { m3u8: 'application/vnd.apple.mpegurl', m4s: 'video/iso.segment', mp4: 'video/mp4' };

/** Appends the signature to every URI of a playlist, so that a player's next requests carry it. */
export function signPlaylist(playlist: string, query: string): string {
  if (!query) return playlist;
  return playlist.split('\n').map((line) => {
    if (line.startsWith('#')) return line.replace(/URI="([^"]+)"/g, (_, uri: string) => `URI="${withQuery(uri, query)}"`);
    return line.trim() ? withQuery(line.trim(), query) : line;
  }).join('\n');
}

export const hls: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/hls/*', {
    schema: { tags: ['media'], summary: 'Phát trực tuyến HLS: master.m3u8, danh sách phát theo mức chất lượng và các đoạn', params: IdParams, querystring: SignedQuery },
  }, async (request, reply) => {
    const { file, sign, isPublic } = await mediaFile(ctx, request, request.params.id);
    // The wildcard stays out of the schema: TypeBox reads a "*" key as a pattern.
    const relative = (request.params as unknown as { '*': string })['*'];
    const match = SAFE_PATH.exec(relative);
    if (!match || relative.includes('..')) throw AppError.notFound('file');
    const [master] = await ctx.mediaRepository.renditions(file.sha256, 'hls');
    if (!master) throw AppError.notFound('file');
    const key = master.storageKey.slice(0, master.storageKey.lastIndexOf('/') + 1) + relative;
    const size = await ctx.storage.size(key);
    if (size === null) throw AppError.notFound('file');
    if (match[1] === 'm3u8') {
      const playlist = await text(await ctx.storage.read(key));
      return reply.type(TYPES.m3u8!).header('cache-control', isPublic ? 'public, max-age=3600' : 'private, no-store').send(signPlaylist(playlist, sign));
    }
    return sendObject(ctx, request, reply, { storageKey: key, size, mime: TYPES[match[1]!]!, etag: `${master.id}-${relative}`, cache: isPublic ? 'public' : 'private' });
  });
};
