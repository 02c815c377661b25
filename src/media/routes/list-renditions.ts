import { IdParams, type Route } from '../../http/types.js';
import { mediaFile, SignedQuery, withQuery } from './media-access.js';

export const listRenditions: Route = (app, ctx) => {
  app.get('/api/v1/files/:id/renditions', {
    schema: { tags: ['media'], summary: 'Các bản chuyển mã của tệp (HLS, MP4, âm thanh, ảnh đại diện)', params: IdParams, querystring: SignedQuery },
  }, async (request) => {
    const { file, sign } = await mediaFile(ctx, request, request.params.id);
    const base = `/api/v1/files/${file.id}`;
    const renditions = await ctx.mediaRepository.renditions(file.sha256);
    return renditions.map((r) => ({
      id: r.id, kind: r.kind, format: r.format, width: r.width, height: r.height, bitrate: r.bitrate, size: r.size,
      url: withQuery(r.kind === 'hls' ? `${base}/hls/master.m3u8` : `${base}/renditions/${r.id}`, sign),
    }));
  });
};
