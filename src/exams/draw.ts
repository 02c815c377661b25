import { createHash } from 'node:crypto';

/** A seeded pseudo-random source (mulberry32): the same seed draws the same test. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface DrawCell {
  /** Ids of the questions that fit the cell, in a stable order. */
  candidates: string[];
  count: number;
}

export type DrawResult =
  | { ok: true; variants: string[][][] }
  | { ok: false; cell: number; available: number };

/**
 * Draws `variants` tests from a specification matrix: for each variant and each cell, `count`
 * questions that fit the cell, none twice in one variant. Across variants the least-used
 * questions are taken first, so variants share questions only when the bank is too small.
 * The most constrained cells choose first, so that a broad cell ("any Nhận biết question") does not
 * take what a narrow one needs. Pure and reproducible for a seed.
 */
export function drawVariants(cells: DrawCell[], variants: number, seed: string): DrawResult {
  const random = seededRandom(seed);
  const order = cells.map((cell) => shuffled(cell.candidates, random));
  const byConstraint = cells.map((cell, index) => ({ index, slack: cell.candidates.length - cell.count })).sort((a, b) => a.slack - b.slack || a.index - b.index);
  const usage = new Map<string, number>();
  const result: string[][][] = [];
  for (let v = 0; v < variants; v++) {
    const used = new Set<string>();
    const picked: string[][] = cells.map(() => []);
    for (const { index } of byConstraint) {
      const available = order[index]!.filter((id) => !used.has(id));
      if (available.length < cells[index]!.count) return { ok: false, cell: index, available: available.length };
      // Stable sort: among equally used questions the seeded order decides.
      const chosen = available.map((id, position) => ({ id, position, uses: usage.get(id) ?? 0 }))
        .sort((a, b) => a.uses - b.uses || a.position - b.position).slice(0, cells[index]!.count).map((c) => c.id);
      for (const id of chosen) { used.add(id); usage.set(id, (usage.get(id) ?? 0) + 1); }
      picked[index] = shuffled(chosen, random);
    }
    result.push(picked);
  }
  return { ok: true, variants: result };
}
