import { exitOnConfigError, migrate, openDatabase } from '../src/bootstrap.js';
import { loadConfig } from '../src/core/config.js';

/** `npm run migrate`: applies migrations and the taxonomy seed, then exits. */
const config = await exitOnConfigError(() => loadConfig());
const database = await exitOnConfigError(() => openDatabase(config, console.log));
try {
  await migrate(database.url);
  console.log('migrations applied');
} finally {
  await database.embedded?.stop();
}
