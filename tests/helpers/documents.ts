import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, PageBreak, Paragraph, TextRun } from 'docx';
import { zipOf } from './zip.js';

const run = promisify(execFile);

/** Runs LibreOffice once, on its own fresh profile, to turn a flat ODF text file into `format`. */
export async function convertWithLibreOffice(flat: string, extension: 'fodp' | 'fodt', format: string): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-docgen-'));
  try {
    await fs.writeFile(path.join(dir, `in.${extension}`), flat);
    // A fresh profile restarts LibreOffice once (exit 81) on its first run: build it, then convert.
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--terminate_after_init'], { env: { ...process.env, HOME: dir } });
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', format, '--outdir', dir, path.join(dir, `in.${extension}`)], { env: { ...process.env, HOME: dir }, timeout: 300_000 });
    return await fs.readFile(path.join(dir, `in.${format.split(':')[0]}`));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"';

/** A flat ODF presentation: one slide per text, optionally with an embedded picture (PNG bytes) on each. */
export function flatPresentation(slides: string[], picture?: Buffer): string {
  const image = picture ? `<draw:frame svg:x="2cm" svg:y="6cm" svg:width="12cm" svg:height="8cm"><draw:image><office:binary-data>${picture.toString('base64')}</office:binary-data></draw:image></draw:frame>` : '';
  const pages = slides.map((text, i) => `<draw:page draw:name="s${i + 1}" draw:master-page-name="Default"><draw:frame svg:x="2cm" svg:y="2cm" svg:width="24cm" svg:height="3cm"><draw:text-box><text:p>${esc(text)}</text:p></draw:text-box></draw:frame>${image}</draw:page>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><office:document ${ODF_NS} office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:master-styles><style:master-page style:name="Default"/></office:master-styles><office:body><office:presentation>${pages}</office:presentation></office:body></office:document>`;
}

/** A flat ODF text: each string a page (page breaks between), in `font`. */
export function flatText(pages: string[], font = 'Liberation Serif'): string {
  const body = pages.map((text, i) => `<text:p text:style-name="${i === 0 ? 'P1' : 'P2'}">${esc(text)}</text:p>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><office:document ${ODF_NS} office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="F" svg:font-family="'${font}'"/></office:font-face-decls>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:text-properties style:font-name="F" fo:font-size="14pt"/></style:style>
<style:style style:name="P2" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/><style:text-properties style:font-name="F" fo:font-size="14pt"/></style:style></office:automatic-styles>
<office:body><office:text>${body}</office:text></office:body></office:document>`;
}

/** A flat ODF text whose picture is linked to `url`, not embedded: LibreOffice fetches such pictures when it lays the page out. */
export function flatTextWithLinkedPicture(url: string): string {
  return flatText(['Hình liên kết ngoài']).replace('</text:p>', `<draw:frame svg:width="5cm" svg:height="5cm"><draw:image xlink:href="${url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>`);
}

/** A Word document written with the docx library: each string a page, in `font`. */
export async function docxOf(pages: string[], font = 'Cambria'): Promise<Buffer> {
  const children = pages.flatMap((text, i) => [...(i ? [new Paragraph({ children: [new PageBreak()] })] : []), new Paragraph({ children: [new TextRun({ text, font, size: 28 })] })]);
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

const CONTENT_TYPES = (main: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;
const WORD_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** A .docx whose only picture is linked, not embedded: Word's "Insert ▸ Link to file", pointing at `url`. */
export async function docxWithLinkedPicture(url: string): Promise<Buffer> {
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<w:body><w:p><w:r><w:t>Hình liên kết ngoài</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="1905000" cy="1905000"/><wp:docPr id="1" name="Picture 1"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:link="rIdPicture"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1905000" cy="1905000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
<w:p><w:fldSimple w:instr="INCLUDEPICTURE &quot;${url}/field.png&quot; \\d"><w:r><w:t>ảnh</w:t></w:r></w:fldSimple></w:p></w:body></w:document>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdPicture" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${url}/linked.png" TargetMode="External"/></Relationships>`;
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES(WORD_MAIN) }, { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'word/document.xml', data: document }, { name: 'word/_rels/document.xml.rels', data: rels },
  ]);
}

/** A zip that declares itself a Word document but holds no document part. */
export function zipClaimingDocx(): Promise<Buffer> {
  return zipOf([{ name: '[Content_Types].xml', data: CONTENT_TYPES(WORD_MAIN) }, { name: '_rels/.rels', data: ROOT_RELS }, { name: 'word/readme.txt', data: 'không phải tài liệu' }]);
}

/** A "deck" of `slides` slide parts: enough for the page cap, which counts them before any conversion. */
export function deckOfSlides(slides: number): Promise<Buffer> {
  const types = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`;
  return zipOf([
    { name: '[Content_Types].xml', data: types }, { name: 'ppt/presentation.xml', data: '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>' },
    ...Array.from({ length: slides }, (_, i) => ({ name: `ppt/slides/slide${i + 1}.xml`, data: '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>' })),
  ]);
}

/** A PDF written by hand from its objects, with a correct cross-reference table. */
export function pdfOf(objects: string[]): Buffer {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => { offsets.push(Buffer.byteLength(body, 'latin1')); body += `${i + 1} 0 obj\n${object}\nendobj\n`; });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * A PDF bomb: each of 12 nested forms draws the one below it ten times, so a few hundred bytes ask
 * the renderer for 10^12 strokes. Only a time limit stops it.
 */
export function pdfBomb(): Buffer {
  const levels = 12;
  const forms = Array.from({ length: levels }, (_, i) => {
    const content = i === 0 ? '0 0 m 100 100 l S' : Array.from({ length: 10 }, () => `/F${i - 1} Do`).join(' ');
    const resources = i === 0 ? '' : `/Resources << /XObject << /F${i - 1} ${5 + i - 1} 0 R >> >>`;
    return `<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] ${resources} /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  const page = `/F${levels - 1} Do`;
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /XObject << /F${levels - 1} ${5 + levels - 1} 0 R >> >> >>`,
    `<< /Length ${page.length} >>\nstream\n${page}\nendstream`,
    ...forms,
  ]);
}

/** A minimal EPUB 3: two chapters and a cover picture. */
export function epubOf(chapters: string[], cover: Buffer): Promise<Buffer> {
  const opf = `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier><dc:title>Sách</dc:title><dc:language>vi</dc:language></metadata>
<manifest><item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>${chapters.map((_, i) => `<item id="c${i}" href="c${i}.xhtml" media-type="application/xhtml+xml"/>`).join('')}</manifest>
<spine>${chapters.map((_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`;
  return zipOf([
    { name: 'mimetype', data: 'application/epub+zip' },
    { name: 'META-INF/container.xml', data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>' },
    { name: 'OEBPS/content.opf', data: opf }, { name: 'OEBPS/cover.png', data: cover },
    ...chapters.map((text, i) => ({ name: `OEBPS/c${i}.xhtml`, data: `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title><style>p{}</style></head><body><h1>Chương ${i + 1}</h1><p>${esc(text)}</p></body></html>` })),
  ]);
}
