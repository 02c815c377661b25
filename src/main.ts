import { pino } from 'pino';
import { exitOnConfigError, migrate, openDatabase, seedFirstRun } from './bootstrap.js';
import { createContext } from './context.js';
import { loadConfig } from './core/config.js';
import { loggerOptions } from './core/logger.js';
import { buildApp } from './http/app.js';
import { buildContentApp } from './packages/content/content-app.js';
import { startWorkers } from './workers.js';

/** The API process; on embedded defaults it also runs Postgres and the workers. */
const config = await exitOnConfigError(() => loadConfig());
const log = pino(loggerOptions(config) as pino.LoggerOptions);
const database = await exitOnConfigError(() => openDatabase(config, (line) => log.info(line)));
await migrate(database.url);
await exitOnConfigError(() => seedFirstRun(database.url, config, (line) => log.warn(line)));
let stopping = false;
// While shutting down, the queue's connections are cut on purpose: not errors worth a log line.
const ctx = await createContext(config, database.url, { log: (error) => stopping || log.error({ err: error }, 'queue error') });
const app = await buildApp(ctx, { logger: loggerOptions(config) });
if (config.workers) await startWorkers(ctx);
await app.listen({ host: config.host, port: config.port });
// Interactive packages are served from another site (CONTENT_ORIGIN), by a listener of their own.
const content = await buildContentApp(ctx, { logger: loggerOptions(config) });
await content.listen({ host: config.host, port: config.content.port });
log.info(`interactive packages served at ${config.content.origin} (port ${config.content.port})`);
// Said once, where documents are converted: which previews this machine cannot make, and what to install.
const documentTools = config.workers ? ctx.documents.startupReport() : null;
if (documentTools) log.warn(documentTools);
log.info(`Hoclieu: storage=${config.storage.backend} search=${config.search.backend} workers=${config.workers ? 'in-process' : 'off'}; API docs at /docs`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app.close();
    await content.close();
    await ctx.close();
    await database.embedded?.stop();
    process.exit(0);
  });
}
