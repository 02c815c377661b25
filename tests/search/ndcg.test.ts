import { describe, expect, it } from 'vitest';
import { ndcgAt } from './relevance/ndcg.js';

describe('nDCG@k as the relevance test computes it', () => {
  const judged = { a: 3, b: 2, c: 0, d: 1 };

  it('is 1 for the ideal order and counts unjudged results as 0', () => {
    expect(ndcgAt(10, ['a', 'b', 'd'], judged)).toBeCloseTo(1, 10);
    expect(ndcgAt(10, ['a', 'b', 'd', 'x', 'c'], judged)).toBeCloseTo(1, 10);
  });

  it('uses gain 2^rel − 1 and a log2(rank + 1) discount', () => {
    const ideal = 7 + 3 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAt(10, ['x', 'a'], judged)).toBeCloseTo((7 / Math.log2(3)) / ideal, 10);
    expect(ndcgAt(10, ['d', 'b', 'a'], judged)).toBeCloseTo((1 + 3 / Math.log2(3) + 7 / Math.log2(4)) / ideal, 10);
  });

  it('looks at the first k results only, on both sides', () => {
    expect(ndcgAt(1, ['b', 'a'], judged)).toBeCloseTo(3 / 7, 10);
    expect(ndcgAt(2, ['x', 'y', 'a'], judged)).toBe(0);
  });

  it('scores a query with no relevant material by the emptiness of its result', () => {
    expect(ndcgAt(10, [], {})).toBe(1);
    expect(ndcgAt(10, ['a'], {})).toBe(0);
    expect(ndcgAt(10, ['c'], { c: 0 })).toBe(0);
  });
});
