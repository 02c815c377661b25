import type { PackageKind } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import { parseUntrustedXml } from '../questions/formats/safe-xml.js';
import { invalid } from './package-archive.js';

/** What a package is and how to play it, found from its file names and manifests. */
export interface PackageLayout {
  kind: PackageKind;
  /** The folder the package's files are under in the zip ("" or "lesson/"): a single top folder is re-rooted. */
  root: string;
  /** The file the player opens, relative to the root (for H5P, h5p.json). */
  launchPath: string;
  title: string | null;
}

const MARKERS = ['imsmanifest.xml', 'h5p.json', 'index.html'];

/** "" when a marker file is at the top, else the one folder every file is in (authoring tools often zip the folder itself). */
export function packageRoot(files: string[]): string {
  if (MARKERS.some((marker) => files.includes(marker))) return '';
  const tops = new Set(files.map((name) => (name.includes('/') ? name.slice(0, name.indexOf('/') + 1) : '')));
  const [only] = tops;
  return tops.size === 1 && only ? only : '';
}

/**
 * The layout of a package: SCORM (imsmanifest.xml, its version from `schemaversion`, the launch file
 * from the default organisation's first item, which must exist), H5P (h5p.json, content/content.json
 * and every library it depends on, transitively) or plain HTML5 (index.html).
 */
export async function describePackage(files: string[], read: (name: string) => Promise<Buffer>): Promise<PackageLayout> {
  const root = packageRoot(files);
  const inRoot = new Set(files.filter((name) => name.startsWith(root)).map((name) => name.slice(root.length)));
  const readRooted = (name: string) => read(root + name);
  if (inRoot.has('imsmanifest.xml')) return { root, ...scormLayout(parseManifest((await readRooted('imsmanifest.xml')).toString('utf8')), inRoot) };
  if (inRoot.has('h5p.json')) return { root, ...(await h5pLayout(inRoot, readRooted)) };
  if (inRoot.has('index.html')) return { root, kind: 'html5', launchPath: 'index.html', title: null };
  throw invalid('không có imsmanifest.xml (SCORM), h5p.json (H5P) hay index.html (HTML5) ở thư mục gốc của gói');
}

type XmlNode = Record<string, unknown>;
const list = (value: unknown): XmlNode[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) as XmlNode[];
const text = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' && '#text' in value ? String((value as XmlNode)['#text']) : '').trim();

function parseManifest(xml: string): XmlNode {
  try {
    const parsed = parseUntrustedXml(xml.replace(/^\uFEFF/, ''), { removeNSPrefix: true }) as XmlNode;
    const manifest = parsed.manifest as XmlNode | undefined;
    if (!manifest) throw invalid('imsmanifest.xml không có phần tử <manifest>');
    return manifest;
  } catch (error) {
    if (error instanceof AppError && error.code !== 'PACKAGE_INVALID') throw invalid(`imsmanifest.xml: ${error.params.reason ?? error.code}`);
    throw error;
  }
}

function scormVersion(manifest: XmlNode): PackageKind {
  const declared = text((list(manifest.metadata)[0] ?? {}).schemaversion);
  if (/^1\.2$/.test(declared)) return 'scorm12';
  if (/2004|CAM 1\.3/i.test(declared)) return 'scorm2004';
  throw invalid(declared ? `phiên bản SCORM "${declared}" không được hỗ trợ (chỉ 1.2 và 2004)` : 'imsmanifest.xml không ghi phiên bản (<schemaversion>)');
}

/** The launch file: the first item (depth first) of the default organisation that points at a resource with an href. */
function scormLayout(manifest: XmlNode, files: Set<string>): Omit<PackageLayout, 'root'> {
  const kind = scormVersion(manifest);
  const organizations = list(manifest.organizations)[0] ?? {};
  const all = list(organizations.organization);
  const wanted = String(organizations['@_default'] ?? '');
  const organization = all.find((o) => o['@_identifier'] === wanted) ?? all[0];
  if (!organization) throw invalid('imsmanifest.xml không có tổ chức bài học (<organization>)');
  const resources = new Map(list(list(manifest.resources)[0]?.resource).map((r) => [String(r['@_identifier'] ?? ''), r]));
  const manifestBase = String(manifest['@_base'] ?? '');
  const resourcesBase = String(list(manifest.resources)[0]?.['@_base'] ?? '');
  const queue = list(organization.item);
  while (queue.length) {
    const item = queue.shift()!;
    const resource = resources.get(String(item['@_identifierref'] ?? ''));
    const href = resource?.['@_href'];
    if (typeof href === 'string' && href) {
      const launchPath = `${manifestBase}${resourcesBase}${String(resource['@_base'] ?? '')}${href}${typeof item['@_parameters'] === 'string' ? item['@_parameters'] : ''}`;
      const file = decodeURIComponent(launchPath.split(/[?#]/)[0]!);
      if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('/') || file.split('/').includes('..')) throw invalid(`tệp khởi chạy "${launchPath}" nằm ngoài gói`);
      if (!files.has(file)) throw invalid(`tệp khởi chạy "${file}" ghi trong imsmanifest.xml không có trong gói`);
      return { kind, launchPath, title: text(organization.title) || null };
    }
    queue.unshift(...list(item.item));
  }
  throw invalid('tổ chức bài học mặc định không có mục nào trỏ tới tệp để khởi chạy');
}

interface H5pDependency { machineName?: unknown; majorVersion?: unknown; minorVersion?: unknown }

async function json(name: string, read: (name: string) => Promise<Buffer>): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse((await read(name)).toString('utf8').replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  throw invalid(`${name} không phải JSON hợp lệ`);
}

/** H5P: h5p.json, content/content.json, and the folder of every library the content needs, with their own dependencies. */
async function h5pLayout(files: Set<string>, read: (name: string) => Promise<Buffer>): Promise<Omit<PackageLayout, 'root'>> {
  const h5p = await json('h5p.json', read);
  if (typeof h5p.mainLibrary !== 'string') throw invalid('h5p.json không ghi thư viện chính (mainLibrary)');
  if (!files.has('content/content.json')) throw invalid('thiếu content/content.json');
  await json('content/content.json', read);
  const seen = new Set<string>();
  const pending = [...(h5p.preloadedDependencies as H5pDependency[] | undefined ?? [])];
  if (!pending.some((d) => d.machineName === h5p.mainLibrary)) throw invalid(`thư viện chính ${h5p.mainLibrary} không có trong preloadedDependencies`);
  while (pending.length) {
    const dependency = pending.shift()!;
    const folder = `${String(dependency.machineName)}-${Number(dependency.majorVersion)}.${Number(dependency.minorVersion)}`;
    if (seen.has(folder)) continue;
    seen.add(folder);
    if (!files.has(`${folder}/library.json`)) throw invalid(`thiếu thư viện H5P ${folder} (${folder}/library.json)`);
    const library = await json(`${folder}/library.json`, read);
    pending.push(...(library.preloadedDependencies as H5pDependency[] | undefined ?? []));
  }
  return { kind: 'h5p', launchPath: 'h5p.json', title: typeof h5p.title === 'string' ? h5p.title : null };
}
