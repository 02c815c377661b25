import { describe, expect, it } from 'vitest';
import { PublicCache } from '../../src/core/public-cache.js';

describe('public cache', () => {
  const make = (maxEntries = 3) => {
    let now = 0;
    const cache = new PublicCache({ maxEntries, ttlMs: 1000, now: () => now });
    return { cache, advance: (ms: number) => { now += ms; } };
  };

  it('keeps a value until its topic changes', () => {
    const { cache } = make();
    cache.set('a', 1, ['material:1', 'search'], cache.ticket());
    cache.set('b', 2, ['material:2'], cache.ticket());
    expect(cache.get('a')).toBe(1);
    cache.invalidate('search');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
  });

  it('does not store what was read while a change happened (it may predate it)', () => {
    const { cache } = make();
    const ticket = cache.ticket();
    cache.invalidate('material:1');
    cache.set('a', 'old', ['material:1'], ticket);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'new', ['material:1'], cache.ticket());
    expect(cache.get('a')).toBe('new');
  });

  it('forgets entries after their lifetime and on clear', () => {
    const { cache, advance } = make();
    cache.set('a', 1, [], cache.ticket());
    advance(999);
    expect(cache.get('a')).toBe(1);
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 2, [], cache.ticket());
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used beyond its size', () => {
    const { cache } = make(2);
    cache.set('a', 1, ['t'], cache.ticket());
    cache.set('b', 2, ['t'], cache.ticket());
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, ['t'], cache.ticket());
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
  });
});
