/**
 * GIFT is one text file with no place for files, so images travel inside the HTML as `data:` URIs
 * (RFC 2397). The asset's name rides along as a `name=` parameter, which browsers ignore, so a
 * bank exported from Hoclieu comes back with the same asset names and bytes.
 */
import { ASSET_PREFIX, type QuestionAsset, type QuestionOption } from '../../model.js';

// Only inside an src attribute: a data: URI elsewhere in the text is just text.
const DATA_URI_SRC = /(\bsrc\s*=\s*["'])data:([\w.+-]+\/[\w.+-]+)((?:;[\w.+-]+=[^;,"']*)*);base64,([A-Za-z0-9+/=\s]+)(?=["'])/gi;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg', 'image/webp': 'webp', 'image/bmp': 'bmp',
};

/** Collects a question's `data:` images as assets, replacing each with its `@@ASSET@@/` reference. */
export function collectDataImages() {
  const assets: QuestionAsset[] = [];
  const take = (html: string): string => html.replace(DATA_URI_SRC, (_, src: string, mime: string, params: string, data: string) => {
    const bytes = Buffer.from(data.replace(/\s/g, ''), 'base64');
    const named = nameParameter(params);
    // The same unnamed picture used twice (stem and feedback) is one asset.
    const known = named ? undefined : assets.find((a) => a.bytes.equals(bytes));
    const name = known?.name ?? addAsset(assets, { name: named ?? `hinh-${assets.length + 1}.${EXTENSIONS[mime.toLowerCase()] ?? 'bin'}`, mime: mime.toLowerCase(), bytes });
    return `${src}${ASSET_PREFIX}${name}`;
  });
  return { take, assets };
}

function nameParameter(params: string): string | undefined {
  const raw = /;name=([^;]*)/i.exec(params)?.[1];
  if (!raw) return undefined;
  try {
    // A name is a file name, never a path: "../x.png" must not reach storage as one.
    return decodeURIComponent(raw).replace(/^.*[\\/]/, '').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The asset's name within the question: the same bytes reuse it, other bytes get "-2", "-3"… */
function addAsset(assets: QuestionAsset[], asset: QuestionAsset): string {
  const same = assets.find((a) => a.name === asset.name && a.bytes.equals(asset.bytes));
  if (same) return same.name;
  const dot = asset.name.lastIndexOf('.');
  const [base, extension] = dot > 0 ? [asset.name.slice(0, dot), asset.name.slice(dot)] : [asset.name, ''];
  let name = asset.name;
  for (let n = 2; assets.some((a) => a.name === name); n++) name = `${base}-${n}${extension}`;
  assets.push({ ...asset, name });
  return name;
}

/** The HTML with each `@@ASSET@@/<name>` reference replaced by the asset's bytes as a data: URI. */
export function inlineAssets(html: string, assets: QuestionAsset[]): string {
  // Longest names first, so "hinh-1.png" never eats the start of "hinh-1.png.png".
  const longestFirst = [...assets].sort((x, y) => y.name.length - x.name.length);
  return longestFirst.reduce((text, asset) => {
    const uri = `data:${asset.mime ?? mimeFromName(asset.name)};name=${encodeURIComponent(asset.name)};base64,${asset.bytes.toString('base64')}`;
    return text.split(`${ASSET_PREFIX}${asset.name}`).join(uri).split(`${ASSET_PREFIX}${encodeURI(asset.name)}`).join(uri);
  }, html);
}

/** Whether an HTML field refers to the asset. */
export const refersTo = (html: string, asset: QuestionAsset): boolean =>
  html.includes(`${ASSET_PREFIX}${asset.name}`) || html.includes(`${ASSET_PREFIX}${encodeURI(asset.name)}`);

function mimeFromName(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const found = Object.entries(EXTENSIONS).find(([, ext]) => ext === extension || (ext === 'jpg' && extension === 'jpeg'));
  return found?.[0] ?? 'application/octet-stream';
}

const PLUGINFILE_REFERENCE = /@@PLUGINFILE@@\/([^"'<>\s)]+)/g;

/**
 * The files a question refers to as `@@PLUGINFILE@@/<name>`. Moodle's GIFT export writes a
 * question's HTML as stored, references included, and no files (qformat_gift has no place for
 * them), so such an image has no bytes anywhere in the file.
 */
export function pluginfileReferences(question: { stem: string; generalFeedback?: string; options: QuestionOption[]; parts?: Array<{ options: QuestionOption[] }> }): string[] {
  const options = [...question.options, ...(question.parts ?? []).flatMap((p) => p.options)];
  const html = [question.stem, question.generalFeedback ?? '', ...options.flatMap((o) => [o.text, o.feedback ?? ''])].join('\n');
  const names = [...html.matchAll(PLUGINFILE_REFERENCE)].map((m) => safeDecode(m[1]!));
  return [...new Set(names)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
