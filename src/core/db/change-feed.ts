import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

const CHANNEL = 'hoclieu_public_changes';
const RECONNECT_MS = 1000;

/**
 * Changes to what the public sees, told to every API process through Postgres LISTEN/NOTIFY. A
 * notification sent inside a transaction is delivered when (and only if) it commits, so no
 * process hears of a change before it can read it.
 */
export class ChangeFeed {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly handlers: { changed(topic: string): void; missed(): void },
  ) {}

  /** Announces a change of `topic`; in a transaction, on its commit. */
  static async announce(db: Database, topic: string): Promise<void> {
    await db.execute(sql`SELECT pg_notify(${CHANNEL}, ${topic})`);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    // A lost connection may have lost notifications: whatever was kept is forgotten, then listened for again.
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.handlers.missed();
      if (!this.stopped) this.retry = setTimeout(() => void this.start().catch(() => lost()), RECONNECT_MS);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.handlers.changed(message.payload);
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
