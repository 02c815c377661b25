import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requirePrincipal } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { Button, ChoiceGroup, CsrfField, FormError, TextField } from '../../web/components/form.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { KIND_NAMES } from '../messages.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../model.js';
import { EMAIL_PATTERN } from '../email-address.js';

const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 1000 })),
  events: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })])),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

interface FormState { email: string; events: string[]; mailConfigured: boolean; message?: string; emailError?: string }

function send(pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  return pages.send(request, reply, {
    status, title: 'Nhận thông báo qua e-mail', description: 'Chọn những thông báo bạn muốn nhận qua e-mail.', cache: 'no-store',
    body: (
      <>
        <p><a href="/cua-toi/thong-bao">‹ Thông báo</a></p>
        <h1>Nhận thông báo qua e-mail</h1>
        <FormError message={state.message} />
        <p>Mọi thông báo luôn có trong trang Thông báo. Chọn thêm những việc bạn muốn được báo qua e-mail; địa chỉ e-mail chỉ dùng để gửi các thông báo này.</p>
        {state.mailConfigured ? null : <p class="notice">Hệ thống hiện chưa cấu hình máy chủ gửi thư: lựa chọn được lưu và sẽ có hiệu lực khi thư được bật.</p>}
        <form method="post" action="/cua-toi/thong-bao/cai-dat" novalidate>
          <CsrfField token={reply.generateCsrf()} />
          <TextField name="email" label="Địa chỉ e-mail" type="email" autocomplete="email" value={state.email} error={state.emailError}
            hint="Để trống nếu không muốn nhận thư." />
          <ChoiceGroup name="events" legend="Gửi e-mail khi" type="checkbox" values={state.events}
            options={NOTIFICATION_KINDS.map((kind) => ({ value: kind, label: KIND_NAMES[kind] }))} />
          <Button>Lưu lựa chọn</Button>
        </form>
      </>
    ),
  });
}

async function save(ctx: AppContext, pages: PageRenderer, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  const principal = requirePrincipal(request.principal);
  const email = (body.email ?? '').trim();
  const events = (Array.isArray(body.events) ? body.events : body.events ? [body.events] : []).filter((e): e is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(e));
  const { mailConfigured } = await ctx.notifications.preferences(principal);
  if (body['khoi-phuc']) return send(pages, request, reply, { email, events, mailConfigured, message: 'Phiên đăng nhập đã hết hạn trước khi lưu: hãy kiểm tra rồi lưu lại.' });
  const emailError = email !== '' && (email.length > 254 || !EMAIL_PATTERN.test(email)) ? 'Địa chỉ e-mail không hợp lệ (ví dụ: ten@truong.edu.vn).'
    : email === '' && events.length > 0 ? 'Hãy nhập địa chỉ e-mail để nhận các thông báo đã chọn, hoặc bỏ chọn chúng.' : undefined;
  if (emailError) return send(pages, request, reply, { email, events, mailConfigured, emailError, message: 'Chưa lưu được: hãy sửa ô được đánh dấu.' }, 400);
  await ctx.notifications.setPreferences(principal, { email: email || null, emailEvents: events });
  return reply.header('cache-control', 'no-store').redirect('/cua-toi/thong-bao?thong-bao=da-luu', 303);
}

export const preferencesPage: Page = (app, ctx, pages) => {
  app.get('/cua-toi/thong-bao/cai-dat', { schema: { hide: true } }, async (request, reply) => {
    const preferences = await ctx.notifications.preferences(request.principal);
    return send(pages, request, reply, { email: preferences.email ?? '', events: preferences.emailEvents, mailConfigured: preferences.mailConfigured });
  });
  app.post('/cua-toi/thong-bao/cai-dat', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => save(ctx, pages, request.body, request, reply));
};
