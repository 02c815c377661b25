import { Type } from 'typebox';
import type { Route } from '../../../http/types.js';
import { CONSOLE_CONSENT_PATH, OAUTH_CALLBACK_PATH } from '../channel.service.js';

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
      description: 'Không cần đăng nhập: tham số state được ký bằng khoá của máy chủ và hết hạn sau 15 phút. Trình duyệt (Accept: text/html) được chuyển (303) tới trang xuất bản, nơi kết quả được hiển thị.',
    },
  }, async (request, reply) => {
    // Google sends the person who consented back in their browser: the publisher console finishes the
    // consent and shows its outcome (src/publishing/pages/youtube-consent-action.ts). API clients get JSON.
    if ((request.headers.accept ?? '').includes('text/html')) {
      return reply.header('cache-control', 'no-store').redirect(`${CONSOLE_CONSENT_PATH}?${new URLSearchParams(pick(request.query)).toString()}`, 303);
    }
    return ctx.youtubeChannels.completeAuthorization(request.query);
  });
};

/** Only what the consent needs travels on: Google's other parameters stay behind. */
function pick(query: { code?: string; state?: string; error?: string }): Record<string, string> {
  return Object.fromEntries((['code', 'state', 'error'] as const).filter((name) => query[name] !== undefined).map((name) => [name, query[name]!]));
}
