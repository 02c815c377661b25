import { Type } from 'typebox';
import type { Route } from '../../../http/types.js';
import { OAUTH_CALLBACK_PATH } from '../channel.service.js';

const Query = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  scope: Type.Optional(Type.String({ maxLength: 2000 })),
}, {
  // Google adds parameters of its own (authuser, prompt, hd, iss) and may add more: they are ignored.
  additionalProperties: true,
});

export const oauthCallback: Route = (app, ctx) => {
  app.get(OAUTH_CALLBACK_PATH, {
    schema: {
      tags: ['publishing'], querystring: Query,
      summary: 'Google chuyển về đây sau khi đồng ý; lưu refresh token (đã mã hoá) cho kênh',
      description: 'Không cần đăng nhập: tham số state được ký bằng khoá của máy chủ và hết hạn sau 15 phút.',
    },
  }, async (request) => ctx.youtubeChannels.completeAuthorization(request.query));
};
