import { materialPath } from '../../../materials/material-url.js';
import { DISPLAY_TIMEZONE, dateInZone } from '../../../core/zoned-time.js';
import { formatDay, formatTime, isoDate } from '../../../web/components/format.js';
import type { Page } from '../../../web/pages.js';

/** The JSON form of BroadcastService.schedule (the same body GET /api/v1/publishing/broadcast/schedule answers). */
interface ScheduleJson {
  channels: Array<{ code: string; name: string; kind: 'tv' | 'radio' }>;
  items: Array<{
    id: string; channel: { code: string; name: string; kind: 'tv' | 'radio' }; start: string; end: string; status: string; episode: number;
    material: { id: string; title: string; level: { name: string }; grades: Array<{ name: string }>; subject: { name: string } };
  }>;
}

const STATUS: Record<string, string> = { aired: 'Đã phát', missed: 'Không phát được' };

/** Today and the next six days on every channel, grouped by day (Vietnam time). */
export const schedulePage: Page = (app, ctx, pages) => {
  app.get('/lich-phat-song', { schema: { hide: true } }, async (request, reply) => {
    const schedule = (await ctx.broadcast.schedule({}, 'json')).body as ScheduleJson;
    const today = dateInZone(new Date(), DISPLAY_TIMEZONE);
    const days = new Map<string, ScheduleJson['items']>();
    for (const item of schedule.items) {
      const day = dateInZone(new Date(item.start), DISPLAY_TIMEZONE);
      days.set(day, [...(days.get(day) ?? []), item]);
    }
    return pages.send(request, reply, {
      title: 'Lịch phát sóng',
      description: 'Lịch phát sóng bài dạy trên truyền hình và bài học phát thanh hôm nay và trong tuần, theo giờ Việt Nam.',
      canonicalPath: '/lich-phat-song', cache: 'public',
      body: (
        <>
          <h1>Lịch phát sóng</h1>
          <p>Hôm nay và 6 ngày tới, theo giờ Việt Nam. Tải lịch: <a href="/api/v1/publishing/broadcast/schedule?format=ics">iCalendar</a>, <a href="/api/v1/publishing/broadcast/schedule?format=xmltv">XMLTV</a>.</p>
          {days.size === 0 ? <p>Chưa có lịch phát sóng nào trong tuần này.</p> : null}
          {[...days.entries()].map(([day, items]) => (
            <section aria-labelledby={`ngay-${day}`}>
              <h2 id={`ngay-${day}`}>{day === today ? `Hôm nay — ${formatDay(items[0]!.start)}` : formatDay(items[0]!.start)}</h2>
              <div class="table-scroll">
                <table>
                  <thead><tr><th scope="col">Giờ</th><th scope="col">Kênh</th><th scope="col">Bài học</th><th scope="col">Lớp, môn</th></tr></thead>
                  <tbody>
                    {items.map((item) => (
                      <tr>
                        <td><time datetime={isoDate(item.start)}>{formatTime(item.start)}</time>–<time datetime={isoDate(item.end)}>{formatTime(item.end)}</time></td>
                        <td>{item.channel.name}</td>
                        <td>
                          <a href={materialPath(item.material.id, item.material.title)}>{item.material.title}</a> <span class="meta">(Tập {item.episode})</span>
                          {STATUS[item.status] ? <> <span class="badge">{STATUS[item.status]}</span></> : null}
                        </td>
                        <td>{[...item.material.grades.map((g) => g.name), item.material.subject.name].join(' · ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      ),
    });
  });
};
