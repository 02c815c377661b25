import fs from 'node:fs/promises';

const FILE = new URL('./RESULTS.md', import.meta.url);

/** Replaces one benchmark's section of bench/RESULTS.md, keeping the others' last runs. */
export async function writeSection(name: string, lines: string[]): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const current = await fs.readFile(FILE, 'utf8').catch(() => '# Benchmark results\n');
  const section = `${start}\n${lines.join('\n')}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`;
  await fs.writeFile(FILE, next.endsWith('\n') ? next : `${next}\n`);
}
