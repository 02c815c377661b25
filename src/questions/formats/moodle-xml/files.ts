import { ASSET_PREFIX, type QuestionAsset } from '../../model.js';

// Moodle keeps a question's images in file areas (question text, general feedback, each answer,
// each feedback), writes them as <file name path encoding="base64"> inside the field, and refers
// to them from the field's HTML as @@PLUGINFILE@@/<path><name>. We keep one list of assets per
// question, referred to as @@ASSET@@/<name>.

export const PLUGINFILE_PREFIX = '@@PLUGINFILE@@/';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp',
  bmp: 'image/bmp', mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', mp4: 'video/mp4', webm: 'video/webm', pdf: 'application/pdf',
};

export function mimeFromName(name: string): string | undefined {
  return MIME_BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''];
}

/** One <file> of a field: its path inside the field ("/" or "/sub/") and name, and its bytes. */
export interface FieldFile {
  path: string;
  name: string;
  bytes: Buffer;
}

/**
 * Adds a field's file to the question's assets and returns the asset name: the file name, made
 * unique when another field brought a different file of the same name ("hinh-2.png").
 */
export function addAsset(assets: QuestionAsset[], file: FieldFile): string {
  const sameFile = assets.find((a) => a.bytes.equals(file.bytes) && (a.name === file.name || a.name.startsWith(`${stem(file.name)}-`)));
  if (sameFile) return sameFile.name;
  let name = file.name;
  for (let n = 2; assets.some((a) => a.name === name); n++) name = `${stem(file.name)}-${n}${extension(file.name)}`;
  const mime = mimeFromName(name);
  assets.push(mime ? { name, mime, bytes: file.bytes } : { name, bytes: file.bytes });
  return name;
}

const extension = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.')) : '');
const stem = (name: string) => name.slice(0, name.length - extension(name).length);

const PLUGINFILE_REFERENCE = /@@PLUGINFILE@@(\/[^"'<>]*?)(?=["'<>\s)]|$)/g;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Rewrites @@PLUGINFILE@@ references of a field to @@ASSET@@, given the field's full paths → asset names. */
export function rewritePluginfileReferences(html: string, assetNameByPath: Map<string, string>): string {
  return html.replace(PLUGINFILE_REFERENCE, (whole, fullPath: string) => {
    const name = assetNameByPath.get(fullPath) ?? assetNameByPath.get(safeDecode(fullPath));
    return name === undefined ? whole : `${ASSET_PREFIX}${name}`;
  });
}

/** The assets an HTML field refers to, and the @@ASSET@@ names it refers to that do not exist. */
export function referencedAssets(html: string, assets: QuestionAsset[]): { used: QuestionAsset[]; missing: string[] } {
  const used = assets.filter((a) => html.includes(`${ASSET_PREFIX}${a.name}`) || html.includes(`${ASSET_PREFIX}${encodeURI(a.name)}`));
  const missing = [...html.matchAll(/@@ASSET@@\/([^"'<>]+?)(?=["'<>)]|$)/g)]
    .map((m) => m[1]!)
    .filter((name) => !assets.some((a) => a.name === name || a.name === safeDecode(name)));
  return { used, missing };
}

/** @@ASSET@@ references → @@PLUGINFILE@@ ones, names URL-encoded as Moodle's editor stores them. */
export function toPluginfileReferences(html: string, assets: QuestionAsset[]): string {
  const longestFirst = [...assets].sort((x, y) => y.name.length - x.name.length);
  const named = longestFirst.reduce((text, a) => text.replaceAll(`${ASSET_PREFIX}${a.name}`, `${PLUGINFILE_PREFIX}${encodeURIComponent(a.name)}`), html);
  return named.replaceAll(ASSET_PREFIX, PLUGINFILE_PREFIX);
}

/** Moodle's write_files: one line per file, path "/". */
export function writeFiles(assets: QuestionAsset[]): string {
  return assets.map((a) => `<file name="${escapeAttribute(a.name)}" path="/" encoding="base64">${a.bytes.toString('base64')}</file>\n`).join('');
}

const escapeAttribute = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
