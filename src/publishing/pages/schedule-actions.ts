import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { readBounded } from '../../core/streams.js';
import { TABULAR_FILE_MAX_BYTES } from '../../core/tabular-file.js';
import { isUuid } from '../../http/types.js';
import { materialIdIn } from '../../materials/material-url.js';
import { checkCsrfToken, requireCsrf } from '../../web/csrf.js';
import type { Page } from '../../web/pages.js';
import type { PageRenderer } from '../../web/render.js';
import type { ImportProblem } from '../broadcast/slot-import.js';
import { readSlotFile, slotTime, type SlotFileRow } from '../broadcast/slot-file.js';
import { isFormRefusal, requirePublisher, typedFields } from './publisher-access.js';
import { schedulePath, sendSchedule, weekOf, type ImportReport, type ScheduleState } from './schedule-console-page.js';

const Params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const Field = Type.Optional(Type.String({ maxLength: 500 }));
const AddBody = Type.Object({ _csrf: Field, kenh: Field, tuan: Field, 'hoc-lieu': Field, ngay: Field, gio: Field, 'ket-thuc': Field });
const MoveBody = Type.Object({ _csrf: Field, kenh: Field, tuan: Field, ngay: Field, gio: Field });
const CancelQuery = Type.Object({ kenh: Field, tuan: Field });
const CancelBody = Type.Object({ _csrf: Field });

/** A date field and a time field of a form → ISO 8601 in Vietnam time, or the refusal naming what is wrong. */
function formTime(date: string | undefined, time: string | undefined): string {
  const iso = slotTime(`${date ?? ''} ${time ?? ''}`);
  if (!iso) throw new AppError('VALIDATION_FAILED');
  return iso;
}

const DAY_MS = 86_400_000;
const weekParam = (text: string | undefined) => (text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? weekOf(text) : undefined);

/**
 * Runs a schedule form's action. A refusal shows the week again with its message (an overlap names
 * the lesson and times it runs into, and that slot is marked in the grid) and what was typed.
 */
async function act(ctx: AppContext, pages: PageRenderer, request: FastifyRequest, reply: FastifyReply, where: { channel?: string; week?: string }, values: Record<string, string | undefined>, run: () => Promise<string>) {
  requirePublisher(request);
  let redirect: string;
  try {
    redirect = await run();
  } catch (error) {
    if (!isFormRefusal(error)) throw error;
    const message = error.code === 'VALIDATION_FAILED' ? 'Ngày hoặc giờ không hợp lệ: chọn ngày và giờ (giờ Việt Nam).' : error.describe('vi');
    const clash = (error.details as { clash?: { slotId?: string } } | undefined)?.clash?.slotId;
    const state: ScheduleState = { message, clashSlotId: clash, values: typedFields(values) };
    return sendSchedule(ctx, pages, request, reply, where, state, error.status);
  }
  return reply.header('cache-control', 'no-store').redirect(redirect, 303);
}

/** Every problem of an import by the line of the file: those of reading it and those the schedule service found. */
function reportOf(fileName: string, unreadable: Array<{ line: number; message: string }>, rows: SlotFileRow[], problems: ImportProblem[]): ImportReport {
  const checked = problems.map((problem) => ({ line: rows[problem.index]!.line, message: problem.message }));
  return { fileName, problems: [...unreadable, ...checked].sort((a, b) => a.line - b.line) };
}

export const scheduleActions: Page = (app, ctx, pages) => {
  app.post('/xuat-ban/lich/them', { schema: { hide: true, body: AddBody }, preHandler: requireCsrf(app) }, (request, reply) => {
    const body = request.body;
    return act(ctx, pages, request, reply, { channel: body.kenh, week: weekParam(body.ngay) ?? weekParam(body.tuan) }, body, async () => {
      const materialId = materialIdIn(body['hoc-lieu']);
      if (!materialId) throw AppError.notFound('material');
      const start = formTime(body.ngay, body.gio);
      let end = body['ket-thuc'] ? formTime(body.ngay, body['ket-thuc']) : undefined;
      // An end before the start crosses midnight: the lesson ends the next day.
      if (end && new Date(end) <= new Date(start)) end = new Date(new Date(end).getTime() + DAY_MS).toISOString();
      const slot = await ctx.broadcast.createSlot(request.principal, { channelCode: body.kenh ?? '', materialId, start, ...(end ? { end } : {}) });
      return schedulePath(slot.channel.code, weekOf(slot.start.slice(0, 10)), '&thong-bao=da-them');
    });
  });

  app.post('/xuat-ban/lich/:id/doi-gio', { schema: { hide: true, params: Params, body: MoveBody }, preHandler: requireCsrf(app) }, (request, reply) => {
    const body = request.body;
    return act(ctx, pages, request, reply, { channel: body.kenh, week: weekParam(body.tuan) }, body, async () => {
      if (!isUuid(request.params.id)) throw AppError.notFound('slot');
      const slot = await ctx.broadcast.moveSlot(request.principal, request.params.id, formTime(body.ngay, body.gio));
      return schedulePath(slot.channel.code, weekOf(slot.start.slice(0, 10)), '&thong-bao=da-doi');
    });
  });

  app.post('/xuat-ban/lich/:id/huy', { schema: { hide: true, params: Params, querystring: CancelQuery, body: CancelBody }, preHandler: requireCsrf(app) }, (request, reply) => {
    const where = { channel: request.query.kenh, week: weekParam(request.query.tuan) };
    return act(ctx, pages, request, reply, where, {}, async () => {
      if (!isUuid(request.params.id)) throw AppError.notFound('slot');
      await ctx.broadcast.deleteSlot(request.principal, request.params.id);
      return schedulePath(where.channel, where.week ?? weekOf(new Date().toISOString().slice(0, 10)), '&thong-bao=da-huy');
    });
  });

  // Multipart: its _csrf field comes before the file and is checked once the form is read (the file is small, bounded).
  app.post('/xuat-ban/lich/nhap', { schema: { hide: true } }, async (request, reply) => {
    // Who may import is known before the file is read.
    requirePublisher(request);
    const fields: Record<string, string> = {};
    let file: { name: string; bytes: Buffer } | null = null;
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      const bytes = await readBounded(part.file, TABULAR_FILE_MAX_BYTES, () => new AppError('FILE_TOO_LARGE', { limit: TABULAR_FILE_MAX_BYTES }));
      if (bytes.length > 0) file = { name: part.filename.normalize('NFC'), bytes };
    }
    await checkCsrfToken(app, request, reply, fields._csrf);
    const where = { channel: fields.kenh, week: weekParam(fields.tuan) };
    if (!file) return sendSchedule(ctx, pages, request, reply, where, { message: 'Hãy chọn tệp lịch (CSV hoặc Excel .xlsx).' }, 400);
    let report: ImportReport;
    try {
      const { rows, problems: unreadable } = await readSlotFile(file.bytes);
      const slots = rows.map((row) => row.slot);
      try {
        // A file with unreadable lines saves nothing: the readable ones are still checked, so that the report is whole.
        const result = await ctx.broadcast.importSlots(request.principal, slots, 'vi', { dryRun: unreadable.length > 0 });
        if (unreadable.length === 0) {
          return reply.header('cache-control', 'no-store').redirect(schedulePath(where.channel, where.week ?? weekOf(slots[0]!.start.slice(0, 10)), `&thong-bao=da-nhap&so=${result.imported}`), 303);
        }
        report = reportOf(file.name, unreadable, rows, []);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'BROADCAST_IMPORT_FAILED')) throw error;
        report = reportOf(file.name, unreadable, rows, (error.details as { errors: ImportProblem[] }).errors);
      }
    } catch (error) {
      if (!isFormRefusal(error)) throw error;
      return sendSchedule(ctx, pages, request, reply, where, { message: error.describe('vi') }, error.status);
    }
    return sendSchedule(ctx, pages, request, reply, where, { report }, 422);
  });
};
