import { createHash } from 'node:crypto';
import pg from 'pg';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';

const CHANNEL = 'hoclieu_tus_release';

/** Two int32 keys for pg_advisory_lock, from the upload id. */
function lockKeys(id: string): [number, number] {
  const digest = createHash('sha256').update(`tus:${id}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/**
 * The tus lock of an upload, held in Postgres (session advisory lock) so that several API
 * processes can serve one upload. A request that wants a held lock asks its holder to let go
 * (NOTIFY): a client that reconnected after a drop takes over from its own stale request.
 */
export class PostgresLocker implements Locker {
  private readonly pool: pg.Pool;
  private listener: pg.PoolClient | null = null;
  readonly releaseRequests = new Map<string, RequestRelease>();

  constructor(connectionString: string, readonly timeoutMs = 30_000, maxHeldLocks = 100) {
    // A held lock pins a connection for the length of a PATCH: its own pool, apart from queries.
    this.pool = new pg.Pool({ connectionString, max: maxHeldLocks });
    this.pool.on('error', () => undefined);
  }

  async start(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', (message) => {
      if (message.payload) void this.releaseRequests.get(message.payload)?.();
    });
    await this.listener.query(`LISTEN ${CHANNEL}`);
  }

  newLock(id: string): Lock {
    return new PostgresLock(id, this);
  }

  connect(): Promise<pg.PoolClient> {
    return this.pool.connect();
  }

  async stop(): Promise<void> {
    this.listener?.release();
    this.listener = null;
    await this.pool.end();
  }
}

class PostgresLock implements Lock {
  private client: pg.PoolClient | null = null;

  constructor(private readonly id: string, private readonly locker: PostgresLocker) {}

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const client = await this.locker.connect();
    const keys = lockKeys(this.id);
    const deadline = Date.now() + this.locker.timeoutMs;
    let asked = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', keys);
        if (rows[0]?.ok) {
          this.client = client;
          this.locker.releaseRequests.set(this.id, requestRelease);
          return;
        }
        if (!asked) {
          await client.query('SELECT pg_notify($1, $2)', [CHANNEL, this.id]);
          asked = true;
        }
        if (stopSignal.aborted || Date.now() > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } catch (error) {
      client.release();
      throw error;
    }
  }

  async unlock(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('Releasing an unlocked lock');
    this.client = null;
    this.locker.releaseRequests.delete(this.id);
    try {
      await client.query('SELECT pg_advisory_unlock($1, $2)', lockKeys(this.id));
    } finally {
      client.release();
    }
  }
}
