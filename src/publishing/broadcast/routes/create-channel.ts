import { Type } from 'typebox';
import { BEARER, type Route } from '../../../http/types.js';
import { ChannelCode } from './schemas.js';

const Body = Type.Object({
  code: ChannelCode,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Union([Type.Literal('tv'), Type.Literal('radio')]),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Tên múi giờ IANA; mặc định Asia/Ho_Chi_Minh' })),
  orgCode: Type.Optional(Type.String({ minLength: 1, description: 'Đơn vị phụ trách kênh; mặc định đơn vị của người tạo' })),
}, { additionalProperties: false });

export const createBroadcastChannel: Route = (app, ctx) => {
  app.post('/api/v1/publishing/broadcast/channels', {
    schema: { tags: ['broadcast'], summary: 'Tạo kênh truyền hình hoặc phát thanh (publisher của đơn vị hoặc cấp trên, admin)', security: BEARER, body: Body },
  }, async (request, reply) => reply.code(201).send(await ctx.broadcast.createChannel(request.principal, request.body)));
};
