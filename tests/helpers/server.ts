import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createContext, type AppContext } from '../../src/context.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { buildApp } from '../../src/http/app.js';
import { buildContentApp, type ContentApp } from '../../src/packages/content/content-app.js';
import type { App } from '../../src/http/types.js';
import { startWorkers } from '../../src/workers.js';
import { createTestDatabase } from './database.js';
import { freePort } from './free-port.js';

export interface TestServer {
  ctx: AppContext;
  app: App;
  http: ReturnType<typeof supertest>;
  /** The content origin's listener (interactive packages), on 127.0.0.1 at `config.content.origin`. */
  content: ContentApp;
  dataDir: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real application on its own database and data directory, with in-process workers. */
export async function startTestServer(options: { env?: Record<string, string>; config?: Partial<Config>; workers?: boolean } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-test-data-'));
  const contentPort = String(await freePort());
  const config: Config = { ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', CONTENT_PORT: contentPort, ...options.env }), ...options.config };
  const ctx = await createContext(config, database.url);
  const app = await buildApp(ctx);
  await app.ready();
  const content = await buildContentApp(ctx);
  await content.listen({ host: '127.0.0.1', port: config.content.port });
  if (options.workers ?? true) await startWorkers(ctx, { pollingIntervalSeconds: 0.5 });
  return {
    ctx, app, content, dataDir, databaseUrl: database.url,
    http: supertest(app.server),
    async close() {
      await app.close();
      await content.close();
      await ctx.close();
      await database.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value (background jobs finish asynchronously). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
