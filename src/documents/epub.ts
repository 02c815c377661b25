import path from 'node:path/posix';
import { readUntrustedZip } from '../core/safe-zip.js';
import { parseUntrustedXml } from '../questions/formats/safe-xml.js';
import { DocumentInputError } from './failure-message.js';

export interface EpubContent {
  /** The text of each spine section (chapter), in reading order: the "pages" of an EPUB. */
  sections: string[];
  /** The cover picture's bytes and type, when the package names one. */
  cover: { bytes: Buffer; mime: string } | null;
}

type Attributes = Record<string, string | undefined>;
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Readable text of an XHTML section: scripts and styles dropped, blocks on lines of their own. */
export function textOfXhtml(xhtml: string): string {
  return xhtml
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(p|div|h[1-6]|li|tr|section|blockquote)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim()
    .normalize('NFC');
}

/**
 * An EPUB's text and cover, read through the safe zip reader (no paths out of the package, no
 * symlinks, a bounded inflated size) and the safe XML parser (no entity declarations).
 */
export async function readEpub(bytes: Buffer): Promise<EpubContent> {
  let files: Map<string, Buffer>;
  try {
    files = await readUntrustedZip(bytes, { maxEntries: 20_000, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 200 });
  } catch (error) {
    throw new DocumentInputError(`Tệp EPUB hỏng hoặc không an toàn: ${(error as Error).message}`);
  }
  const xml = (name: string) => {
    const file = files.get(name);
    if (!file) throw new DocumentInputError(`Tệp EPUB thiếu ${name}.`);
    try {
      return parseUntrustedXml(file.toString('utf8'), { removeNSPrefix: true }) as Record<string, unknown>;
    } catch (error) {
      throw new DocumentInputError(`Tệp EPUB có ${name} không đọc được: ${(error as Error).message}`);
    }
  };
  const container = xml('META-INF/container.xml') as { container?: { rootfiles?: { rootfile?: Attributes | Attributes[] } } };
  const opfPath = list(container.container?.rootfiles?.rootfile)[0]?.['@_full-path'];
  if (!opfPath) throw new DocumentInputError('Tệp EPUB không chỉ ra tệp mô tả gói (OPF).');
  const opf = (xml(opfPath) as { package?: { manifest?: { item?: Attributes | Attributes[] }; spine?: { itemref?: Attributes | Attributes[] }; metadata?: { meta?: Attributes | Attributes[] } } }).package;
  const base = path.dirname(opfPath);
  const items = new Map(list(opf?.manifest?.item).map((item) => [item['@_id'], item]));
  const resolve = (href: string) => path.normalize(path.join(base, decodeURIComponent(href.split('#')[0]!)));

  const sections = list(opf?.spine?.itemref)
    .map((ref) => items.get(ref['@_idref']))
    .filter((item): item is Attributes => !!item?.['@_href'] && /x?html/.test(item['@_media-type'] ?? ''))
    .map((item) => textOfXhtml(files.get(resolve(item['@_href']!))?.toString('utf8') ?? ''));

  const coverId = list(opf?.metadata?.meta).find((meta) => meta['@_name'] === 'cover')?.['@_content'];
  const coverItem = [...items.values()].find((item) => item['@_properties']?.split(/\s+/).includes('cover-image')) ?? (coverId ? items.get(coverId) : undefined);
  const coverBytes = coverItem?.['@_href'] ? files.get(resolve(coverItem['@_href'])) : undefined;
  const cover = coverBytes && /^image\//.test(coverItem?.['@_media-type'] ?? '') ? { bytes: coverBytes, mime: coverItem!['@_media-type']! } : null;
  return { sections, cover };
}
