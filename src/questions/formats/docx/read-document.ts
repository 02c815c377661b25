import path from 'node:path/posix';
import { AppError } from '../../../core/errors.js';
import { escapeHtml } from '../../../core/text.js';
import { decodeText } from '../../../core/decode-text.js';
import { ASSET_PREFIX, type QuestionAsset } from '../../model.js';
import { parseUntrustedXml } from '../safe-xml.js';
import { readUntrustedZip } from '../../../core/safe-zip.js';
import { ommlToMathml } from './omml.js';
import { PRESERVE_ORDER, attrOf, childNamed, childrenOf, findDescendant, tagOf, type XmlNode } from './xml-nodes.js';

// A .docx body flattened into what the conventions need: lines of text that remember, character
// by character, how they were formatted (the key is often only an underlined or red "B."), with
// images and equations as single objects inside them, and tables kept as grids of lines.

export interface RunMarks {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  /** Red-ish text colour: FF0000, C00000, E00000… */
  red: boolean;
  highlight: boolean;
  superscript: boolean;
  subscript: boolean;
}

export type Segment =
  | { kind: 'text'; text: string; marks: RunMarks }
  | { kind: 'object'; html: string; asset?: QuestionAsset };

/** The stand-in for an image or equation in a line's plain text. */
export const OBJECT_CHAR = '\uFFFC';

export interface Line {
  segments: Segment[];
  /** Plain text, NFC, each object as one OBJECT_CHAR: what the conventions' patterns read. */
  text: string;
  /** 1-based paragraph number in the document, for messages. */
  paragraph: number;
  /** Paragraph style id ("Heading1"…). */
  style?: string;
}

export type Block = { kind: 'line'; line: Line } | { kind: 'table'; rows: Line[][][]; paragraph: number };

const NO_MARKS: RunMarks = { bold: false, italic: false, underline: false, red: false, highlight: false, superscript: false, subscript: false };
// Elements that only wrap runs (links, tracked insertions, content controls, fields).
const RUN_CONTAINERS = new Set(['w:hyperlink', 'w:ins', 'w:smartTag', 'w:sdt', 'w:sdtContent', 'w:fldSimple', 'w:customXml', 'w:moveTo', 'w:dir', 'w:bdo']);
const IMAGE_HOLDERS = new Set(['w:drawing', 'w:pict', 'w:object', 'mc:AlternateContent']);
const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.wmf': 'image/x-wmf', '.emf': 'image/x-emf', '.webp': 'image/webp',
};

/** Reads the main document of an untrusted .docx into blocks. Throws AppError for a file that is not one. */
export async function readDocxBlocks(bytes: Buffer): Promise<Block[]> {
  const files = await readUntrustedZip(bytes);
  const documentXml = files.get('word/document.xml');
  if (!documentXml) throw new AppError('QUESTION_FILE_MALFORMED', { reason: 'không phải tệp Word .docx (thiếu word/document.xml)' });
  const media = mediaByRelationship(files);
  const tree = parseUntrustedXml(decodeText(documentXml).text, PRESERVE_ORDER) as XmlNode[];
  const documentNode = tree.find((node) => tagOf(node) === 'w:document');
  const body = documentNode && childNamed(documentNode, 'w:body');
  if (!body) throw new AppError('QUESTION_FILE_MALFORMED', { reason: 'word/document.xml không có phần thân (w:body)' });
  const reader = new BodyReader(media);
  return reader.blocks(childrenOf(body));
}

/** Relationship id → the image it points at; external links are never fetched. */
function mediaByRelationship(files: Map<string, Buffer>): Map<string, QuestionAsset> {
  const media = new Map<string, QuestionAsset>();
  const relsXml = files.get('word/_rels/document.xml.rels');
  if (!relsXml) return media;
  const tree = parseUntrustedXml(decodeText(relsXml).text, PRESERVE_ORDER) as XmlNode[];
  const relationships = tree.find((node) => tagOf(node) === 'Relationships');
  for (const relationship of relationships ? childrenOf(relationships) : []) {
    const id = attrOf(relationship, 'Id');
    const target = attrOf(relationship, 'Target');
    if (!id || !target || attrOf(relationship, 'TargetMode') === 'External') continue;
    const file = target.startsWith('/') ? target.slice(1) : path.normalize(path.join('word', target));
    const bytes = files.get(file);
    if (!bytes) continue;
    const name = path.basename(file);
    media.set(id, { name, mime: MIME_BY_EXTENSION[path.extname(name).toLowerCase()], bytes });
  }
  return media;
}

class BodyReader {
  private paragraphCount = 0;

  constructor(private readonly media: Map<string, QuestionAsset>) {}

  blocks(nodes: XmlNode[]): Block[] {
    const blocks: Block[] = [];
    for (const node of nodes) {
      const tag = tagOf(node);
      if (tag === 'w:p') blocks.push(...this.paragraph(node).map((line): Block => ({ kind: 'line', line })));
      else if (tag === 'w:tbl') blocks.push(this.table(node));
      else if (tag === 'w:sdt' || tag === 'w:sdtContent' || tag === 'w:customXml') blocks.push(...this.blocks(childrenOf(node)));
    }
    return blocks;
  }

  private table(node: XmlNode): Block {
    const paragraph = this.paragraphCount + 1;
    const rows = childrenOf(node).filter((row) => tagOf(row) === 'w:tr').map((row) =>
      childrenOf(row).filter((cell) => tagOf(cell) === 'w:tc').map((cell) => this.cellLines(cell)));
    return { kind: 'table', rows, paragraph };
  }

  /** A cell's paragraphs as lines; a table nested in a cell is flattened into its lines. */
  private cellLines(cell: XmlNode): Line[] {
    return this.blocks(childrenOf(cell)).flatMap((block) => (block.kind === 'line' ? [block.line] : block.rows.flat(2)));
  }

  /** One paragraph → one line, or several where it has manual line breaks. */
  private paragraph(node: XmlNode): Line[] {
    const paragraph = ++this.paragraphCount;
    const properties = childNamed(node, 'w:pPr');
    const styleNode = properties && childNamed(properties, 'w:pStyle');
    const style = styleNode ? attrOf(styleNode, 'w:val') : undefined;
    const lines: Segment[][] = [[]];
    const push = (segment: Segment) => lines[lines.length - 1]!.push(segment);
    const walk = (nodes: XmlNode[]) => {
      for (const child of nodes) {
        const tag = tagOf(child);
        if (tag === 'w:r') this.run(child, push, () => lines.push([]));
        else if (tag === 'm:oMath' || tag === 'm:oMathPara') push({ kind: 'object', html: ommlToMathml(child) });
        else if (RUN_CONTAINERS.has(tag)) walk(childrenOf(child));
      }
    };
    walk(childrenOf(node));
    return lines.map((segments) => ({ segments, text: plainText(segments), paragraph, style }));
  }

  private run(node: XmlNode, push: (segment: Segment) => void, lineBreak: () => void): void {
    const properties = childNamed(node, 'w:rPr');
    const marks = properties ? runMarks(properties) : NO_MARKS;
    for (const child of childrenOf(node)) {
      const tag = tagOf(child);
      if (tag === 'w:t') push({ kind: 'text', text: childrenOf(child).map((t) => String(t['#text'] ?? '')).join('').normalize('NFC'), marks });
      else if (tag === 'w:tab' || tag === 'w:ptab') push({ kind: 'text', text: '\t', marks });
      else if (tag === 'w:br' || tag === 'w:cr') lineBreak();
      else if (tag === 'w:noBreakHyphen') push({ kind: 'text', text: '-', marks });
      else if (tag === 'm:oMath') push({ kind: 'object', html: ommlToMathml(child) });
      else if (IMAGE_HOLDERS.has(tag)) {
        const asset = this.image(child);
        if (asset) push({ kind: 'object', html: `<img src="${ASSET_PREFIX}${escapeHtml(asset.name)}">`, asset });
      }
    }
  }

  /** DrawingML `a:blip r:embed` or VML `v:imagedata r:id` (also MathType's preview picture). */
  private image(node: XmlNode): QuestionAsset | undefined {
    const blip = findDescendant(node, 'a:blip');
    const imageData = findDescendant(node, 'v:imagedata');
    const id = (blip && attrOf(blip, 'r:embed')) ?? (imageData && attrOf(imageData, 'r:id'));
    return id ? this.media.get(id) : undefined;
  }
}

function runMarks(properties: XmlNode): RunMarks {
  const flag = (tag: string) => {
    const element = childNamed(properties, tag);
    const value = element && attrOf(element, 'w:val');
    return !!element && value !== '0' && value !== 'false' && value !== 'off' && value !== 'none';
  };
  const colour = childNamed(properties, 'w:color');
  const vertical = childNamed(properties, 'w:vertAlign');
  return {
    bold: flag('w:b'),
    italic: flag('w:i'),
    underline: flag('w:u'),
    red: isRedish(colour ? attrOf(colour, 'w:val') : undefined),
    highlight: flag('w:highlight'),
    superscript: vertical ? attrOf(vertical, 'w:val') === 'superscript' : false,
    subscript: vertical ? attrOf(vertical, 'w:val') === 'subscript' : false,
  };
}

/** Reds and dark reds teachers use for keys (FF0000, C00000, E00000, FF3333…), not orange or pink. */
export function isRedish(hex: string | undefined): boolean {
  if (!hex || !/^[0-9a-f]{6}$/i.test(hex)) return false;
  const [red, green, blue] = [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
  return red >= 0x99 && green <= 0x55 && blue <= 0x66 && red - Math.max(green, blue) >= 0x66;
}

function plainText(segments: Segment[]): string {
  return segments.map((segment) => (segment.kind === 'text' ? segment.text : OBJECT_CHAR)).join('');
}
