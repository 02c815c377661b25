import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';

/**
 * The typed query builder, without drizzle's relational API (unused here): building that API's
 * config walks every table, which on each transaction cost as much as a small query.
 */
export type Database = NodePgDatabase;

/** A transaction: the typed query builder and the raw client under it (pg-boss enqueues on it). */
export interface Tx {
  db: Database;
  client: pg.PoolClient;
  /** Runs `fn` once the transaction has committed (never if it rolls back): what must follow the change, not precede it. */
  afterCommit(fn: () => void): void;
}

export class Db {
  readonly pool: pg.Pool;
  readonly db: Database;

  /** Connections that hold advisory locks for the length of a long task, apart from the query pool. */
  private lockPool?: pg.Pool;

  constructor(private readonly connectionString: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
    // An idle client that loses its server must not crash the process.
    this.pool.on('error', () => undefined);
    this.db = drizzle(this.pool);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const committed: Array<() => void> = [];
      const result = await fn({ db: drizzle(client), client, afterCommit: (then) => committed.push(then) });
      await client.query('COMMIT');
      for (const then of committed) then();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Runs `fn` holding a Postgres advisory lock named by `key`, or skips it at once when another
   * process holds the lock: one runner per key across every worker. The lock pins a connection
   * for as long as `fn` runs (an upload), so it comes from a pool of its own.
   */
  async exclusively(key: string, fn: () => Promise<void>): Promise<void> {
    this.lockPool ??= new pg.Pool({ connectionString: this.connectionString, max: 4 }).on('error', () => undefined);
    const client = await this.lockPool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      if (!rows[0]!.locked) return;
      try {
        await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.lockPool?.end();
    await this.pool.end();
  }
}

/** Postgres unique violation, optionally on a given constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const inner = e?.code ? e : e?.cause;
  return inner?.code === '23505' && (!constraint || inner.constraint === constraint);
}
