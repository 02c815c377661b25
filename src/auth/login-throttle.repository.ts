import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../core/db/client.js';
import { loginThrottles } from '../core/db/schema.js';

/** How many failures a key may have before attempts wait, and how long they wait. */
export interface ThrottleLimit {
  maxFailures: number;
  delaySeconds: number;
  maxDelaySeconds: number;
}

/** A key quiet this long starts again from nothing. */
const FORGET_AFTER = sql`interval '1 day'`;
/** A pair that signed in successfully this recently is a known address of the account. */
const KNOWN_FOR = sql`interval '30 days'`;

/** The row already there, as ON CONFLICT sees it. */
const existing = sql.raw('existing');

/** When an existing row at or over its limit admits the next attempt: after a delay that doubles with each further failure. */
function waitEnds(limit: ThrottleLimit) {
  return sql`${existing}.last_failure_at + make_interval(secs => least(${limit.delaySeconds}::int * power(2, least(${existing}.failures - ${limit.maxFailures}::int, 20)), ${limit.maxDelaySeconds}::int))`;
}

export class LoginThrottleRepository {
  constructor(private readonly db: Database) {}

  /**
   * Counts an attempt on `key` as a failure before its password is checked, in one statement: the
   * row lock serialises parallel attempts, so no more than the limit are ever let through. Null
   * when the key must wait (nothing is counted then); an exempt attempt is counted but never refused.
   */
  async countAttempt(key: string, limit: ThrottleLimit, exempt: boolean, db: Database = this.db): Promise<{ knownPair: boolean } | null> {
    const result = await db.execute<{ knownPair: boolean }>(sql`
      INSERT INTO ${loginThrottles} AS ${existing} (key, failures, last_failure_at) VALUES (${key}, 1, now())
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN ${existing}.last_failure_at < now() - ${FORGET_AFTER} THEN 1 ELSE ${existing}.failures + 1 END,
        last_failure_at = now()
      WHERE ${exempt}::boolean OR ${existing}.last_failure_at < now() - ${FORGET_AFTER} OR ${existing}.failures < ${limit.maxFailures}::int OR now() >= ${waitEnds(limit)}
      RETURNING coalesce(${existing}.succeeded_at > now() - ${KNOWN_FOR}, false) AS "knownPair"`);
    return result.rows[0] ?? null;
  }

  /** Whole seconds until `key` admits an attempt again (at least 1). */
  async secondsToWait(key: string, limit: ThrottleLimit, db: Database = this.db): Promise<number> {
    const result = await db.execute<{ seconds: number }>(sql`
      SELECT greatest(ceil(extract(epoch FROM ${waitEnds(limit)} - clock_timestamp())), 1)::int AS seconds
      FROM ${loginThrottles} AS ${existing} WHERE key = ${key}`);
    return result.rows[0]?.seconds ?? 1;
  }

  /** A success: the pair starts afresh and becomes known; the wider keys take back this attempt's count. */
  async succeeded(pairKey: string, wideKeys: string[]): Promise<void> {
    await this.db.update(loginThrottles).set({
      failures: sql`CASE WHEN ${loginThrottles.key} = ${pairKey} THEN 0 ELSE greatest(${loginThrottles.failures} - 1, 0) END`,
      succeededAt: sql`CASE WHEN ${loginThrottles.key} = ${pairKey} THEN now() ELSE ${loginThrottles.succeededAt} END`,
    }).where(inArray(loginThrottles.key, [pairKey, ...wideKeys]));
  }

  /** Forgets keys that throttle nobody any more and mark no known address: the table stays small. */
  async forgetQuiet(): Promise<number> {
    const result = await this.db.execute(sql`
      DELETE FROM ${loginThrottles}
      WHERE last_failure_at < now() - ${FORGET_AFTER} AND (succeeded_at IS NULL OR succeeded_at < now() - ${KNOWN_FOR})`);
    return result.rowCount ?? 0;
  }
}
