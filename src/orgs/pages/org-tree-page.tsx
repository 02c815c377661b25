import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { AdminBackLink, requireAdministrator } from '../../web/components/admin.js';
import { Button, CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import { formatDate, isoDate } from '../../web/components/format.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { OrgKind } from '../org.repository.js';
import type { PresentedOrg } from '../org.service.js';
import { ORG_KIND_NAMES, orgPath } from './org-kinds.js';

// Lengths are checked by the service's rules and the API schema's: here only what a form can carry.
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 200 })),
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  parentCode: Type.Optional(Type.String({ maxLength: 200 })),
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

type Form = Static<typeof Body>;
interface FormState { message?: string; errors?: { code?: string; name?: string; kind?: string; parentCode?: string }; values?: Form }

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

function Tree({ orgs, all }: { orgs: PresentedOrg[]; all: Map<string, PresentedOrg[]> }) {
  return (
    <ul class="org-tree">
      {orgs.map((org) => {
        const children = all.get(org.code) ?? [];
        return (
          <li>
            <a href={orgPath(org.code)}>{org.name}</a> <span class="meta">({ORG_KIND_NAMES[org.kind]} · {org.code}{org.reviewScope ? ' · cấp thẩm định' : ''})</span>
            {children.length ? <Tree orgs={children} all={all} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

async function show(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  const principal = requireAdministrator(request.principal);
  const admin = principal.roles.includes('admin');
  const orgs = await ctx.orgs.administered(principal);
  const open = orgs.filter((org) => !org.closedAt);
  const closed = orgs.filter((org) => org.closedAt);
  const codes = new Set(open.map((org) => org.code));
  const byParent = new Map<string, PresentedOrg[]>();
  for (const org of open) if (org.parentCode && codes.has(org.parentCode)) byParent.set(org.parentCode, [...(byParent.get(org.parentCode) ?? []), org]);
  const roots = open.filter((org) => !org.parentCode || !codes.has(org.parentCode));
  const kinds: OrgKind[] = admin ? ['department', 'province', 'district', 'school'] : ['province', 'district', 'school'];
  const values = state.values ?? {};
  return pages.send(request, reply, {
    status, title: 'Cây đơn vị', description: 'Các đơn vị (Bộ, Vụ/Cục, Sở, Phòng, trường) và cấp thẩm định của chúng.', cache: 'no-store',
    body: (
      <>
        <AdminBackLink />
        <h1>Cây đơn vị</h1>
        <FormError message={state.message} />
        <section aria-labelledby="cay-don-vi">
          <h2 id="cay-don-vi">Các đơn vị ({open.length})</h2>
          <Tree orgs={roots} all={byParent} />
        </section>
        <section aria-labelledby="tao-don-vi">
          <h2 id="tao-don-vi">Tạo đơn vị</h2>
          <form method="post" action="/quan-tri/don-vi" novalidate>
            <CsrfField token={reply.generateCsrf()} />
            <TextField name="code" label="Mã đơn vị" hint="Chữ thường không dấu, số và gạch ngang, ví dụ thcs-nguyen-du. Không đổi được về sau." value={values.code} required error={state.errors?.code} />
            <TextField name="name" label="Tên đơn vị" value={values.name} required error={state.errors?.name} />
            <SelectField name="kind" label="Loại đơn vị" value={values.kind ?? 'school'} options={kinds.map((kind) => ({ value: kind, label: ORG_KIND_NAMES[kind] }))} error={state.errors?.kind} />
            <SelectField name="parentCode" label="Trực thuộc" value={values.parentCode} emptyLabel="— Chọn đơn vị cấp trên —" required error={state.errors?.parentCode}
              hint={admin ? 'Vụ/Cục phải trực thuộc Bộ.' : undefined}
              options={open.filter((org) => org.kind !== 'school').map((org) => ({ value: org.code, label: `${org.name} (${org.code})` }))} />
            <Button>Tạo đơn vị</Button>
          </form>
        </section>
        {closed.length ? (
          <section aria-labelledby="da-sap-nhap">
            <h2 id="da-sap-nhap">Đơn vị đã sáp nhập ({closed.length})</h2>
            <ul>
              {closed.map((org) => (
                <li>
                  <a href={orgPath(org.code)}>{org.name}</a> <span class="meta">({org.code})</span>: sáp nhập vào {org.mergedIntoCode ? <a href={orgPath(org.mergedIntoCode)}>{org.mergedIntoCode}</a> : '—'} ngày <time datetime={isoDate(org.closedAt!)}>{formatDate(org.closedAt!)}</time>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </>
    ),
  });
}

async function create(ctx: AppContext, pages: PageRenderer, body: Form, request: FastifyRequest, reply: FastifyReply) {
  if (body['khoi-phuc']) return show(ctx, pages, request, reply, { values: body, message: 'Phiên đăng nhập đã hết hạn trước khi tạo đơn vị: hãy kiểm tra rồi gửi lại.' });
  const principal = requireAdministrator(request.principal);
  const code = (body.code ?? '').trim();
  const name = (body.name ?? '').trim();
  const errors: NonNullable<FormState['errors']> = {};
  if (!CODE_PATTERN.test(code) || code.length < 2 || code.length > 64) errors.code = 'Mã cần 2–64 ký tự: chữ thường không dấu, số, gạch ngang, bắt đầu bằng chữ hoặc số.';
  if (name === '' || name.length > 300) errors.name = 'Hãy nhập tên đơn vị (tối đa 300 ký tự).';
  if (!['department', 'province', 'district', 'school'].includes(body.kind ?? '')) errors.kind = 'Hãy chọn loại đơn vị.';
  if (!body.parentCode) errors.parentCode = 'Hãy chọn đơn vị cấp trên.';
  const refuse = (message: string, status = 400) => show(ctx, pages, request, reply, { values: body, errors, message }, status);
  if (Object.keys(errors).length) return refuse('Chưa tạo được đơn vị: hãy sửa các ô được đánh dấu.');
  try {
    await ctx.orgs.create(principal, { code, name, kind: body.kind as OrgKind, parentCode: body.parentCode });
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401) return refuse(error.describe('vi'), error.status);
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`${orgPath(code)}?thong-bao=da-tao`, 303);
}

export const orgTreePage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/don-vi', { schema: { hide: true } }, (request, reply) => show(ctx, pages, request, reply, {}));
  app.post('/quan-tri/don-vi', { schema: { hide: true, body: Body }, preHandler: requireCsrf(app) }, (request, reply) => create(ctx, pages, request.body, request, reply));
};
