import { randomUUID } from 'node:crypto';
import { Server } from '@tus/server';
import { EVENTS, type CancellationContext, type Upload } from '@tus/utils';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { authenticateUploadToken, isUploadToken } from '../auth/upload-token.js';
import type { AppContext } from '../context.js';
import { AppError, languageOf } from '../core/errors.js';
import { checkFileName } from '../files/file-name.js';
import { allowsOrigin } from '../http/cors.js';
import { errorText, fromTusRefusal, tusRequestScope } from './tus-errors.js';
import { isUuid } from '../http/types.js';

export const UPLOADS_PATH = '/api/v1/uploads';
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What tus sends back when a hook refuses: our JSON error body and its status. */
function refusal(request: Request, error: unknown): { status_code: number; body: string } {
  const appError = error instanceof AppError ? error : null;
  if (!appError) throw error;
  return { status_code: appError.status, body: errorText(appError, languageOf(request.headers.get('accept-language') ?? undefined)) };
}

/** Metadata values end up in names, types and ids: control characters are refused (400) before any byte is stored. */
function checkMetadata(metadata: Record<string, string | null> | undefined): void {
  const bad = Object.entries(metadata ?? {}).filter(([, value]) => value !== null && CONTROL.test(value));
  if (bad.length > 0) {
    throw new AppError('VALIDATION_FAILED', {}, bad.map(([key]) => ({ field: `Upload-Metadata.${key}`, rule: 'controlCharacters' })));
  }
  checkFileName(metadata?.filename ?? '');
}

/**
 * @tus/server writes its own refusals (a missing Tus-Resumable header, an offset conflict, an
 * exception) as a line of text: every one of them goes out in our JSON error format instead.
 */
class TusServer extends Server {
  override write(context: CancellationContext, headers: Headers, status: number, body = '') {
    if (status < 400) return super.write(context, headers, status, body);
    headers.set('Content-Type', 'application/json; charset=utf-8');
    // Our hooks' refusals are already in the format.
    if (body.startsWith('{"error"')) return super.write(context, headers, status, body);
    const error = fromTusRefusal(status, body, this.options.maxSize as number);
    return super.write(context, headers, status, errorText(error, tusRequestScope.getStore()?.lang ?? 'vi'));
  }
}

/**
 * Resumable uploads (tus 1.0: creation, creation-with-upload, termination, expiration) on the
 * configured backend. A finished upload goes through the same finalisation as the multipart route
 * (FileService.adopt beside add): hashing, sniffing, allow-list, dedupe, file row and jobs, with
 * the bytes linked or copied inside the store rather than written again.
 */
export function createTusServer(ctx: AppContext): Server {
  const store = ctx.uploads.store;
  const allows = allowsOrigin(ctx.config);

  async function principalOf(request: Request): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    const token = match?.[1];
    // A page's upload island sends an upload token bound to its session (src/auth/upload-token.ts).
    if (token && isUploadToken(token)) return requirePrincipal(await authenticateUploadToken(ctx.auth, ctx.secretKey, token));
    return requirePrincipal(token ? await ctx.auth.authenticate(token) : null);
  }

  const server = new TusServer({
    path: UPLOADS_PATH,
    datastore: store,
    locker: ctx.uploads.locker,
    maxSize: ctx.config.maxUploadBytes,
    relativeLocation: true,
    // The API's one CORS policy (CORS_ORIGINS), not tus's default of any origin.
    allowedOrigins: allows,
    namingFunction: () => randomUUID(),
    async onUploadCreate(request: Request, upload: Upload) {
      try {
        const principal = await principalOf(request);
        checkMetadata(upload.metadata);
        const materialId = upload.metadata?.materialId ?? '';
        if (!isUuid(materialId)) throw AppError.notFound('material');
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
      const creation = request.method === 'POST';
      try {
        const principal = await principalOf(request);
        // The store's own copy of the bytes becomes the file: linked or copied server-side, and
        // read only for sniffing when this process hashed the bytes as they arrived.
        const sha256 = store.receivedDigest(upload.id, upload.size ?? upload.offset);
        const file = await ctx.files.adopt(principal, upload.metadata!.materialId!, { filename: upload.metadata?.filename ?? '', source: store.locate(upload.id), sha256 });
        // A creation that carried the whole file is answered as a creation (201, Location, Upload-Offset).
        return { status_code: creation ? 201 : 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(file) };
      } catch (error) {
        if (creation) await store.remove(upload.id).catch(() => undefined);
        throw refusal(request, error);
      } finally {
        // The bytes now live (or were refused) as a blob: the resumable copy goes either way. A
        // creation still reads its upload back after this hook, so it lets go once answered.
        if (!creation) await store.remove(upload.id).catch(() => undefined);
      }
    },
    onResponseError(_request: Request, error: Error | { status_code: number; body: string }) {
      // Our refusals and tus's own carry a status; anything else is a fault of ours, logged here
      // and answered as INTERNAL without its text.
      if (!('status_code' in error)) tusRequestScope.getStore()?.log.error({ err: error }, 'tus request failed');
      return undefined;
    },
  });
  server.on(EVENTS.POST_FINISH, (request, _response, upload) => {
    if (request.method === 'POST') void store.remove(upload.id).catch(() => undefined);
  });
  return server;
}

/** Hands a request to tus, which writes the raw response itself. */
export async function handleTus(server: Server, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.hijack();
  await tusRequestScope.run({ lang: languageOf(request.headers['accept-language']), log: request.log }, () => server.handle(request.raw, reply.raw));
}
