/**
 * nDCG@k with graded judgements (0–3): gain 2^rel − 1, discount log2(rank + 1), the ideal ranking
 * being the judged materials sorted by grade. A query with no relevant material is scored by the
 * emptiness of its result: 1 when nothing is returned, 0 otherwise.
 */
export function ndcgAt(k: number, returned: readonly string[], judgements: Readonly<Record<string, number>>): number {
  const dcg = (grades: readonly number[]) => grades.slice(0, k).reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(Object.values(judgements).filter((rel) => rel > 0).sort((a, b) => b - a));
  if (ideal === 0) return returned.length === 0 ? 1 : 0;
  return dcg(returned.map((key) => judgements[key] ?? 0)) / ideal;
}
