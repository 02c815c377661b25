import { randomUUID } from 'node:crypto';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { AppError, languageOf } from '../core/errors.js';

export const UPLOADS_PATH = '/api/v1/uploads';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What tus sends back when a hook refuses: our JSON error body and its status. */
function refusal(request: Request, error: unknown): { status_code: number; body: string } {
  const appError = error instanceof AppError ? error : null;
  if (!appError) throw error;
  const lang = languageOf(request.headers.get('accept-language') ?? undefined);
  const details = appError.details === undefined ? {} : { details: appError.details };
  return { status_code: appError.status, body: JSON.stringify({ error: { code: appError.code, message: appError.describe(lang), ...details } }) };
}

/**
 * Resumable uploads (tus 1.0: creation, creation-with-upload, termination, expiration) on the
 * configured backend. A finished upload goes through the very same finalisation as the multipart
 * route (FileService.add): hashing, sniffing, allow-list, dedupe, file row and jobs.
 */
export function createTusServer(ctx: AppContext): Server {
  const store = ctx.uploads.store;

  async function principalOf(request: Request): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    return requirePrincipal(match ? await ctx.auth.authenticate(match[1]!) : null);
  }

  return new Server({
    path: UPLOADS_PATH,
    datastore: store,
    locker: ctx.uploads.locker,
    maxSize: ctx.config.maxUploadBytes,
    relativeLocation: true,
    namingFunction: () => randomUUID(),
    async onUploadCreate(request: Request, upload: Upload) {
      try {
        const principal = await principalOf(request);
        const materialId = upload.metadata?.materialId ?? '';
        if (!UUID.test(materialId)) throw AppError.notFound('material');
        // Refused here, before any byte is stored, when the caller may not add files to it.
        await ctx.materials.editable(principal, materialId, 'thêm tệp');
        return { metadata: { ...upload.metadata, userId: principal.id } };
      } catch (error) {
        throw refusal(request, error);
      }
    },
    async onIncomingRequest(request: Request, uploadId: string) {
      if (request.method === 'OPTIONS') return;
      try {
        const principal = await principalOf(request);
        const upload = await store.getUpload(uploadId).catch(() => null);
        // Only the account that created an upload may see or continue it.
        if (upload && upload.metadata?.userId !== principal.id) throw AppError.notFound('file');
      } catch (error) {
        throw refusal(request, error);
      }
    },
    async onUploadFinish(request: Request, upload: Upload) {
      try {
        const principal = await principalOf(request);
        const filename = (upload.metadata?.filename ?? 'tep').normalize('NFC');
        const file = await ctx.files.add(principal, upload.metadata!.materialId!, { filename, stream: await store.read(upload.id) });
        return { status_code: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(file) };
      } catch (error) {
        throw refusal(request, error);
      } finally {
        // The bytes now live (or were refused) as a blob: the resumable copy goes either way.
        await store.remove(upload.id).catch(() => undefined);
      }
    },
  });
}
