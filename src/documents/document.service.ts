import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Db, Tx } from '../core/db/client.js';
import type { DocumentDetails, PageImage } from '../core/db/schema.js';
import type { Queue } from '../core/queue/queue.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { blobKey } from '../files/blob-key.js';
import type { ImageRepository } from '../media/image.repository.js';
import type { NewRendition } from '../media/media.repository.js';
import { listUntrustedZip } from '../core/safe-zip.js';
import { documentKindOf, officeExtension, REQUIRED_ENTRY, type DocumentKind } from './document-kind.js';
import type { DocumentRepository, NewPage } from './document.repository.js';
import { presentDocument, type DocumentView } from './document-view.js';
import { readEpub } from './epub.js';
import { describeDocumentFailure, DocumentInputError, isDocumentFault } from './failure-message.js';
import { ProcessDocumentJob } from './jobs/process-document.job.js';
import { detectLegacyEncoding } from './legacy-encoding.js';
import { findDocumentTools, missingPackages, toolReport, type DocumentTools } from './tools/availability.js';
import { LibreOffice } from './tools/libreoffice.js';
import { Poppler } from './tools/poppler.js';
import type { ToolLimits } from './tools/run-tool.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { IndexMaterialJob } from '../search/jobs/index-material.job.js';

/** Widths of the page images, widest first: a desktop's column and a phone's. */
export const PAGE_WIDTHS = [1280, 640] as const;

export interface DocumentSettings {
  sofficePath?: string;
  /** Each tool's time limit (LibreOffice, pdftoppm, pdftotext). */
  timeoutSeconds: number;
  /** Each tool's address-space limit. */
  memoryMb: number;
  /** Documents with more pages (slides) than this are refused. */
  maxPages: number;
  /**
   * `required` (default): Office files wait for bubblewrap (shown unavailable without it); `auto`:
   * bubblewrap when it works here, else without (a linked picture may then be fetched); `off`: never.
   */
  sandbox: 'auto' | 'required' | 'off';
}

/**
 * Previews of documents: Office files become PDF with LibreOffice, PDFs become page images and
 * per-page text with poppler, EPUBs give their text and cover. Outputs go under a prefix of their
 * run and become visible only in the final transaction, which also queues the search update.
 */
export class DocumentService {
  private found: DocumentTools | null = null;
  private office: LibreOffice | null = null;

  constructor(
    private readonly db: Db,
    private readonly storage: ObjectStorage,
    private readonly documents: DocumentRepository,
    private readonly images: ImageRepository,
    private readonly queue: Queue,
    private readonly settings: DocumentSettings,
    private readonly notifications: NotificationService,
  ) {}

  /** The tools of this machine, looked for once. */
  tools(): DocumentTools {
    this.found ??= findDocumentTools(this.settings.sofficePath);
    return this.found;
  }

  /** One line for the start-up log when previews are limited here, else null. */
  startupReport(): string | null {
    return toolReport(this.tools(), this.settings.sandbox === 'required');
  }

  private get limits(): ToolLimits {
    return { timeoutMs: this.settings.timeoutSeconds * 1000, memoryBytes: this.settings.memoryMb * 1024 * 1024, maxFileBytes: 2 * 1024 ** 3 };
  }

  /** The preview of a file's content for the viewer and the API; null when the file is not a document. */
  async view(file: { id: string; sha256: string }, options: { sign: string; withText: boolean }): Promise<DocumentView | null> {
    const processing = await this.documents.get(file.sha256);
    if (!processing) return null;
    const ready = processing.state === 'ready';
    const [pages, hasPoster] = ready ? await Promise.all([this.documents.pages(file.sha256), this.documents.hasPoster(file.sha256)]) : [[], false];
    return presentDocument(file.id, processing, pages, { ...options, hasPoster });
  }

  /** A stored page image or the PDF of a file's preview, for the routes that send them. */
  async pageImage(sha256: string, page: number, width: number | undefined): Promise<PageImage | null> {
    const images = (await this.documents.page(sha256, page))?.images ?? [];
    return (width === undefined ? images[0] : images.find((image) => image.width === width)) ?? null;
  }

  async pdf(sha256: string): Promise<{ key: string; size: number } | null> {
    const processing = await this.documents.get(sha256);
    return processing?.state === 'ready' && processing.pdfKey ? { key: processing.pdfKey, size: processing.pdfSize ?? 0 } : null;
  }

  /** In the upload's own transaction: mark the content for a preview and enqueue the job. */
  async queuePreview(tx: Tx, file: { sha256: string; mime: string }): Promise<void> {
    const kind = documentKindOf(file.mime);
    if (!kind) return;
    if (await this.documents.queue(file.sha256, kind, tx.db)) {
      await this.queue.enqueue(tx, ProcessDocumentJob.queue, { sha256: file.sha256, mime: file.mime }, { singletonKey: file.sha256 });
    }
  }

  async process(job: { sha256: string; mime: string }): Promise<void> {
    const current = await this.documents.get(job.sha256);
    if (!current || current.state === 'ready') return;
    const tools = this.tools();
    const missing = missingPackages(tools, current.kind, this.settings.sandbox === 'required');
    if (missing.length) return this.documents.unavailable(job.sha256, missing);
    await this.documents.start(job.sha256);
    const prefix = `documents/${job.sha256}/${randomUUID()}/`;
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-document-'));
    const written: string[] = [];
    const put = async (name: string, file: string, mime: string) => {
      const key = prefix + name;
      await this.storage.write(key, createReadStream(file), mime);
      written.push(key);
      return { key, size: (await fs.stat(file)).size };
    };
    try {
      // Objects of earlier runs that never became visible (a killed worker's).
      for await (const object of this.storage.list(`documents/${job.sha256}/`)) await this.storage.delete(object.key);
      const extension = current.kind === 'office' ? officeExtension(job.mime) : current.kind;
      const input = path.join(work, `source.${extension}`);
      await pipeline(await this.storage.read(blobKey(job.sha256)), createWriteStream(input));
      const result = current.kind === 'epub'
        ? await this.epub(input, work, put)
        : await this.paginated(job.sha256, current.kind, input, work, put);
      await this.db.transaction(async (tx) => {
        const locked = await this.documents.get(job.sha256, tx.db, { forUpdate: true });
        // A duplicate delivery finished first: its outputs stand, ours go.
        if (locked?.state === 'ready') throw new DuplicateRun();
        await this.documents.finish(job.sha256, result.summary, result.pages, result.posters, tx.db);
        for (const materialId of await this.documents.materialsWith(job.sha256, tx.db)) {
          await this.queue.enqueue(tx, IndexMaterialJob.queue, { materialId });
        }
      });
    } catch (error) {
      for (const key of written) await this.storage.delete(key).catch(() => undefined);
      if (error instanceof DuplicateRun) return;
      const reason = describeDocumentFailure(error);
      // A fault of the document itself is final: its uploaders hear of it with the reason. Other faults are retried.
      const final = isDocumentFault(error);
      await this.db.transaction(async (tx) => {
        await this.documents.fail(job.sha256, reason, tx.db);
        if (final) await this.notifications.processingFailed(tx, { sha256: job.sha256, kind: 'document_failed', reason });
      });
      if (!final) throw error;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** PDF and Office files: the PDF, page images at PAGE_WIDTHS, per-page text, a poster from page 1. */
  private async paginated(sha256: string, kind: DocumentKind, input: string, work: string, put: Put) {
    const details: DocumentDetails = {};
    let pdf = input;
    if (kind === 'office') {
      await this.checkPackage(input);
      details.sandboxed = this.useSandbox();
      this.office ??= new LibreOffice({ soffice: this.tools().soffice!, sandbox: details.sandboxed, limits: this.limits });
      pdf = await this.office.toPdf(work, input);
    }
    const poppler = new Poppler(this.limits);
    const info = await poppler.info(pdf);
    if (info.pages === 0) throw new DocumentInputError('Tài liệu không có trang nào.');
    if (info.pages > this.settings.maxPages) throw new DocumentInputError(`Tài liệu có ${info.pages} trang, vượt giới hạn ${this.settings.maxPages} trang của bản xem trước.`);
    const rendered = await poppler.render(pdf, path.join(work, 'pages'), info.pages, PAGE_WIDTHS[0]);
    const texts = await poppler.text(pdf, path.join(work, 'text.txt'), info.pages);
    const pages: NewPage[] = [];
    const sized = path.join(work, 'sized');
    await fs.mkdir(sized);
    for (const [index, rendering] of rendered.entries()) {
      const outputs = await this.images.pageImages(rendering, sized, `page-${index + 1}`, PAGE_WIDTHS);
      const images: PageImage[] = [];
      for (const output of outputs) {
        const stored = await put(`pages/${path.basename(output.file)}`, output.file, 'image/webp');
        images.push({ width: output.width, height: output.height, ...stored });
      }
      pages.push({ page: index + 1, text: texts[index]!.normalize('NFC'), images });
    }
    const legacy = detectLegacyEncoding(texts.join('\n'));
    if (legacy) details.legacyEncoding = legacy;
    const storedPdf = kind === 'pdf' ? { key: blobKey(sha256), size: (await fs.stat(pdf)).size } : await put('document.pdf', pdf, 'application/pdf');
    return {
      summary: { pageCount: info.pages, pdfKey: storedPdf.key, pdfSize: storedPdf.size, details },
      pages, posters: await this.posters(rendered[0]!, work, put),
    };
  }

  /** EPUB: each spine section is a "page" of text; the cover, when named, is the poster. */
  private async epub(input: string, work: string, put: Put) {
    const { sections, cover } = await readEpub(await fs.readFile(input));
    if (sections.length === 0) throw new DocumentInputError('Tệp EPUB không có chương nào để đọc.');
    if (sections.length > this.settings.maxPages * 10) throw new DocumentInputError(`Tệp EPUB có ${sections.length} phần, quá nhiều để tạo bản xem trước.`);
    let posters: NewRendition[] = [];
    if (cover) {
      const file = path.join(work, 'cover');
      await fs.writeFile(file, cover.bytes);
      posters = await this.posters(file, work, put);
    }
    const legacy = detectLegacyEncoding(sections.join('\n'));
    return {
      summary: { pageCount: sections.length, pdfKey: null, pdfSize: null, details: legacy ? { legacyEncoding: legacy } : {} },
      pages: sections.map((text, index) => ({ page: index + 1, text, images: [] })),
      posters,
    };
  }

  private async posters(source: string, work: string, put: Put): Promise<NewRendition[]> {
    const dir = path.join(work, 'posters');
    await fs.mkdir(dir, { recursive: true });
    const images = await this.images.posters(source, dir).catch((error: Error) => { throw new DocumentInputError(`Không tạo được ảnh đại diện: ${error.message}`); });
    const posters: NewRendition[] = [];
    for (const [index, image] of images.entries()) {
      const stored = await put(path.basename(image.file), image.file, `image/${image.format}`);
      posters.push({ kind: index < 2 ? 'poster' : 'thumbnail', format: image.format, width: image.width, height: image.height, bitrate: null, size: stored.size, storageKey: stored.key });
    }
    return posters;
  }

  /**
   * An OOXML or ODF file must be the package it claims (a zip named .docx is not a document),
   * and a deck's slides are counted before LibreOffice spends minutes on 300 of them.
   */
  private async checkPackage(input: string): Promise<void> {
    const extension = path.extname(input).slice(1);
    if (extension === 'doc') return checkCompoundFile(await fs.readFile(input));
    const required = REQUIRED_ENTRY[extension];
    if (!required) return;
    let names: string[];
    try {
      names = await listUntrustedZip(await fs.readFile(input), { maxEntries: 50_000, maxTotalBytes: 4 * 1024 ** 3, maxRatio: 1000 });
    } catch (error) {
      throw new DocumentInputError(`Tệp Office hỏng hoặc không an toàn: ${(error as Error).message}`);
    }
    if (!names.some((name) => required.test(name))) throw new DocumentInputError(`Tệp không phải tài liệu ${extension.toUpperCase()} thật: thiếu phần nội dung chính của gói.`);
    const slides = names.filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)).length;
    if (slides > this.settings.maxPages) throw new DocumentInputError(`Bài trình chiếu có ${slides} trang chiếu, vượt giới hạn ${this.settings.maxPages} trang của bản xem trước.`);
  }

  private useSandbox(): boolean {
    return this.settings.sandbox !== 'off' && this.tools().sandbox;
  }
}

/**
 * An OLE compound file must hold the stream of a Word, PowerPoint or Excel document; LibreOffice
 * would show anything else as plain text. An encrypted OOXML file is such a container too.
 */
function checkCompoundFile(bytes: Buffer): void {
  const has = (stream: string) => bytes.includes(Buffer.from(stream, 'utf16le'));
  if (has('EncryptedPackage')) throw new DocumentInputError('Tài liệu Office được bảo vệ bằng mật khẩu nên không tạo được bản xem trước. Hãy tải lên bản không đặt mật khẩu mở tệp.');
  if (!['WordDocument', 'PowerPoint Document', 'Workbook', 'Book'].some(has)) throw new DocumentInputError('Không mở được tài liệu: tệp Office (.doc, .ppt, .xls) bị hỏng hoặc không phải tài liệu Office.');
}

type Put = (name: string, file: string, mime: string) => Promise<{ key: string; size: number }>;

class DuplicateRun extends Error {}
