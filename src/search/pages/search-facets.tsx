import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { gradeName, termName } from '../../web/components/classification.js';
import { count } from '../../web/components/format.js';
import type { Facet, SearchResult } from '../search-backend.js';
import { FILTERS, searchHref, type FilterParam, type SearchParams } from './search-params.js';

export const FACET_HEADINGS: Record<Facet, string> = {
  level: 'Cấp học', grade: 'Lớp', subject: 'Môn học', type: 'Loại học liệu', series: 'Bộ sách', province: 'Tỉnh, thành phố', license: 'Giấy phép',
};

/** How a facet's values are named: taxonomy names, and the province orgs' names (looked up by the page). */
export type FacetNamer = (facet: Facet, value: string) => string;

export function facetNamer(taxonomy: TaxonomyService, provinces: Map<string, string>): FacetNamer {
  return (facet, value) => {
    switch (facet) {
      case 'grade': return gradeName(taxonomy, value);
      case 'type': return termName(taxonomy, 'material-type', value);
      case 'province': return provinces.get(value) ?? value;
      default: return termName(taxonomy, facet, value);
    }
  };
}

/** The province codes a page names: its facet's values and its filter. */
export const provinceCodes = (result: SearchResult, params: SearchParams) => [...Object.keys(result.facets.province), ...(params.tinh ? [params.tinh] : [])];

/** A search state with one filter set to a facet's value (back to the first page). */
export function withFilter(params: Partial<SearchParams>, param: FilterParam, value: string): Partial<SearchParams> {
  return { ...params, [param]: param === 'lop' ? Number(value) : value, trang: 1 };
}

/** A facet's values with materials, most first (grades in order). */
export function facetValues(facets: SearchResult['facets'], facet: Facet): Array<[string, number]> {
  return Object.entries(facets[facet]).filter(([, n]) => n > 0).sort((a, b) => (facet === 'grade' ? Number(a[0]) - Number(b[0]) : b[1] - a[1]));
}

export function Facets({ params, facets, name }: { params: SearchParams; facets: SearchResult['facets']; name: FacetNamer }) {
  return (
    <nav class="facets" aria-label="Lọc kết quả">
      {FILTERS.map(({ facet, param }) => {
        const values = facetValues(facets, facet);
        if (values.length === 0) return null;
        const heading = FACET_HEADINGS[facet];
        const selected = params[param] === undefined ? undefined : String(params[param]);
        return (
          <section>
            <h2>{heading}</h2>
            <ul>
              {values.map(([value, n]) => (
                <li class={value === selected ? 'selected' : undefined}>
                  {value === selected
                    ? <>{name(facet, value)} ({count(n)}) <a href={searchHref({ ...params, [param]: undefined, trang: 1 })} aria-label={`Bỏ lọc ${heading}: ${name(facet, value)}`}>bỏ chọn</a></>
                    : <a href={searchHref(withFilter(params, param, value))}>{name(facet, value)} ({count(n)})</a>}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
