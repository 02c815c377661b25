import { Type } from 'typebox';
import type { Route } from '../../../http/types.js';
import type { ScheduleFormat } from '../public-schedule.js';
import { ChannelCode } from './schemas.js';

const Query = Type.Object({
  channel: Type.Optional(ChannelCode),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Mặc định: 0 giờ hôm nay (giờ Việt Nam)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Mặc định: from + 7 ngày; tối đa 366 ngày' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xmltv'), Type.Literal('ics')], { default: 'json' })),
});

/** Public: TV guides, set-top boxes and teachers' calendars read it without an account. */
export const broadcastSchedule: Route = (app, ctx) => {
  app.get('/api/v1/publishing/broadcast/schedule', {
    schema: { tags: ['broadcast'], summary: 'Lịch phát sóng (công khai): JSON, XMLTV (format=xmltv) hoặc iCalendar (format=ics)', querystring: Query },
  }, async (request, reply) => {
    const { format, ...query } = request.query;
    const result = await ctx.broadcast.schedule(query, (format ?? 'json') as ScheduleFormat);
    return reply.type(result.contentType).header('cache-control', 'public, max-age=60').send(result.body);
  });
};
