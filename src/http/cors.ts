import fastifyCors from '@fastify/cors';
import type { Config } from '../core/config.js';
import type { App } from './types.js';

/** Headers of our answers that a page on an allowed origin may read (downloads, exports, tus). */
const EXPOSED_HEADERS = [
  'Content-Disposition', 'ETag', 'Location', 'hoclieu-export-issues',
  'Tus-Resumable', 'Tus-Version', 'Tus-Extension', 'Tus-Max-Size', 'Upload-Offset', 'Upload-Length', 'Upload-Expires', 'Upload-Metadata',
];

/**
 * One CORS policy for the whole API: same origin only unless CORS_ORIGINS names the origins whose
 * pages may call it. Bearer tokens travel in a header, so no credentials (cookies) are allowed.
 */
export function allowsOrigin(config: Pick<Config, 'corsOrigins'>): (origin: string) => boolean {
  const allowed = new Set(config.corsOrigins);
  return (origin) => allowed.has(origin);
}

export async function registerCors(app: App, config: Pick<Config, 'corsOrigins'>): Promise<void> {
  const allows = allowsOrigin(config);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allows(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    // A browser's preflight for a disallowed origin gets no CORS headers; a plain OPTIONS goes on to the route (tus answers it).
    strictPreflight: false,
  });
}
