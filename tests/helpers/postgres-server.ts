/**
 * The test run's PostgreSQL, in a process of its own, so a cluster outlives no test runner and
 * the runner's exit code is its own. Prints the connection URL on stdout; stops the cluster on
 * SIGTERM (and deletes it, unless a third argument says `persistent`), then exits.
 */
import { startEmbeddedPostgres } from '../../src/core/db/embedded.js';

const [dir, port, keep] = process.argv.slice(2);
const postgres = await startEmbeddedPostgres({ dir: dir!, port: Number(port), persistent: keep === 'persistent' });
process.once('SIGTERM', () => void postgres.stop().then(() => process.exit(0), () => process.exit(1)));
process.stdout.write(`${JSON.stringify({ url: postgres.url })}\n`);
