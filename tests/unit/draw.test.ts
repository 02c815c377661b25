import { describe, expect, it } from 'vitest';
import { drawVariants } from '../../src/exams/draw.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('drawing tests from a matrix', () => {
  it('is reproducible for a seed and different for another seed', () => {
    const cells = [{ candidates: ids('nb', 30), count: 5 }, { candidates: ids('vd', 20), count: 3 }];
    const a = drawVariants(cells, 3, 'de-kiem-tra-1');
    const b = drawVariants(cells, 3, 'de-kiem-tra-1');
    const c = drawVariants(cells, 3, 'de-kiem-tra-2');
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('never repeats a question within a variant, even when cells overlap', () => {
    // The broad cell (every question) and the narrow one (a subset) compete for the same questions.
    const all = ids('q', 10);
    const result = drawVariants([{ candidates: all, count: 6 }, { candidates: all.slice(0, 4), count: 4 }], 5, 's');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    for (const variant of result.variants) {
      const flat = variant.flat();
      expect(flat).toHaveLength(10);
      expect(new Set(flat).size).toBe(10);
      expect(variant[1]!.every((id) => all.slice(0, 4).includes(id))).toBe(true);
    }
  });

  it('spreads questions across variants when the bank allows', () => {
    const result = drawVariants([{ candidates: ids('q', 12), count: 4 }], 3, 'spread');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const used = result.variants.map((v) => v[0]!);
    expect(new Set(used.flat()).size).toBe(12);
    // A fourth variant has to reuse questions, and takes each at most twice.
    const four = drawVariants([{ candidates: ids('q', 12), count: 4 }], 4, 'spread');
    expect(four.ok && Math.max(...Object.values(four.variants.flat(2).reduce<Record<string, number>>((n, id) => ({ ...n, [id]: (n[id] ?? 0) + 1 }), {})))).toBe(2);
  });

  it('names the cell it cannot fill and how many questions fit', () => {
    const result = drawVariants([{ candidates: ids('a', 5), count: 2 }, { candidates: ids('b', 3), count: 4 }], 1, 'x');
    expect(result).toEqual({ ok: false, cell: 1, available: 3 });
  });
});
