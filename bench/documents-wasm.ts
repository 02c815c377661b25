/**
 * The WebAssembly engines the issue asks to weigh against the native tools: PDFium
 * (@hyzyla/pdfium; @embedpdf/pdfium is the same PDFium under a lower-level API) for page images
 * and text, and LibreOffice (@matbee/libreoffice-converter) for Office files. They are not
 * dependencies of the project: they are loaded from BENCH_WASM_DIR (a folder where
 * `npm install --ignore-scripts @hyzyla/pdfium @matbee/libreoffice-converter` was run) when set.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { docxOf } from '../tests/helpers/documents.js';

async function load(dir: string, name: string): Promise<any> {
  const entry = createRequire(path.join(dir, 'package.json')).resolve(name);
  return import(pathToFileURL(entry).href);
}

/** The part of @matbee/libreoffice-converter's worker converter that is measured. */
interface WasmConverter {
  convert(data: Buffer, options: { outputFormat: 'pdf' }, name: string): Promise<{ data: Uint8Array }>;
  destroy(): Promise<void>;
}

const LIMIT_SECONDS = Number(process.env.BENCH_WASM_LIMIT_SECONDS ?? 300);

/** `work`, or an error once LIMIT_SECONDS have passed: an engine that takes longer is measured as too slow. */
function withinLimit<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not finish within ${LIMIT_SECONDS} s`)), LIMIT_SECONDS * 1000).unref())]);
}

async function pdfTool(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer, dir: string): Promise<string> {
  const file = path.join(dir, 'check.pdf');
  await fs.writeFile(file, pdf);
  return execFileSync(tool, tool === 'pdftotext' ? ['-enc', 'UTF-8', file, '-'] : [file]).toString();
}

/** Lines for RESULTS.md: each engine's speed on the 60-slide deck next to the native one's, and whether it keeps "tốc". */
/**
 * `native`: pages per second of the native tools on the same deck: the whole pipeline, LibreOffice's
 * conversion alone, poppler's pages and text alone. An engine is preferred where it is within 2× of
 * its native counterpart and keeps Vietnamese tone marks (the issue's rule).
 */
export async function measureWasm(deck: Buffer, deckPdf: Buffer, native: { pipeline: number; convert: number; pagesOnly: number }): Promise<string[]> {
  const dir = process.env.BENCH_WASM_DIR;
  const lines = ['### WebAssembly engines', ''];
  const verdict = (name: string, speed: number | null, nativeSpeed: number, keeps: boolean | null) => speed === null
    ? `${name}: not usable here, native tools kept.`
    : keeps === null
      ? `${name}: ${speed * 2 >= nativeSpeed ? 'fast enough' : 'too slow'} (${speed.toFixed(2)} vs ${nativeSpeed.toFixed(2)} pages/s), but its text extraction fails: native tools kept.`
    : speed * 2 >= nativeSpeed && keeps
      ? `${name}: within 2× of native (${speed.toFixed(2)} vs ${nativeSpeed.toFixed(2)} pages/s) with Vietnamese intact: a candidate to replace the native tool.`
      : `${name}: ${speed * 2 < nativeSpeed ? `slower than half of native (${speed.toFixed(2)} vs ${nativeSpeed.toFixed(2)} pages/s)` : 'fast enough'}${keeps ? '' : ', and loses Vietnamese tone marks'}: native tools kept.`;
  const decisions: string[] = [];
  if (!dir) return [...lines, 'Not measured in this run (set BENCH_WASM_DIR to a folder where they are installed).'];
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-wasm-'));
  try {
    // LibreOffice in WebAssembly: conversion of the deck, and of a Cambria docx for the tone marks.
    let wasmPdf: Buffer | null = null;
    try {
      const { createWorkerConverter } = await load(dir, '@matbee/libreoffice-converter/server');
      const initStart = performance.now();
      const converter = await withinLimit<WasmConverter>(createWorkerConverter({}));
      const initSeconds = (performance.now() - initStart) / 1000;
      const started = performance.now();
      wasmPdf = Buffer.from((await withinLimit(converter.convert(deck, { outputFormat: 'pdf' }, 'deck.pptx'))).data);
      const seconds = (performance.now() - started) / 1000;
      const cambria = Buffer.from((await withinLimit(converter.convert(await docxOf(['Vận tốc của ánh sáng'], 'Cambria'), { outputFormat: 'pdf' }, 'v.docx'))).data);
      await converter.destroy();
      const pages = Number(/Pages:\s+(\d+)/.exec(await pdfTool('pdfinfo', wasmPdf, work))?.[1]);
      const keepsMarks = (await pdfTool('pdftotext', cambria, work)).includes('tốc');
      decisions.push(verdict('LibreOffice in WebAssembly', pages / seconds, native.convert, keepsMarks));
      lines.push(`- @matbee/libreoffice-converter: start-up ${initSeconds.toFixed(1)} s (once per process), then the deck (${pages} pages) in ${seconds.toFixed(1)} s `
        + `= ${(pages / seconds).toFixed(2)} pages/s converting alone; Cambria "tốc" ${keepsMarks ? 'kept' : 'lost'}.`);
    } catch (error) {
      decisions.push(verdict('LibreOffice in WebAssembly', null, native.convert, null));
      lines.push(`- @matbee/libreoffice-converter: did not run here (${(error as Error).message.split('\n')[0]}).`);
    }
    // PDFium in WebAssembly: the pages of the natively converted deck at 1280 px, and their text.
    try {
      const { PDFiumLibrary } = await load(dir, '@hyzyla/pdfium');
      const library = await PDFiumLibrary.init();
      const started = performance.now();
      const document = await library.loadDocument(new Uint8Array(deckPdf));
      let pages = 0;
      let text = '';
      let textError: string | null = null;
      for (const page of document.pages()) {
        const { originalWidth: width } = page.getOriginalSize();
        const image = await page.render({ scale: 1280 / width, render: 'bitmap' });
        await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } }).webp({ quality: 78 }).toBuffer();
        // This build's text functions can trap ("table index is out of bounds"): recorded, not fatal.
        try {
          text += page.getText();
        } catch (error) {
          textError ??= (error as Error).message;
        }
        pages++;
      }
      const seconds = (performance.now() - started) / 1000;
      document.destroy();
      library.destroy();
      decisions.push(verdict('PDFium in WebAssembly', pages / seconds, native.pagesOnly, textError ? null : text.includes('tốc')));
      lines.push(`- @hyzyla/pdfium: ${pages} pages rendered at 1280 px (+ WebP) in ${seconds.toFixed(1)} s = ${(pages / seconds).toFixed(2)} pages/s; `
        + (textError ? `its text extraction failed (${textError}), so poppler's pdftotext stays needed whatever the speed.` : `text ${text.includes('tốc') ? 'keeps' : 'loses'} "tốc".`));
    } catch (error) {
      decisions.push(verdict('PDFium in WebAssembly', null, native.pagesOnly, null));
      lines.push(`- @hyzyla/pdfium: did not run here (${(error as Error).message.split('\n')[0]}).`);
    }
    lines.push('', `Native, one worker, on the same deck: ${native.pipeline.toFixed(2)} pages/s for the whole pipeline, LibreOffice's conversion alone ${native.convert.toFixed(2)} pages/s, `
      + `poppler alone (pages at 1280 px + WebP, text) ${native.pagesOnly.toFixed(2)} pages/s.`, '', 'Decision (prefer an engine within 2× of native that keeps Vietnamese):', ...decisions.map((d) => `- ${d}`));
    return lines;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
