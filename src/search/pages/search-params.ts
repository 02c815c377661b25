import type { SearchQuery } from '../search-backend.js';

/** The search page's Vietnamese URL parameters; every state of the page is one of these URLs. */
export interface SearchParams {
  q: string;
  cap?: string;
  lop?: number;
  mon?: string;
  loai?: string;
  trang: number;
}

export const PAGE_SIZE = 20;
export const MAX_PAGE = 1000;

const code = (value: unknown) => (typeof value === 'string' && /^[a-z0-9-]{1,64}$/i.test(value) ? value : undefined);

/** Reads the query string leniently: a value that cannot be a code or a number is ignored, not refused. */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const grade = Number(query.lop);
  const page = Number(query.trang);
  return {
    q: typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '',
    cap: code(query.cap), mon: code(query.mon), loai: code(query.loai),
    lop: Number.isInteger(grade) && grade >= 1 && grade <= 12 ? grade : undefined,
    trang: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

export function toSearchQuery(params: SearchParams): SearchQuery {
  return {
    q: params.q, sort: 'relevance', page: params.trang, pageSize: PAGE_SIZE,
    filters: { level: params.cap, grade: params.lop, subject: params.mon, type: params.loai },
  };
}

/** The URL of a search state; `trang=1` and empty values are left out so that each state has one URL. */
export function searchHref(params: Partial<SearchParams>): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.cap) query.set('cap', params.cap);
  if (params.lop !== undefined) query.set('lop', String(params.lop));
  if (params.mon) query.set('mon', params.mon);
  if (params.loai) query.set('loai', params.loai);
  if (params.trang && params.trang > 1) query.set('trang', String(params.trang));
  const text = query.toString();
  return text ? `/tim-kiem?${text}` : '/tim-kiem';
}
