import { stripDiacritics } from '../../core/text.js';

/** A readable slug of a title: `Tam giác đồng dạng` → `tam-giac-dong-dang` (at most 80 characters). */
export function slugOf(title: string): string {
  const slug = stripDiacritics(title.normalize('NFC')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 80).replace(/-+$/, '') || 'hoc-lieu';
}

/** The public page of a material, the one address every list, sitemap and outside link uses. */
export function materialPath(id: string, title: string): string {
  return `/hoc-lieu/${id}/${slugOf(title)}`;
}
