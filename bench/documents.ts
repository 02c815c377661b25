/**
 * `npm run bench:documents`: the document preview pipeline on the native tools, as the job runs it
 * (LibreOffice in bubblewrap with its own profile, pdfinfo, pdftoppm at 1280 px, pdftotext, WebP
 * at 1280 and 640 px with sharp), without the database and storage around it:
 *  - a 60-slide deck with a picture on every slide (.pptx) and a 30-page Word document (.docx);
 *  - pages per second with one and with two conversions at once (two workers), and the peak
 *    memory of the tools (the sum of the resident sizes of this process's children, sampled);
 *  - the WebAssembly engines the issue names, where they load (see measureWasm).
 * Writes its section of bench/RESULTS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { documentConcurrency } from '../src/documents/jobs/process-document.job.js';
import { LibreOffice } from '../src/documents/tools/libreoffice.js';
import { Poppler } from '../src/documents/tools/poppler.js';
import { findDocumentTools } from '../src/documents/tools/availability.js';
import { ImageRepository } from '../src/media/image.repository.js';
import { convertWithLibreOffice, docxOf, flatPresentation } from '../tests/helpers/documents.js';
import { measureWasm } from './documents-wasm.js';
import { writeSection } from './results.js';

const LIMITS = { timeoutMs: 600_000, memoryBytes: 4 * 1024 ** 3 };
const tools = findDocumentTools(process.env.SOFFICE_PATH);
if (!tools.soffice || !tools.poppler) throw new Error('bench:documents needs LibreOffice and poppler-utils (apt-get install -y libreoffice-impress-nogui libreoffice-writer-nogui poppler-utils)');
const office = new LibreOffice({ soffice: tools.soffice, sandbox: tools.sandbox, limits: LIMITS });
const poppler = new Poppler(LIMITS);
const images = new ImageRepository();

/** Resident memory of every descendant of this process, in bytes (LibreOffice, poppler). */
function childrenRss(): number {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=']).toString().trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number));
  const children = new Set([process.pid]);
  let total = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const [pid, ppid, rss] of table) {
      if (children.has(ppid!) && !children.has(pid!)) { children.add(pid!); total += rss! * 1024; changed = true; }
    }
  }
  return total;
}

/** CPU seconds of this process and of its children it has reaped (the tools), from /proc. */
async function cpuSeconds(): Promise<number> {
  const fields = (await fs.readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ');
  // utime, stime, cutime, cstime: fields 14–17 of stat(5), counted after the command name.
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** One job's work on one file: convert, count, render, text, WebP at both widths. Returns its pages. */
async function pipeline(bytes: Buffer, extension: string): Promise<{ pages: number; convertSeconds: number }> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-doc-'));
  try {
    const input = path.join(work, `source.${extension}`);
    await fs.writeFile(input, bytes);
    const started = performance.now();
    const pdf = await office.toPdf(work, input);
    const convertSeconds = (performance.now() - started) / 1000;
    const { pages } = await poppler.info(pdf);
    const rendered = await poppler.render(pdf, path.join(work, 'pages'), pages, 1280);
    await poppler.text(pdf, path.join(work, 'text.txt'), pages);
    await fs.mkdir(path.join(work, 'sized'));
    for (const [i, png] of rendered.entries()) await images.pageImages(png, path.join(work, 'sized'), `page-${i + 1}`, [1280, 640]);
    return { pages, convertSeconds };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function measure(bytes: Buffer, extension: string, workers: number) {
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, childrenRss()); }, 100);
  const started = performance.now();
  const cpuBefore = await cpuSeconds();
  const results = await Promise.all(Array.from({ length: workers }, () => pipeline(bytes, extension)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await cpuSeconds()) - cpuBefore;
  clearInterval(sampler);
  const pages = results.reduce((sum, r) => sum + r.pages, 0);
  return { pages, seconds, pagesPerSecond: pages / seconds, cpuPerPage: cpu / pages, peakMb: peak / 1024 ** 2, convertSeconds: results[0]!.convertSeconds };
}

// A photo-like picture (noise does not compress) on every slide, as JPEG like a phone's photos.
const picture = await sharp({ create: { width: 1200, height: 750, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 20 } } }).jpeg({ quality: 85 }).toBuffer();
const deckSlides = Array.from({ length: 60 }, (_, i) => `Bài ${i + 1}: Chuyển động thẳng biến đổi đều — vận tốc, gia tốc, quãng đường`);
const deck = await convertWithLibreOffice(flatPresentation(deckSlides, picture), 'fodp', 'pptx');
const paragraph = 'Trong chuyển động thẳng biến đổi đều, vận tốc tức thời tăng hoặc giảm đều theo thời gian; gia tốc là đại lượng không đổi. ';
const docx = await docxOf(Array.from({ length: 30 }, (_, i) => `Trang ${i + 1}. ${paragraph.repeat(12)}`), 'Times New Roman');

// Warm-up: the profile template is built once per process, as in a worker.
await pipeline(docx, 'docx');
const rows: string[] = [];
let deckOneWorker = { pipeline: 0, convert: 0 };
for (const [name, bytes, extension] of [['60-slide deck with pictures (.pptx)', deck, 'pptx'], ['30-page document (.docx)', docx, 'docx']] as const) {
  for (const workers of [1, 2]) {
    const r = await measure(bytes, extension, workers);
    if (extension === 'pptx' && workers === 1) deckOneWorker = { pipeline: r.pagesPerSecond, convert: r.pages / r.convertSeconds };
    rows.push(`| ${name} | ${workers} | ${r.pages} | ${r.seconds.toFixed(1)} s | ${r.pagesPerSecond.toFixed(2)} | ${r.cpuPerPage.toFixed(2)} s | ${r.convertSeconds.toFixed(1)} s | ${Math.round(r.peakMb)} MB |`);
    console.log(rows.at(-1));
  }
}
// The deck's PDF once, for the page engines alone: poppler here, PDFium in measureWasm.
const deckWork = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-deck-'));
await fs.writeFile(path.join(deckWork, 'source.pptx'), deck);
const deckPdf = await fs.readFile(await office.toPdf(deckWork, path.join(deckWork, 'source.pptx')));
const pagesStarted = performance.now();
const { pages: deckPages } = await poppler.info(path.join(deckWork, 'out', 'source.pdf'));
const deckPngs = await poppler.render(path.join(deckWork, 'out', 'source.pdf'), path.join(deckWork, 'pages'), deckPages, 1280);
await poppler.text(path.join(deckWork, 'out', 'source.pdf'), path.join(deckWork, 'text.txt'), deckPages);
await fs.mkdir(path.join(deckWork, 'sized'));
for (const [i, png] of deckPngs.entries()) await images.pageImages(png, path.join(deckWork, 'sized'), `page-${i + 1}`, [1280]);
const popplerPagesPerSecond = deckPages / ((performance.now() - pagesStarted) / 1000);
await fs.rm(deckWork, { recursive: true, force: true });
const wasm = await measureWasm(deck, deckPdf, { ...deckOneWorker, pagesOnly: popplerPagesPerSecond });

await writeSection('documents', [
  '## Document previews (`npm run bench:documents`)',
  '',
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB; ${execFileSync(tools.soffice, ['--version']).toString().trim().split(' ').slice(0, 2).join(' ')}, `
    + `poppler ${/pdftoppm version ([\d.]+)/.exec(spawnSync('pdftoppm', ['-v']).stderr.toString())?.[1] ?? '?'}; `
    + `sandbox: ${tools.sandbox ? 'bubblewrap' : 'none'}. The job's whole work per file (convert, pdfinfo, pdftoppm at 1280 px, pdftotext, WebP at 1280 and 640), `
    + 'without database and storage. Two workers run two conversions of the same file at once. Peak: summed resident memory of the tools. '
    + `Load average when it ended: ${os.loadavg().map((n) => n.toFixed(1)).join(' / ')} (a shared machine makes the times longer).`,
  '',
  '| File | Workers | Pages | Wall time | Pages/s | CPU per page | LibreOffice (one file) | Peak tool memory |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Concurrency sized by memory on this machine: ${documentConcurrency(undefined)} conversions per worker process (DOCUMENT_WORKERS overrides).`,
  '',
  ...wasm,
]);
// An engine cut off at its limit may leave a worker thread running: the measurements are written.
process.exit(0);
