import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import type { ReviewScope } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { AdminBackLink, Notice } from '../../web/components/admin.js';
import { Button, ChoiceGroup, CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import { formatDate, isoDate } from '../../web/components/format.js';
import { requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { orgEtag } from '../org.service.js';
import { ORG_KIND_NAMES, orgPath } from './org-kinds.js';

const Params = Type.Object({ code: Type.String({ maxLength: 64 }) });
const Query = Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })) });
const Many = Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })]));
const Body = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  /** The ETag of the org as the page showed it: a change made since is not overwritten. */
  'phien-ban': Type.Optional(Type.String({ maxLength: 200 })),
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  'tham-dinh': Type.Optional(Type.String({ maxLength: 10 })),
  levels: Many,
  subjects: Many,
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
});

const NOTICES: Record<string, string> = {
  'da-tao': 'Đã tạo đơn vị.',
  'da-luu': 'Đã lưu thay đổi.',
  'da-chuyen': 'Đã chuyển đơn vị (cùng các đơn vị trực thuộc).',
  'da-sap-nhap': 'Đã sáp nhập: các đơn vị trực thuộc, tài khoản, học liệu và nhiệm vụ thẩm định đang mở đã chuyển về đơn vị này.',
};

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function scopeText(ctx: AppContext, scope: ReviewScope | null): string {
  if (!scope) return 'Không phải cấp thẩm định.';
  const levels = (scope.levels ?? []).map((code) => ctx.taxonomy.name('level', code) ?? code);
  const subjects = (scope.subjects ?? []).map((code) => ctx.taxonomy.name('subject', code) ?? code);
  if (!levels.length && !subjects.length) return 'Thẩm định mọi học liệu gửi lên từ các đơn vị trực thuộc.';
  return [levels.length ? `cấp học: ${levels.join(', ')}` : null, subjects.length ? `môn: ${subjects.join(', ')}` : null].filter(Boolean).join('; ');
}

interface State { notice?: string; message?: string; nameError?: string; values?: Static<typeof Body> }

async function show(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, code: string, state: State, status = 200) {
  const { org, manageable } = await ctx.orgs.forAdministration(request.principal, code);
  const taxonomy = ctx.taxonomy.document();
  const csrf = reply.generateCsrf();
  const version = orgEtag(org);
  const scope = org.reviewScope;
  const targets = manageable ? (await ctx.orgs.administered(request.principal)).filter((o) => !o.closedAt && o.code !== org.code) : [];
  return pages.send(request, reply, {
    status, title: org.name, description: `Đơn vị ${org.name} (${org.code}).`, cache: 'no-store',
    body: (
      <>
        <AdminBackLink to="/quan-tri/don-vi" label="Cây đơn vị" />
        <h1>{org.name}</h1>
        <Notice text={state.notice} />
        <FormError message={state.message} />
        <dl class="facts">
          <dt>Mã</dt><dd>{org.code}</dd>
          <dt>Loại</dt><dd>{ORG_KIND_NAMES[org.kind]}</dd>
          <dt>Trực thuộc</dt><dd>{org.parentCode ? <a href={orgPath(org.parentCode)}>{org.parentCode}</a> : '—'}</dd>
          <dt>Phạm vi thẩm định</dt><dd>{scopeText(ctx, scope)}</dd>
          {org.closedAt ? <><dt>Đã sáp nhập</dt><dd>vào {org.mergedIntoCode ? <a href={orgPath(org.mergedIntoCode)}>{org.mergedIntoCode}</a> : '—'} ngày <time datetime={isoDate(org.closedAt)}>{formatDate(org.closedAt)}</time></dd></> : null}
        </dl>
        <p><a href={`/quan-tri/nhat-ky?don-vi=${encodeURIComponent(org.code)}`}>Nhật ký của đơn vị này</a></p>
        {manageable ? (
          <>
            <section aria-labelledby="doi-ten">
              <h2 id="doi-ten">Đổi tên</h2>
              <form method="post" action={orgPath(org.code)} novalidate>
                <CsrfField token={csrf} />
                <input type="hidden" name="phien-ban" value={version} />
                <TextField name="name" label="Tên mới" value={state.values?.name ?? org.name} required error={state.nameError} />
                <Button>Lưu tên</Button>
              </form>
            </section>
            <section aria-labelledby="pham-vi">
              <h2 id="pham-vi">Phạm vi thẩm định</h2>
              <form method="post" action={orgPath(org.code)} novalidate>
                <CsrfField token={csrf} />
                <input type="hidden" name="phien-ban" value={version} />
                <ChoiceGroup name="tham-dinh" legend="Đơn vị này có phải một cấp thẩm định?" type="radio" values={[scope ? 'co' : 'khong']}
                  options={[{ value: 'khong', label: 'Không' }, { value: 'co', label: 'Có', hint: 'Không chọn cấp học hay môn nào: thẩm định mọi học liệu của các đơn vị trực thuộc.' }]} />
                <ChoiceGroup name="levels" legend="Cấp học" type="checkbox" values={scope?.levels ?? []} options={taxonomy.levels.map((l) => ({ value: l.code, label: l.name }))} />
                <ChoiceGroup name="subjects" legend="Môn học" type="checkbox" values={scope?.subjects ?? []} options={taxonomy.subjects.map((s) => ({ value: s.code, label: s.name }))} />
                <Button>Lưu phạm vi</Button>
              </form>
            </section>
            <section aria-labelledby="chuyen">
              <h2 id="chuyen">Chuyển hoặc sáp nhập</h2>
              <p>Bước đầu chỉ xem trước những gì sẽ chuyển; chưa có gì thay đổi cho đến khi bạn xác nhận.</p>
              <form method="get" action={`${orgPath(org.code)}/chuyen`}>
                <ChoiceGroup name="cach" legend="Thao tác" type="radio" values={['move']} options={[
                  { value: 'move', label: 'Chuyển sang đơn vị cấp trên khác', hint: 'Đơn vị này cùng các đơn vị trực thuộc đổi cấp trên.' },
                  { value: 'merge', label: 'Sáp nhập vào một đơn vị cùng cấp', hint: 'Các đơn vị trực thuộc, tài khoản, học liệu, kênh và nhiệm vụ thẩm định đang mở chuyển sang; đơn vị này đóng lại, lịch sử giữ nguyên.' },
                ]} />
                <SelectField name="den" label="Đơn vị đích" emptyLabel="— Chọn đơn vị —" required options={targets.map((o) => ({ value: o.code, label: `${o.name} (${o.code})` }))} />
                <Button>Xem trước</Button>
              </form>
            </section>
          </>
        ) : null}
      </>
    ),
  });
}

async function save(ctx: AppContext, pages: PageRenderer, code: string, body: Static<typeof Body>, request: FastifyRequest, reply: FastifyReply) {
  if (body['khoi-phuc']) return show(ctx, pages, request, reply, code, { values: body, message: 'Phiên đăng nhập đã hết hạn trước khi lưu: hãy kiểm tra rồi lưu lại.' });
  const changes: { name?: string; reviewScope?: ReviewScope | null } = {};
  if (body.name !== undefined) {
    const name = body.name.trim();
    if (name === '' || name.length > 300) return show(ctx, pages, request, reply, code, { values: body, nameError: 'Hãy nhập tên đơn vị (tối đa 300 ký tự).', message: 'Chưa lưu được.' }, 400);
    changes.name = name;
  }
  if (body['tham-dinh'] !== undefined) {
    const levels = list(body.levels);
    const subjects = list(body.subjects);
    changes.reviewScope = body['tham-dinh'] === 'co' ? { ...(levels.length ? { levels } : {}), ...(subjects.length ? { subjects } : {}) } : null;
  }
  try {
    await ctx.orgs.update(request.principal, code, body['phien-ban'], changes);
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 404) {
      return show(ctx, pages, request, reply, code, { values: body, message: error.describe('vi') }, error.status);
    }
    throw error;
  }
  return reply.header('cache-control', 'no-store').redirect(`${orgPath(code)}?thong-bao=da-luu`, 303);
}

export const orgPage: Page = (app, ctx, pages) => {
  app.get('/quan-tri/don-vi/:code', { schema: { hide: true, params: Params, querystring: Query } }, (request, reply) =>
    show(ctx, pages, request, reply, request.params.code, { notice: NOTICES[request.query['thong-bao'] ?? ''] }));
  app.post('/quan-tri/don-vi/:code', { schema: { hide: true, params: Params, body: Body }, preHandler: requireCsrf(app) }, (request, reply) =>
    save(ctx, pages, request.params.code, request.body, request, reply));
};

