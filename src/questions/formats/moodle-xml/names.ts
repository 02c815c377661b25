// Moodle requires a name for every question; ours is optional. A question without one is written
// with a name made from its text, and a name equal to the one its text would give is read as no
// name, so a nameless question comes back nameless.

/** The stem's text, cut at 60 characters: the name written for a question that has none. */
export function nameFromStem(stem: string): string | undefined {
  const plain = stem.replace(/<[^>]*>/g, ' ').replace(/\{#\d+\}/g, '…').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
  if (!plain) return undefined;
  return plain.length > 60 ? `${plain.slice(0, 59).trimEnd()}…` : plain;
}
