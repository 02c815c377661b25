import type { DocumentState } from '../core/db/schema.js';
import type { DocumentProcessing } from './document.repository.js';

/** What GET /api/v1/files/:id/document answers, and what the document viewer shows. */
export interface DocumentView {
  state: DocumentState;
  kind: 'pdf' | 'office' | 'epub';
  pageCount: number | null;
  /** The PDF to open or print (null for an EPUB, and until ready). */
  pdf: string | null;
  /** The poster (page 1, or an EPUB's cover), when there is one. */
  poster: string | null;
  /** `image` is the widest; `images` every width, for srcset. */
  pages: Array<{ number: number; image: string | null; width: number | null; height: number | null; images: Array<{ url: string; width: number; height: number }> }>;
  /** Per-page text, when asked for (`?text=true`). */
  text?: Array<{ number: number; text: string }>;
  /** A reason for `failed`. */
  error?: string;
  /** Old TCVN3/VNI-font text: the document should be converted to Unicode. */
  legacyEncoding?: 'tcvn3' | 'vni';
  /** For `unavailable`: the Debian packages this server lacks. */
  missingPackages?: string[];
}

const withQuery = (url: string, query: string) => (query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url);

/** The view of a file's document preview, every URL carrying `sign` (a signed query for unpublished files). */
export function presentDocument(
  fileId: string,
  processing: DocumentProcessing,
  pages: Array<{ page: number; text: string; images: Array<{ width: number; height: number }> }>,
  options: { sign: string; withText: boolean; hasPoster: boolean },
): DocumentView {
  const base = `/api/v1/files/${fileId}`;
  const ready = processing.state === 'ready';
  const { details } = processing;
  return {
    state: processing.state,
    kind: processing.kind,
    pageCount: ready ? processing.pageCount : null,
    pdf: ready && processing.pdfKey ? withQuery(`${base}/document/pdf`, options.sign) : null,
    poster: ready && options.hasPoster ? withQuery(`${base}/poster?size=640`, options.sign) : null,
    pages: ready ? pages.map((page) => {
      const images = page.images.map((image) => ({ url: withQuery(`${base}/document/pages/${page.page}?width=${image.width}`, options.sign), width: image.width, height: image.height }));
      return { number: page.page, image: images[0]?.url ?? null, width: images[0]?.width ?? null, height: images[0]?.height ?? null, images };
    }) : [],
    ...(options.withText && ready ? { text: pages.map((page) => ({ number: page.page, text: page.text })) } : {}),
    ...(processing.state === 'failed' && processing.error ? { error: processing.error } : {}),
    ...(details.legacyEncoding ? { legacyEncoding: details.legacyEncoding } : {}),
    ...(processing.state === 'unavailable' ? { missingPackages: details.missingPackages ?? [] } : {}),
  };
}
