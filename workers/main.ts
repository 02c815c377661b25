import { pino } from 'pino';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { loggerOptions } from '../src/core/logger.js';
import { startWorkers } from '../src/workers.js';

/**
 * A worker process: runs every background job and serves no HTTP. Scale out by starting more,
 * on other machines, pointed at the same DATABASE_URL and storage.
 */
const config = loadConfig();
const log = pino(loggerOptions(config) as pino.LoggerOptions);
// Without DATABASE_URL the worker joins the embedded Postgres that `npm start` runs.
const url = 'url' in config.database ? config.database.url : `postgres://postgres:postgres@127.0.0.1:${config.database.embedded.port}/hoclieu`;
await migrate(url);
let stopping = false;
const ctx = await createContext({ ...config, workers: true }, url, { log: (error) => stopping || log.error({ err: error }, 'queue error') });
await startWorkers(ctx);
const documentTools = ctx.documents.startupReport();
if (documentTools) log.warn(documentTools);
log.info('Hoclieu worker started');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing running jobs`);
    await ctx.close();
    process.exit(0);
  });
}
