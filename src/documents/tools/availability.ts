import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { sandboxWorks } from './sandbox.js';

/** What this machine can do with documents, found once per process. */
export interface DocumentTools {
  /** LibreOffice's soffice, for Office formats. */
  soffice: string | null;
  /** poppler-utils: pdfinfo, pdftoppm, pdftotext. */
  poppler: boolean;
  /** prlimit (util-linux): the memory limit of every tool. */
  prlimit: boolean;
  /** bubblewrap is installed… */
  bwrapInstalled: boolean;
  /** …and runs here (unprivileged namespaces allowed). */
  sandbox: boolean;
}

const exists = (command: string) => spawnSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' }).status === 0;

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `sofficePath` (SOFFICE_PATH) replaces the soffice on PATH; a path that is not an executable counts as missing. */
export function findDocumentTools(sofficePath: string | undefined): DocumentTools {
  const soffice = sofficePath ? (executable(sofficePath) ? sofficePath : null) : exists('soffice') ? 'soffice' : null;
  return {
    soffice,
    poppler: ['pdfinfo', 'pdftoppm', 'pdftotext'].every(exists),
    prlimit: exists('prlimit'),
    bwrapInstalled: exists('bwrap'),
    sandbox: exists('bwrap') && sandboxWorks(),
  };
}

/** The Debian packages a kind of document needs that this machine lacks. */
export function missingPackages(tools: DocumentTools, kind: 'pdf' | 'office' | 'epub', sandboxRequired: boolean): string[] {
  if (kind === 'epub') return [];
  const missing: string[] = [];
  if (!tools.poppler) missing.push('poppler-utils');
  if (!tools.prlimit) missing.push('util-linux');
  if (kind === 'office') {
    if (!tools.soffice) missing.push('libreoffice-writer-nogui', 'libreoffice-impress-nogui', 'libreoffice-calc-nogui');
    if (sandboxRequired && !tools.sandbox) missing.push('bubblewrap');
  }
  return missing;
}

/** The start-up report: one line when something is missing, null when every document can be previewed. */
export function toolReport(tools: DocumentTools, sandboxRequired: boolean): string | null {
  const blocking = missingPackages(tools, 'office', sandboxRequired);
  const missing = [...new Set([...blocking, ...(tools.bwrapInstalled ? [] : ['bubblewrap'])])];
  const unsandboxed = tools.sandbox ? '' : tools.bwrapInstalled
    ? 'bubblewrap is installed but cannot create its namespaces here (unprivileged user namespaces off, or forbidden by the container), so '
    : '';
  if (missing.length === 0 && !unsandboxed) return null;
  const effect = blocking.length
    ? 'documents that need them are shown as "preview not available on this server"'
    : `${unsandboxed}LibreOffice runs without the sandbox (DOCUMENT_SANDBOX=required refuses to)`;
  return `Document previews: ${missing.length ? `missing ${missing.join(', ')} — ` : ''}${effect}.${missing.length ? ` Install: apt-get install -y ${missing.join(' ')}` : ''}`;
}
