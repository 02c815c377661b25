import type { Facet, SearchQuery, SearchSort } from '../search-backend.js';

/** The search page's Vietnamese URL parameters; every state of the page is one of these URLs. */
export interface SearchParams {
  q: string;
  cap?: string;
  lop?: number;
  mon?: string;
  loai?: string;
  /** `bo-sach`: the textbook series. */
  boSach?: string;
  /** `tinh`: the province (the code of its org). */
  tinh?: string;
  /** `giay-phep`: the licence. */
  giayPhep?: string;
  /** `sap-xep`: absent for relevance. */
  sapXep?: PageSort;
  trang: number;
}

export type FilterParam = 'cap' | 'lop' | 'mon' | 'loai' | 'boSach' | 'tinh' | 'giayPhep';

/** Each filter's facet and its name in the URL, in the URL's order. */
export const FILTERS: Array<{ param: FilterParam; facet: Facet; url: string }> = [
  { param: 'cap', facet: 'level', url: 'cap' },
  { param: 'lop', facet: 'grade', url: 'lop' },
  { param: 'mon', facet: 'subject', url: 'mon' },
  { param: 'loai', facet: 'type', url: 'loai' },
  { param: 'boSach', facet: 'series', url: 'bo-sach' },
  { param: 'tinh', facet: 'province', url: 'tinh' },
  { param: 'giayPhep', facet: 'license', url: 'giay-phep' },
];

/** The URL parameter a suggested taxonomy term sets (the suggest island reads this from the form). */
export const SUGGESTION_FILTERS: Record<'level' | 'subject' | 'type' | 'series', string> = { level: 'cap', subject: 'mon', type: 'loai', series: 'bo-sach' };

export const PAGE_SORTS = { 'moi-nhat': 'newest', 'tai-nhieu': 'downloads' } as const satisfies Record<string, SearchSort>;
export type PageSort = keyof typeof PAGE_SORTS;

export const PAGE_SIZE = 20;
export const MAX_PAGE = 1000;

const code = (value: unknown) => (typeof value === 'string' && /^[a-z0-9-]{1,64}$/i.test(value) ? value : undefined);

/** Reads the query string leniently: a value that cannot be a code or a number is ignored, not refused. */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const grade = Number(query.lop);
  const page = Number(query.trang);
  const sort = query['sap-xep'];
  return {
    q: typeof query.q === 'string' ? query.q.trim().slice(0, 200) : '',
    cap: code(query.cap), mon: code(query.mon), loai: code(query.loai),
    boSach: code(query['bo-sach']), tinh: code(query.tinh), giayPhep: code(query['giay-phep']),
    lop: Number.isInteger(grade) && grade >= 1 && grade <= 12 ? grade : undefined,
    sapXep: typeof sort === 'string' && Object.hasOwn(PAGE_SORTS, sort) ? (sort as PageSort) : undefined,
    trang: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

export function toSearchQuery(params: SearchParams): SearchQuery {
  return {
    q: params.q, sort: params.sapXep ? PAGE_SORTS[params.sapXep] : 'relevance', page: params.trang, pageSize: PAGE_SIZE,
    filters: {
      level: params.cap, grade: params.lop, subject: params.mon, type: params.loai,
      series: params.boSach, province: params.tinh, license: params.giayPhep,
    },
  };
}

/** Whether any filter narrows the search (the text and the sort aside). */
export const hasFilters = (params: Partial<SearchParams>) => FILTERS.some(({ param }) => params[param] !== undefined);

/** The URL of a search state; `trang=1` and empty values are left out so that each state has one URL. */
export function searchHref(params: Partial<SearchParams>): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  for (const { param, url } of FILTERS) {
    const value = params[param];
    if (value !== undefined && value !== '') query.set(url, String(value));
  }
  if (params.sapXep) query.set('sap-xep', params.sapXep);
  if (params.trang && params.trang > 1) query.set('trang', String(params.trang));
  const text = query.toString();
  return text ? `/tim-kiem?${text}` : '/tim-kiem';
}
