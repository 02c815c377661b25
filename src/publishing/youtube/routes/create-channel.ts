import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import type { ChannelSettings } from '../model.js';
import { ChannelSettingsPatch } from './schemas.js';

const Body = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  clientId: Type.String({ minLength: 1, maxLength: 300 }),
  clientSecret: Type.String({ minLength: 1, maxLength: 300 }),
  orgCode: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  settings: Type.Optional(ChannelSettingsPatch),
}, { additionalProperties: false });

export const createChannel: Route = (app, ctx) => {
  app.post('/api/v1/publishing/youtube/channels', {
    schema: {
      tags: ['publishing'], security: BEARER, body: Body,
      summary: 'Thêm kênh YouTube (quản trị viên hoặc quản trị đơn vị); sau đó uỷ quyền qua /authorize',
      description: 'clientId/clientSecret là OAuth client của dự án Google Cloud (hạn mức dùng chung cho mọi kênh của dự án). Client secret được mã hoá (AES-256-GCM) và không bao giờ trả về.',
    },
  }, async (request, reply) => reply.code(201).send(await ctx.youtubeChannels.create(request.principal, { ...request.body, settings: request.body.settings as Partial<ChannelSettings> | undefined })));
};
