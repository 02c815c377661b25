import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../../auth/principal.js';
import type { AppContext } from '../../context.js';
import { displayTime } from '../../core/zoned-time.js';
import { materialPath } from '../../materials/material-url.js';
import { Button, CsrfField, FormError, SelectField, TextField } from '../../web/components/form.js';
import { count, formatDate, formatTime, isoDate } from '../../web/components/format.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { ChannelStatus, ExportState } from '../youtube/model.js';
import { managesChannels, requirePublisher } from './publisher-access.js';

const Query = Type.Object({ 'thong-bao': Type.Optional(Type.String({ maxLength: 40 })), so: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) });

/** What an action reports back with `?thong-bao=` (and `so`, a count). */
const NOTICES: Record<string, (n: number) => string> = {
  'da-ket-noi': () => 'Đã kết nối kênh với Google: các lượt đang chờ sẽ tự chạy tiếp.',
  'da-xuat': () => 'Đã đưa bài vào hàng đợi xuất bản.',
  'da-co': () => 'Phiên bản này đã có trong hàng đợi (hoặc đã lên) kênh đó: không tạo lượt mới.',
  'da-xuat-bo': (n) => `Đã đưa ${count(n)} bài của bộ sưu tập vào hàng đợi.`,
};

export const CHANNEL_STATUS_NAMES: Record<ChannelStatus, string> = {
  needs_authorization: 'Chưa kết nối với Google',
  active: 'Đã kết nối',
  needs_reauthorization: 'Google đã thu hồi quyền: cần kết nối lại',
};

const EXPORT_STATE_NAMES: Record<ExportState, string> = {
  queued: 'Đang chờ', deferred: 'Tạm hoãn', uploading: 'Đang tải lên', processing: 'YouTube đang xử lý', done: 'Đã xong', failed: 'Thất bại',
};
const PRIVACY_NAMES: Record<string, string> = { private: 'Riêng tư', unlisted: 'Không công khai', public: 'Công khai' };
const OPEN_STATES = new Set<string>(['queued', 'deferred', 'uploading', 'processing']);
/** Finished exports shown under the waiting and running ones. */
const FINISHED_SHOWN = 20;

export interface ConsoleState {
  notice?: string;
  message?: string;
  /** The export forms as typed, shown again after a refusal. */
  values?: Record<string, string>;
}

type Channels = Awaited<ReturnType<AppContext['youtubeChannels']['list']>>['items'];
type Exports = Awaited<ReturnType<AppContext['youtubeExports']['list']>>['items'];

const when = (date: Date | string) => <time datetime={isoDate(date)}>{formatTime(date)} {formatDate(date)}</time>;

function ChannelTable({ channels, principal }: { channels: Channels; principal: Principal }) {
  if (channels.length === 0) return <p class="meta">Chưa có kênh YouTube nào bạn được dùng. Quản trị viên thêm kênh qua API (xem tài liệu API).</p>;
  return (
    <div class="table-scroll" role="region" aria-labelledby="kenh-youtube" tabindex={0}>
      <table>
        <thead><tr><th scope="col">Kênh</th><th scope="col">Trạng thái uỷ quyền</th><th scope="col">Kênh trên YouTube</th><th scope="col">Thao tác</th></tr></thead>
        <tbody>
          {channels.map((channel) => (
            <tr data-channel={channel.id}>
              <th scope="row">{channel.name} <span class="meta">({channel.orgCode})</span></th>
              <td data-channel-status={channel.status}>
                {CHANNEL_STATUS_NAMES[channel.status as ChannelStatus] ?? channel.status}
                {channel.pausedUntil ? <p class="meta">Tạm ngừng tải lên đến {when(channel.pausedUntil)}.</p> : null}
              </td>
              <td>{channel.youtubeTitle ?? <span class="meta">—</span>}</td>
              <td>
                {managesChannels(principal) ? (
                  <a class="button secondary" href={`/xuat-ban/kenh/${channel.id}/ket-noi`}>
                    {channel.status === 'active' ? 'Kết nối lại' : channel.status === 'needs_reauthorization' ? 'Kết nối lại với Google' : 'Kết nối với Google'}
                    <span class="visually-hidden">: {channel.name}</span>
                  </a>
                ) : channel.status === 'active' ? null : <span class="meta">Nhờ quản trị viên của đơn vị kết nối kênh.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Quota belongs to the Google project (the OAuth client): channels that share one are shown once. */
function QuotaList({ channels }: { channels: Channels }) {
  const projects = new Map<string, { names: string[]; project: Channels[number]['project'] }>();
  for (const channel of channels) {
    const entry = projects.get(channel.clientId) ?? { names: [], project: channel.project };
    entry.names.push(channel.name);
    projects.set(channel.clientId, entry);
  }
  if (projects.size === 0) return null;
  return (
    <ul class="plain-list status-list">
      {[...projects.values()].map(({ names, project }) => (
        <li data-quota>
          <strong>{names.join(', ')}</strong>
          <p>
            Đã dùng <strong>{count(project.unitsUsed)}</strong> / {count(project.dailyUnits)} đơn vị
            {project.dailyUploads > 0 ? <>, <strong>{count(project.uploadsUsed)}</strong> / {count(project.dailyUploads)} lượt tải lên</> : null} hôm nay.
            {' '}Đặt lại lúc {when(project.nextReset)} (0 giờ theo giờ Thái Bình Dương).
          </p>
          {project.pausedUntil ? <p class="field-error">Google báo hết hạn mức: tạm dừng đến {when(project.pausedUntil)}.</p> : null}
          {project.unverified ? <p class="state-note">Dự án Google chưa qua kiểm định API: YouTube để mọi video tải lên ở chế độ riêng tư.</p> : null}
        </li>
      ))}
    </ul>
  );
}

function ExportRow({ row, title, channel }: { row: Exports[number]; title: string | null; channel: string }) {
  const name = title ?? 'Học liệu không còn công khai';
  return (
    <tr data-export={row.id} data-export-state={row.state}>
      <th scope="row">{title ? <a href={materialPath(row.materialId, title)}>{title}</a> : name} <span class="meta">(phiên bản {row.version})</span></th>
      <td>{channel}</td>
      <td>
        {EXPORT_STATE_NAMES[row.state as ExportState] ?? row.state}
        {'percent' in row && row.percent !== undefined ? <> <progress max={100} value={row.percent} aria-label={`Tiến độ tải lên: ${name}`}>{row.percent}%</progress> {row.percent}%</> : null}
      </td>
      <td>
        {row.state === 'failed' ? <span class="field-error">{row.reason}</span> : null}
        {row.state === 'deferred' && row.reason ? <span>{row.reason}. </span> : null}
        {(row.state === 'queued' || row.state === 'deferred') ? (
          'expectedStart' in row && row.expectedStart ? <span>Dự kiến bắt đầu: {when(row.expectedStart)}</span>
            : 'expectedStart' in row ? <span class="field-error">Không bao giờ đủ hạn mức trong một ngày: cần đổi cấu hình hạn mức.</span> : null
        ) : null}
        {row.state === 'done' && row.url ? <a href={row.url}>Xem trên YouTube<span class="visually-hidden">: {name}</span></a> : null}
        {row.state === 'done' ? <span class="meta"> {PRIVACY_NAMES[row.appliedPrivacy ?? row.privacy] ?? row.privacy}{row.publishAt ? `, công khai lúc ${displayTime(new Date(row.publishAt))}` : ''}</span> : null}
        {row.warnings.length ? <ul>{row.warnings.map((warning) => <li>{warning}</li>)}</ul> : null}
      </td>
    </tr>
  );
}

function ExportQueue({ rows, titles, channels }: { rows: Exports; titles: Map<string, string | null>; channels: Channels }) {
  const open = rows.filter((row) => OPEN_STATES.has(row.state));
  const finished = rows.filter((row) => !OPEN_STATES.has(row.state))
    .sort((a, b) => new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime()).slice(0, FINISHED_SHOWN);
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  const shown = [...open, ...finished];
  if (shown.length === 0) return <p class="meta">Hàng đợi trống.</p>;
  return (
    <>
      <div class="table-scroll" role="region" aria-labelledby="hang-doi" tabindex={0}>
        <table>
          <thead><tr><th scope="col">Học liệu</th><th scope="col">Kênh</th><th scope="col">Trạng thái</th><th scope="col">Chi tiết</th></tr></thead>
          <tbody>{shown.map((row) => <ExportRow row={row} title={titles.get(row.materialId) ?? null} channel={channelName.get(row.channelId) ?? '—'} />)}</tbody>
        </table>
      </div>
      {open.length ? <p><a href="/xuat-ban#hang-doi">Tải lại trang để xem tiến độ</a></p> : null}
    </>
  );
}

function ExportForms({ channels, collections, csrfToken, values }: { channels: Channels; collections: Array<{ id: string; title: string; itemCount: number }>; csrfToken: string; values: Record<string, string> }) {
  const channelOptions = channels.map((c) => ({ value: c.id, label: `${c.name}${c.status === 'active' ? '' : ` (${CHANNEL_STATUS_NAMES[c.status as ChannelStatus]})`}` }));
  const privacy = [{ value: 'private', label: 'Riêng tư' }, { value: 'unlisted', label: 'Không công khai' }, { value: 'public', label: 'Công khai' }];
  return (
    <>
      <form method="post" action="/xuat-ban/xuat" aria-labelledby="xuat-mot-bai">
        <h3 id="xuat-mot-bai">Một bài giảng truyền hình hoặc video</h3>
        <CsrfField token={csrfToken} />
        <SelectField name="kenh" id="xuat-kenh" label="Kênh YouTube" options={channelOptions} value={values.kenh} required />
        <TextField name="hoc-lieu" id="xuat-hoc-lieu" label="Học liệu (mã hoặc đường dẫn trang học liệu)" value={values['hoc-lieu']} required
          hint="Dán đường dẫn của trang học liệu đã xuất bản, ví dụ /hoc-lieu/…/tam-giac-dong-dang." />
        <SelectField name="che-do" id="xuat-che-do" label="Chế độ hiển thị trên YouTube" emptyLabel="Theo cài đặt của kênh" options={privacy} value={values['che-do']} />
        <Button>Xuất bản lên YouTube</Button>
      </form>
      <form method="post" action="/xuat-ban/xuat-bo-suu-tap" aria-labelledby="xuat-bo-suu-tap">
        <h3 id="xuat-bo-suu-tap">Cả một bộ sưu tập</h3>
        <CsrfField token={csrfToken} />
        <SelectField name="kenh" id="bo-kenh" label="Kênh YouTube" options={channelOptions} value={values.kenh} required />
        {collections.length ? (
          <SelectField name="bo-suu-tap" id="bo-bo-suu-tap" label="Bộ sưu tập" options={collections.map((c) => ({ value: c.id, label: `${c.title} (${count(c.itemCount)} học liệu)` }))} value={values['bo-suu-tap']} required />
        ) : <p class="meta">Chưa có bộ sưu tập nào.</p>}
        <Button>Xuất bản cả bộ sưu tập</Button>
      </form>
    </>
  );
}

export async function sendConsole(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, state: ConsoleState = {}, status = 200) {
  const principal = requirePublisher(request);
  const [{ items: channels }, { items: exports }, { items: collections }] = await Promise.all([
    ctx.youtubeChannels.list(principal), ctx.youtubeExports.list(principal, {}), ctx.collections.list({}),
  ]);
  // The public title of each lesson in the queue (its published version; an archived one has none).
  const ids = [...new Set(exports.map((row) => row.materialId))];
  const titles = new Map(await Promise.all(ids.map(async (id) => [id, await ctx.materials.get(null, id).then((m) => m.title, () => null)] as const)));
  const csrfToken = reply.generateCsrf();
  return pages.send(request, reply, {
    status, title: 'Xuất bản', description: 'Kênh YouTube, hạn mức API, hàng đợi xuất bản và lịch phát sóng.', cache: 'no-store',
    scripts: exports.some((row) => OPEN_STATES.has(row.state)) ? ['export-queue.js'] : [],
    body: (
      <>
        <h1>Xuất bản</h1>
        <p class="actions"><a class="button secondary" href="/xuat-ban/lich">Lịch phát sóng theo tuần</a></p>
        {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
        <FormError message={state.message} />
        <section aria-labelledby="kenh-youtube">
          <h2 id="kenh-youtube">Kênh YouTube</h2>
          <ChannelTable channels={channels} principal={principal} />
        </section>
        <section aria-labelledby="han-muc">
          <h2 id="han-muc">Hạn mức API YouTube hôm nay</h2>
          <QuotaList channels={channels} />
          {channels.length === 0 ? <p class="meta">Không có dự án Google nào.</p> : null}
        </section>
        <section aria-labelledby="xuat-ban-moi">
          <h2 id="xuat-ban-moi">Xuất bản lên YouTube</h2>
          {channels.length ? <ExportForms channels={channels} collections={collections} csrfToken={csrfToken} values={state.values ?? {}} /> : <p class="meta">Cần một kênh YouTube trước.</p>}
        </section>
        <section aria-labelledby="hang-doi">
          <h2 id="hang-doi">Hàng đợi xuất bản</h2>
          <div data-export-queue="/xuat-ban"><ExportQueue rows={exports} titles={titles} channels={channels} /></div>
        </section>
      </>
    ),
  });
}

export const consolePage: Page = (app, ctx, pages) => {
  app.get('/xuat-ban', { schema: { hide: true, querystring: Query } }, (request, reply) =>
    sendConsole(ctx, pages, request, reply, { notice: NOTICES[request.query['thong-bao'] ?? '']?.(request.query.so ?? 0) }));
};
