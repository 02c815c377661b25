import { stripDiacritics } from '../core/text.js';

/** A readable slug of a title: `Tam giác đồng dạng` → `tam-giac-dong-dang` (at most 80 characters). */
export function slugOf(title: string): string {
  const slug = stripDiacritics(title.normalize('NFC')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 80).replace(/-+$/, '') || 'hoc-lieu';
}

/**
 * The public page of a material, its canonical form `/hoc-lieu/:id/:slug`: the one address every
 * page, list and sitemap uses. A slug from an older title still works (the page redirects with 301).
 */
export function materialPath(id: string, title: string): string {
  return `/hoc-lieu/${id}/${slugOf(title)}`;
}

/**
 * The same page as an absolute URL: the link that TV guides, calendars, YouTube descriptions and
 * the sitemap carry back to the repository, so every outside copy points to the public page.
 */
export function materialUrl(publicUrl: string, id: string, title: string): string {
  return `${publicUrl}${materialPath(id, title)}`;
}

/**
 * The material a person names in a form or a spreadsheet cell: its id, or a link to its page (or
 * any text holding its id) pasted from the browser. Null when there is no id in it.
 */
export function materialIdIn(reference: string | undefined): string | null {
  return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(reference ?? '')?.[0]?.toLowerCase() ?? null;
}
