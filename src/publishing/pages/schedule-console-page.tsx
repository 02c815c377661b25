import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DISPLAY_TIMEZONE, dateInZone } from '../../core/zoned-time.js';
import { materialPath } from '../../materials/material-url.js';
import { Button, ConfirmAction, CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import { count, formatDay } from '../../web/components/format.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import { requirePublisher } from './publisher-access.js';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
export const ScheduleQuery = Type.Object({
  kenh: Type.Optional(Type.String({ maxLength: 40 })),
  tuan: Type.Optional(Type.String({ pattern: DATE })),
  'thong-bao': Type.Optional(Type.String({ maxLength: 40 })),
  so: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

const NOTICES: Record<string, (n: number) => string> = {
  'da-them': () => 'Đã xếp lịch phát.',
  'da-doi': () => 'Đã dời lịch phát.',
  'da-huy': () => 'Đã huỷ lịch phát.',
  'da-nhap': (n) => `Đã nhập ${count(n)} lịch phát.`,
};

/** The three parts of a day the grid's columns show, by the hour a lesson starts (Vietnam time). */
const BANDS = [{ name: 'Sáng', from: 0, to: 12 }, { name: 'Chiều', from: 12, to: 18 }, { name: 'Tối', from: 18, to: 24 }];
const STATUS: Record<string, string> = { aired: 'Đã phát', missed: 'Không phát được' };
const DAY_MS = 86_400_000;

/** The JSON form of BroadcastService.schedule (the same as GET /api/v1/publishing/broadcast/schedule). */
interface ScheduleJson {
  items: Array<{ id: string; channel: { code: string }; start: string; end: string; status: string; episode: number; material: { id: string; title: string } }>;
}
type Slot = ScheduleJson['items'][number];

export interface ImportReport {
  fileName: string;
  problems: Array<{ line: number; message: string }>;
}

export interface ScheduleState {
  notice?: string;
  message?: string;
  /** The slot a refused time ran into, marked in the grid. */
  clashSlotId?: string;
  values?: Record<string, string>;
  report?: ImportReport;
}

/** Monday of the week holding a date (YYYY-MM-DD, a calendar day in Vietnam). */
export function weekOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

const addDays = (date: string, days: number) => new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
export const schedulePath = (channel: string | undefined, week: string, extra = '') => `/xuat-ban/lich?${channel ? `kenh=${encodeURIComponent(channel)}&` : ''}tuan=${week}${extra}`;
/** `2030-01-07T19:00:00+07:00` → `19:00` (the API's times are in Vietnam time). */
const clock = (iso: string) => iso.slice(11, 16);

function SlotItem({ slot, csrfToken, channel, week, clash }: { slot: Slot; csrfToken: string; channel: string; week: string; clash: boolean }) {
  const id = `lich-${slot.id}`;
  const movable = slot.status === 'scheduled' && new Date(slot.start) > new Date();
  return (
    <li data-slot={slot.id} class={clash ? 'clash' : undefined}>
      <time datetime={slot.start}>{clock(slot.start)}</time>–<time datetime={slot.end}>{clock(slot.end)}</time>{' '}
      <a href={materialPath(slot.material.id, slot.material.title)}>{slot.material.title}</a> <span class="meta">(Tập {slot.episode})</span>
      {STATUS[slot.status] ? <> <span class="badge">{STATUS[slot.status]}</span></> : null}
      {clash ? <strong class="field-error"> Trùng giờ với lịch này</strong> : null}
      {movable ? (
        <>
          <details class="confirm">
            <summary class="button secondary">Dời giờ<span class="visually-hidden">: {slot.material.title} {clock(slot.start)}</span></summary>
            <form method="post" action={`/xuat-ban/lich/${slot.id}/doi-gio`}>
              <CsrfField token={csrfToken} />
              <input type="hidden" name="kenh" value={channel} />
              <input type="hidden" name="tuan" value={week} />
              <TextField name="ngay" id={`${id}-ngay`} type="date" label="Ngày mới" value={slot.start.slice(0, 10)} required />
              <TextField name="gio" id={`${id}-gio`} type="time" label="Giờ bắt đầu mới" value={clock(slot.start)} required />
              <Button>Dời lịch</Button>
            </form>
          </details>
          <ConfirmAction action={`/xuat-ban/lich/${slot.id}/huy?kenh=${encodeURIComponent(channel)}&tuan=${week}`} csrfToken={csrfToken}
            label={`Huỷ lịch ${clock(slot.start)}…`} confirmLabel="Huỷ lịch phát" question={`Huỷ lịch phát “${slot.material.title}” lúc ${clock(slot.start)}?`} />
        </>
      ) : null}
    </li>
  );
}

/** One channel's week: a row per day, a column per part of the day. A data table may scroll sideways on a phone (WCAG 1.4.10). */
function WeekGrid({ slots, week, channel, channelName, csrfToken, clashSlotId }: { slots: Slot[]; week: string; channel: string; channelName: string; csrfToken: string; clashSlotId?: string }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  return (
    <div class="table-scroll" role="region" aria-labelledby="luoi-tuan" tabindex={0}>
      <table class="week-grid">
        <caption id="luoi-tuan">Lịch phát kênh {channelName}, tuần {formatDay(`${days[0]}T00:00:00+07:00`)} – {formatDay(`${days[6]}T00:00:00+07:00`)} (giờ Việt Nam)</caption>
        <thead><tr><th scope="col">Ngày</th>{BANDS.map((band) => <th scope="col">{band.name} ({band.from}–{band.to} giờ)</th>)}</tr></thead>
        <tbody>
          {days.map((day) => (
            <tr>
              <th scope="row">{formatDay(`${day}T12:00:00+07:00`)}</th>
              {BANDS.map((band) => {
                const inBand = slots.filter((slot) => slot.start.slice(0, 10) === day && Number(slot.start.slice(11, 13)) >= band.from && Number(slot.start.slice(11, 13)) < band.to);
                return (
                  <td>
                    {inBand.length ? (
                      <ul class="plain-list">{inBand.map((slot) => <SlotItem slot={slot} csrfToken={csrfToken} channel={channel} week={week} clash={slot.id === clashSlotId} />)}</ul>
                    ) : <span class="meta">—</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ report }: { report: ImportReport }) {
  return (
    <div data-import-report>
      <p class="form-error" role="alert">Tệp {report.fileName} có {count(report.problems.length)} lỗi nên chưa ghi dòng nào. Sửa các dòng dưới đây rồi nhập lại cả tệp.</p>
      <table>
        <caption class="visually-hidden">Lỗi theo dòng của tệp {report.fileName}</caption>
        <thead><tr><th scope="col">Dòng</th><th scope="col">Lỗi</th></tr></thead>
        <tbody>{report.problems.map((problem) => <tr><th scope="row">{problem.line}</th><td>{problem.message}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

export async function sendSchedule(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, where: { channel?: string; week?: string }, state: ScheduleState = {}, status = 200) {
  const principal = requirePublisher(request);
  const { items: channels } = await ctx.broadcast.managedChannels(principal);
  const channel = channels.find((c) => c.code === where.channel) ?? channels[0];
  const week = weekOf(where.week ?? dateInZone(new Date(), DISPLAY_TIMEZONE));
  const from = `${week}T00:00:00+07:00`;
  const slots = channel
    ? ((await ctx.broadcast.schedule({ channel: channel.code, from, to: `${addDays(week, 7)}T00:00:00+07:00` }, 'json')).body as ScheduleJson).items
    : [];
  const csrfToken = reply.generateCsrf();
  const values = state.values ?? {};
  return pages.send(request, reply, {
    status, title: 'Lịch phát sóng theo tuần', description: 'Xếp, dời và nhập lịch phát sóng các kênh truyền hình, phát thanh.', cache: 'no-store',
    body: (
      <>
        <p><a href="/xuat-ban">‹ Xuất bản</a></p>
        <h1>Lịch phát sóng theo tuần</h1>
        {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
        <FormError message={state.message} />
        {state.report ? <Report report={state.report} /> : null}
        {!channel ? <p>Bạn chưa phụ trách kênh phát sóng nào. Kênh được tạo qua API (<code>POST /api/v1/publishing/broadcast/channels</code>).</p> : (
          <>
            <form method="get" action="/xuat-ban/lich" class="actions">
              <SelectField name="kenh" id="chon-kenh" label="Kênh" options={channels.map((c) => ({ value: c.code, label: `${c.name} (${c.kind === 'tv' ? 'truyền hình' : 'phát thanh'})` }))} value={channel.code} />
              <TextField name="tuan" id="chon-tuan" type="date" label="Tuần có ngày" value={week} />
              <Button>Xem</Button>
            </form>
            <p class="actions">
              <a href={schedulePath(channel.code, addDays(week, -7))}>‹ Tuần trước</a>
              <a href={schedulePath(channel.code, addDays(week, 7))}>Tuần sau ›</a>
            </p>
            <WeekGrid slots={slots} week={week} channel={channel.code} channelName={channel.name} csrfToken={csrfToken} clashSlotId={state.clashSlotId} />

            <section aria-labelledby="them-lich">
              <h2 id="them-lich">Xếp lịch phát</h2>
              <form method="post" action="/xuat-ban/lich/them">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="tuan" value={week} />
                <SelectField name="kenh" id="them-kenh" label="Kênh" options={channels.map((c) => ({ value: c.code, label: c.name }))} value={values.kenh ?? channel.code} required />
                <TextField name="hoc-lieu" id="them-hoc-lieu" label="Bài học (mã hoặc đường dẫn trang học liệu)" value={values['hoc-lieu']} required
                  hint="Bài giảng truyền hình (kênh truyền hình) hoặc bài học phát thanh (kênh phát thanh) đã xuất bản." />
                <TextField name="ngay" id="them-ngay" type="date" label="Ngày" value={values.ngay} required />
                <TextField name="gio" id="them-gio" type="time" label="Giờ bắt đầu" value={values.gio} required />
                <TextField name="ket-thuc" id="them-ket-thuc" type="time" label="Giờ kết thúc (để trống: theo thời lượng bài)" value={values['ket-thuc']} />
                <Button>Xếp lịch</Button>
              </form>
            </section>

            <section aria-labelledby="nhap-lich">
              <h2 id="nhap-lich">Nhập lịch từ tệp</h2>
              <form method="post" action="/xuat-ban/lich/nhap" enctype="multipart/form-data">
                <CsrfField token={csrfToken} />
                <input type="hidden" name="kenh" value={channel.code} />
                <input type="hidden" name="tuan" value={week} />
                <div class="field">
                  <label for="nhap-tep">Tệp lịch (CSV hoặc Excel .xlsx)</label>
                  <p class="hint" id="nhap-tep-goi-y">Các cột: Kênh (mã kênh), Học liệu (mã hoặc đường dẫn), Bắt đầu (ví dụ 2030-01-07 19:00, giờ Việt Nam), Kết thúc (nếu cần). Tất cả hoặc không dòng nào: có lỗi thì không ghi gì và liệt kê mọi lỗi theo dòng.</p>
                  <input type="file" id="nhap-tep" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="nhap-tep-goi-y" required />
                </div>
                <Button>Nhập lịch</Button>
              </form>
            </section>
          </>
        )}
      </>
    ),
  });
}

export const scheduleConsolePage: Page = (app, ctx, pages) => {
  app.get('/xuat-ban/lich', { schema: { hide: true, querystring: ScheduleQuery } }, (request, reply) =>
    sendSchedule(ctx, pages, request, reply, { channel: request.query.kenh, week: request.query.tuan }, { notice: NOTICES[request.query['thong-bao'] ?? '']?.(request.query.so ?? 0) }));
};
