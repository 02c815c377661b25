import path from 'node:path/posix';
import { AppError } from '../../../core/errors.js';
import { decodeText } from '../../../core/decode-text.js';
import { ASSET_PREFIX, type ImportInput, type ParseResult, type QuestionAsset } from '../../model.js';
import { splitLevelTag } from '../conventions.js';
import { readUntrustedZip } from '../../../core/safe-zip.js';
import { readItem, type ItemReading } from './item.js';
import { attr, childElements, descendants, firstChild, parseXmlTree, textContent, type XmlElement } from './xml-tree.js';

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp', '.bmp': 'image/bmp',
};
const EXTENSION_BY_MIME = Object.fromEntries(Object.entries(MIME_BY_EXTENSION).map(([ext, mime]) => [mime, ext]));

/** The result, with what was approximated on the way: the questions were imported, but not exactly. */
export type QtiParseResult = ParseResult & Required<Pick<ParseResult, 'warnings'>>;

/** Metadata the manifest gives an item: LOM keywords (tags, and the level by our convention) and a taxonomy path (topic). */
interface ItemMetadata { tags: string[]; topic?: string }

/** A QTI item, a QTI 2.1/3.0 package manifest, or a QTI 1.2 file (refused later, by name). */
export function looksLikeQti(text: string): boolean {
  return /<(?:[\w-]+:)?(?:assessmentItem|qti-assessment-item|questestinterop)\b/.test(text)
    || /imsqti_v2p\d|imsqtiasi_v3p0|imsqti_item_xmlv/.test(text);
}

const malformed = (reason: string) => new AppError('QUESTION_FILE_MALFORMED', { reason });
const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

function parseXml(bytes: Buffer, file: string): XmlElement {
  try {
    return parseXmlTree(decodeText(bytes).text);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw malformed(`${file}: ${(err as Error).message}`);
  }
}

/**
 * Imports IMS/1EdTech QTI 2.1 or 3.0: one item's XML, or a content package (.zip with
 * imsmanifest.xml) whose item resources are read in manifest order, with their images as assets
 * and their LOM keywords/classification as tags, level and topic. Tests in the package are not
 * read; their items are.
 */
export async function importQti(input: ImportInput): Promise<QtiParseResult> {
  if (isZip(input.bytes)) return importPackage(await readUntrustedZip(input.bytes), input.fileName);
  const root = parseXml(input.bytes, input.fileName);
  refuseNonItem(root);
  const result: QtiParseResult = { questions: [], errors: [], warnings: [] };
  addReading(result, 1, readItem(root, { item: 1, file: input.fileName, resolveAsset: assetResolver(undefined, '', [], missingAsset(result, 1, input.fileName)) }), [], { tags: [] });
  return result;
}

function refuseNonItem(root: XmlElement): void {
  if (root.name === 'questestinterop') throw malformed('đây là QTI 1.2 (questestinterop); chỉ nhập được QTI 2.1 và 3.0.');
  if (root.name === 'manifest') throw malformed('imsmanifest.xml phải được nộp cùng các câu hỏi trong một gói .zip.');
  if (root.name === 'assessmentTest') throw malformed('đây là một bài kiểm tra (assessmentTest); hãy nộp gói .zip chứa các câu hỏi.');
}

async function importPackage(files: Map<string, Buffer>, fileName: string): Promise<QtiParseResult> {
  // At the root normally; some tools zip the package's folder, putting it one level down.
  const manifestPath = [...files.keys()].filter((name) => path.basename(name).toLowerCase() === 'imsmanifest.xml').sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!manifestPath) throw malformed(`gói ${fileName} không có imsmanifest.xml.`);
  const packageRoot = path.dirname(manifestPath);
  const manifest = parseXml(files.get(manifestPath)!, manifestPath);
  const resources = descendants(manifest, 'resource');
  const items = resources.filter((r) => (attr(r, 'type') ?? '').startsWith('imsqti_item'));
  if (items.length === 0) throw malformed('imsmanifest.xml không liệt kê câu hỏi nào (resource kiểu imsqti_item_…).');

  const result: QtiParseResult = { questions: [], errors: [], warnings: [] };
  items.forEach((resource, index) => {
    const item = index + 1;
    const href = attr(resource, 'href') ?? attr(firstChild(resource, 'file') ?? resource, 'href');
    const file = href ? path.join(packageRoot, decodeURIComponentSafe(href)) : undefined;
    const bytes = file ? files.get(file) : undefined;
    if (!file || !bytes) {
      result.errors.push({ item, code: 'QTI_ITEM_FILE_MISSING', message: `Câu ${item}: gói không có tệp ${href ?? '(thiếu href)'} mà imsmanifest.xml khai báo.` });
      return;
    }
    let root: XmlElement;
    try {
      root = parseXml(bytes, file);
    } catch (err) {
      // An unsafe item refuses the whole package; a broken one is that item's error.
      if (err instanceof AppError && err.code === 'QUESTION_FILE_MALFORMED') {
        result.errors.push({ item, code: 'QTI_ITEM_MALFORMED', message: `Câu ${item} (${file}): ${String(err.params.reason ?? err.message)}` });
        return;
      }
      throw err;
    }
    const assets: QuestionAsset[] = [];
    const reading = readItem(root, { item, file, resolveAsset: assetResolver(files, path.dirname(file), assets, missingAsset(result, item, file)) });
    addReading(result, item, reading, assets, readMetadata(resource));
  });
  return result;
}

function addReading(result: QtiParseResult, item: number, reading: ItemReading, assets: QuestionAsset[], metadata: ItemMetadata): void {
  result.warnings.push(...reading.warnings);
  if ('error' in reading) {
    result.errors.push(reading.error);
    return;
  }
  const { itemId, ...question } = reading.question;
  const { cognitiveLevel, tags } = splitLevelTag(metadata.tags, { names: true });
  result.questions.push({
    ...question, item,
    ...(cognitiveLevel ? { cognitiveLevel } : {}),
    ...(metadata.topic ? { topic: metadata.topic } : {}),
    ...(tags.length ? { tags } : {}),
    ...(assets.length ? { assets } : {}),
    source: { format: 'qti', ...(itemId ? { itemId } : {}) },
  });
}

const missingAsset = (result: QtiParseResult, item: number, file: string) => (src: string) =>
  result.warnings.push({ item, code: 'QTI_ASSET_MISSING', message: `Câu ${item} (${file}): không tìm thấy ảnh "${src}" trong gói; giữ nguyên đường dẫn.` });

/**
 * Image references inside an item become `@@ASSET@@/<name>` with the bytes collected; `data:` URIs
 * are decoded the same way. Web addresses stay as they are; a missing file is reported and kept.
 */
function assetResolver(files: Map<string, Buffer> | undefined, directory: string, assets: QuestionAsset[], reportMissing: (src: string) => void) {
  const byPath = new Map<string, string>();
  const add = (wanted: string, bytes: Buffer, mime: string | undefined) => {
    const { name: stem, ext } = path.parse(wanted);
    let name = wanted;
    for (let n = 2; assets.some((a) => a.name === name); n++) name = `${stem}-${n}${ext}`;
    assets.push({ name, bytes, ...(mime ? { mime } : {}) });
    return ASSET_PREFIX + name;
  };
  return (src: string): string => {
    const data = /^data:([\w/+.-]+);base64,(.*)$/s.exec(src);
    if (data) return add(`hinh-${assets.length + 1}${EXTENSION_BY_MIME[data[1]!] ?? ''}`, Buffer.from(data[2]!, 'base64'), data[1]);
    if (/^[a-z][\w+.-]*:/i.test(src) || src.startsWith(ASSET_PREFIX)) return src;
    const file = path.normalize(path.join(directory, decodeURIComponentSafe(src.split(/[?#]/)[0]!)));
    const known = byPath.get(file);
    if (known) return known;
    const bytes = files?.get(file);
    if (!bytes) {
      reportMissing(src);
      return src;
    }
    const reference = add(path.basename(file), bytes, MIME_BY_EXTENSION[path.extname(file).toLowerCase()]);
    byPath.set(file, reference);
    return reference;
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const stringOf = (element: XmlElement) => {
  const strings = childElements(element).filter((c) => c.name === 'string' || c.name === 'langstring');
  return (strings.length ? textContent(strings[0]!) : textContent(element)).trim();
};

/** LOM keywords and the first classification's taxon path (joined by "/"), from a manifest resource. */
function readMetadata(resource: XmlElement): ItemMetadata {
  const lom = descendants(resource, 'lom')[0];
  if (!lom) return { tags: [] };
  const tags = descendants(lom, 'keyword').map(stringOf).filter(Boolean);
  const taxonPath = descendants(lom, 'taxonPath')[0];
  const topic = taxonPath && descendants(taxonPath, 'taxon').map((taxon) => stringOf(firstChild(taxon, 'entry') ?? taxon)).filter(Boolean).join('/');
  return { tags, ...(topic ? { topic } : {}) };
}

