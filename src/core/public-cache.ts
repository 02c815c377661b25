/**
 * What anonymous readers are shown (a published material's view, a rendered public page), kept in
 * memory so that the hot public reads cost no query. Each entry names the topics it shows
 * (`material:<id>`, `search`); a change to a topic evicts its entries, here at once and in every
 * other process through the change feed. Entries also expire after `ttlMs`, which bounds what a
 * missed notification or a change nobody announces (a renamed school) can leave stale.
 */
export interface CacheTicket {
  readonly invalidations: number;
}

interface Entry {
  value: unknown;
  topics: string[];
  expiresAt: number;
}

export class PublicCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTopic = new Map<string, Set<string>>();
  private invalidations = 0;

  constructor(private readonly options: { maxEntries: number; ttlMs: number; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * Taken before reading what will be stored: a value read while one of its topics changed is
   * not stored (it may predate the change).
   */
  ticket(): CacheTicket {
    return { invalidations: this.invalidations };
  }

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // Most recently used last: the first key is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value as T;
  }

  set(key: string, value: unknown, topics: string[], ticket: CacheTicket): void {
    if (ticket.invalidations !== this.invalidations) return;
    this.remove(key);
    this.entries.set(key, { value, topics, expiresAt: this.now() + this.options.ttlMs });
    for (const topic of topics) {
      let keys = this.byTopic.get(topic);
      if (!keys) this.byTopic.set(topic, (keys = new Set()));
      keys.add(key);
    }
    while (this.entries.size > this.options.maxEntries) this.remove(this.entries.keys().next().value!);
  }

  invalidate(topic: string): void {
    this.invalidations++;
    for (const key of this.byTopic.get(topic) ?? []) this.remove(key);
    this.byTopic.delete(topic);
  }

  /** Forgets everything (the change feed reconnected: notifications may have been missed). */
  clear(): void {
    this.invalidations++;
    this.entries.clear();
    this.byTopic.clear();
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const topic of entry.topics) {
      const keys = this.byTopic.get(topic);
      keys?.delete(key);
      if (keys?.size === 0) this.byTopic.delete(topic);
    }
  }
}

/** The topic of everything that shows a material's public version. */
export const materialTopic = (id: string) => `material:${id}`;
/** The topic of search results (any published material indexed or removed). */
export const SEARCH_TOPIC = 'search';
