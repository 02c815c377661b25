import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requireRole } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { Button, SelectField } from '../../web/components/form.js';
import { classificationLine } from '../../web/components/classification.js';
import { formatDate, formatTime, isoDate } from '../../web/components/format.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { QueueFilter, TaskStatus } from '../review.repository.js';
import { DECISION_NAMES } from './review-history.js';
import { reviewTaskPath } from './review-task-page.js';

// Loose on purpose: an unknown choice is no filter, not an error page.
const Query = Type.Object({
  'trang-thai': Type.Optional(Type.String({ maxLength: 40 })),
  cap: Type.Optional(Type.String({ maxLength: 60 })), lop: Type.Optional(Type.String({ maxLength: 40 })),
  mon: Type.Optional(Type.String({ maxLength: 60 })), loai: Type.Optional(Type.String({ maxLength: 60 })),
  'cho-tu': Type.Optional(Type.String({ maxLength: 40 })),
  'thong-bao': Type.Optional(Type.String({ maxLength: 40 })),
});

/** The queue's tabs: the API's states, the claimed ones split into the reviewer's own and the others'. */
const TABS = [
  { key: 'cho-nhan', label: 'Chưa ai nhận', status: 'open' },
  { key: 'cua-toi', label: 'Tôi đang thẩm định', status: 'claimed' },
  { key: 'nguoi-khac', label: 'Người khác đang thẩm định', status: 'claimed' },
  { key: 'da-xong', label: 'Đã xong', status: 'done' },
] as const satisfies ReadonlyArray<{ key: string; label: string; status: TaskStatus }>;

const AGES = [{ value: '3', label: 'Từ 3 ngày' }, { value: '7', label: 'Từ 7 ngày' }, { value: '14', label: 'Từ 14 ngày' }, { value: '30', label: 'Từ 30 ngày' }];

const NOTICES: Record<string, string> = { 'da-tra-lai': 'Đã trả nhiệm vụ về hàng đợi.', 'da-quyet-dinh': 'Đã ghi quyết định thẩm định.' };

type Item = Awaited<ReturnType<AppContext['reviews']['list']>>['items'][number];

const When = ({ at }: { at: Date | string }) => <time datetime={isoDate(at)}>{formatTime(at)} ngày {formatDate(at)}</time>;

/** The TV-lesson checks (src/media/qc-profile.ts) by name. */
const QC_CHECK_NAMES: Record<string, string> = {
  resolution: 'độ phân giải', aspectRatio: 'tỉ lệ khung hình', frameRate: 'tốc độ khung hình', scan: 'quét hình', duration: 'thời lượng', audio: 'âm thanh',
  loudness: 'độ to', truePeak: 'đỉnh âm thanh', black: 'hình đen', silence: 'im lặng', frozen: 'hình đứng',
};

function QcResult({ item }: { item: Item }) {
  const qc = 'qc' in item.material ? item.material.qc : undefined;
  if (!qc) return null;
  if (qc.state !== 'ready') return <p data-qc={qc.state}>Kiểm tra kỹ thuật: {qc.state === 'failed' ? 'không thực hiện được' : 'đang thực hiện'}</p>;
  const verdict = qc.status === 'pass' ? 'Đạt' : qc.status === 'warn' ? 'Đạt, có cảnh báo' : 'Không đạt';
  return <p data-qc={qc.status}>Kiểm tra kỹ thuật: <strong>{verdict}</strong>{qc.failed.length ? ` (không đạt: ${qc.failed.map((c) => QC_CHECK_NAMES[c] ?? c).join(', ')})` : ''}</p>;
}

function TaskRow({ ctx, item }: { ctx: AppContext; item: Item }) {
  const m = item.material;
  return (
    <li data-task={item.id}>
      <h3><a href={reviewTaskPath(item.id)}>{m.title}</a></h3>
      <p class="meta">{classificationLine(ctx.taxonomy, m)} · Phiên bản {item.version} · Bước {item.stage.order}</p>
      <p>{m.orgName}{m.province ? `, ${m.province}` : ''} · Chờ từ <When at={item.createdAt} /></p>
      <QcResult item={item} />
      {item.status === 'claimed' ? <p class="state-note">Đang được {item.claimedByName} thẩm định, đến <When at={item.claimExpiresAt!} /></p> : null}
      {item.status === 'open' && !item.claimable ? <p class="state-note">Bạn là tác giả của phiên bản này nên không thẩm định nó.</p> : null}
      {item.status === 'done' && item.decision ? <p>Quyết định: <strong>{DECISION_NAMES[item.decision] ?? item.decision}</strong></p> : null}
    </li>
  );
}

function filterOf(ctx: AppContext, query: Static<typeof Query>): QueueFilter {
  const t = ctx.taxonomy;
  const grade = Number(query.lop);
  const days = Number(query['cho-tu']);
  return {
    ...(query.cap && t.has('level', query.cap) ? { level: query.cap } : {}),
    ...(Number.isInteger(grade) && grade >= 1 && grade <= 12 ? { grade } : {}),
    ...(query.mon && t.has('subject', query.mon) ? { subject: query.mon } : {}),
    ...(query.loai && t.has('material-type', query.loai) ? { type: query.loai } : {}),
    ...(AGES.some((a) => a.value === query['cho-tu']) ? { waitingDays: days } : {}),
  };
}

async function show(ctx: AppContext, pages: PageRenderer, query: Static<typeof Query>, request: FastifyRequest, reply: FastifyReply) {
  const actor = requireRole(request.principal, 'reviewer');
  const tab = TABS.find((t) => t.key === query['trang-thai']) ?? TABS[0];
  const filter = filterOf(ctx, query);
  const all = (await ctx.reviews.list(actor, tab.status, filter)).items;
  const items = tab.key === 'cua-toi' ? all.filter((i) => i.claimedBy === actor.id) : tab.key === 'nguoi-khac' ? all.filter((i) => i.claimedBy !== actor.id) : all;
  const terms = ctx.taxonomy.document();
  const params = (key: string) => {
    const kept = new URLSearchParams(Object.entries({ cap: filter.level, lop: filter.grade?.toString(), mon: filter.subject, loai: filter.type, 'cho-tu': filter.waitingDays?.toString() })
      .filter((entry): entry is [string, string] => entry[1] !== undefined));
    kept.set('trang-thai', key);
    return `/tham-dinh?${kept.toString()}`;
  };
  const notice = NOTICES[query['thong-bao'] ?? ''];
  return pages.send(request, reply, {
    title: 'Thẩm định', description: 'Hàng đợi thẩm định học liệu của đơn vị.', cache: 'no-store',
    body: (
      <>
        <h1>Hàng đợi thẩm định</h1>
        {notice ? <p class="notice" role="status">{notice}</p> : null}
        <nav aria-label="Trạng thái nhiệm vụ" class="tabs">
          <ul>{TABS.map((t) => <li>{t.key === tab.key ? <span aria-current="page">{t.label}</span> : <a href={params(t.key)}>{t.label}</a>}</li>)}</ul>
        </nav>
        <form method="get" action="/tham-dinh" class="search-form" aria-label="Lọc hàng đợi">
          <input type="hidden" name="trang-thai" value={tab.key} />
          <div class="filters">
            <SelectField name="cap" label="Cấp học" value={filter.level} emptyLabel="Tất cả" options={terms.levels.map((l) => ({ value: l.code, label: l.name }))} />
            <SelectField name="lop" label="Lớp" value={filter.grade?.toString()} emptyLabel="Tất cả" options={terms.grades.map((g) => ({ value: String(g.grade), label: g.name }))} />
            <SelectField name="mon" label="Môn học" value={filter.subject} emptyLabel="Tất cả" options={terms.subjects.map((s) => ({ value: s.code, label: s.name }))} />
            <SelectField name="loai" label="Loại học liệu" value={filter.type} emptyLabel="Tất cả" options={terms.materialTypes.map((m) => ({ value: m.code, label: m.name }))} />
            <SelectField name="cho-tu" label="Thời gian chờ" value={filter.waitingDays?.toString()} emptyLabel="Bất kỳ" options={AGES} />
          </div>
          <Button>Lọc</Button>
        </form>
        <h2>{tab.label} <span class="meta">({items.length})</span></h2>
        <p class="hint">Cũ nhất trước.</p>
        {items.length ? <ul class="plain-list status-list">{items.map((item) => <TaskRow ctx={ctx} item={item} />)}</ul> : <p class="meta">Không có nhiệm vụ nào.</p>}
      </>
    ),
  });
}

export const reviewQueuePage: Page = (app, ctx, pages) => {
  app.get('/tham-dinh', { schema: { hide: true, querystring: Query } }, (request, reply) => show(ctx, pages, request.query, request, reply));
};
