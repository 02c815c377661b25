import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { Button, SelectField, TextField } from '../../web/components/form.js';
import { SUGGESTION_FILTERS, type SearchParams } from './search-params.js';

/** The island that suggests while typing (src/web/islands/search-suggest.ts), for the pages that show this form. */
export const SUGGEST_SCRIPT = 'search-suggest.js';

/**
 * The GET form of the search page (and the home page): works without JavaScript, keeps every choice
 * (the filters it has no field for ride along hidden; the facets remove them). The suggest island
 * reads where to ask and which parameter each kind of suggested term sets from its data attributes.
 */
export function SearchForm({ params, taxonomy, filters = true }: { params: Partial<SearchParams>; taxonomy: TaxonomyService; filters?: boolean }) {
  const terms = taxonomy.document();
  const hidden = filters ? ([['bo-sach', params.boSach], ['tinh', params.tinh], ['giay-phep', params.giayPhep], ['sap-xep', params.sapXep]] as const) : [];
  return (
    <form method="get" action="/tim-kiem" role="search" class="search-form" data-search-suggest="/api/v1/search/suggest" data-suggest-filters={JSON.stringify(SUGGESTION_FILTERS)}>
      <TextField name="q" type="search" label="Từ khoá" value={params.q ?? ''} hint="Gõ có dấu hoặc không dấu, ví dụ: tam giac dong dang, KHTN 7" />
      {filters ? (
        <>
          <SelectField name="cap" label="Cấp học" value={params.cap} emptyLabel="Tất cả" options={terms.levels.map((l) => ({ value: l.code, label: l.name }))} />
          <SelectField name="lop" label="Lớp" value={params.lop === undefined ? undefined : String(params.lop)} emptyLabel="Tất cả" options={terms.grades.map((g) => ({ value: String(g.grade), label: g.name }))} />
          <SelectField name="mon" label="Môn học" value={params.mon} emptyLabel="Tất cả" options={terms.subjects.map((s) => ({ value: s.code, label: s.name }))} />
          <SelectField name="loai" label="Loại học liệu" value={params.loai} emptyLabel="Tất cả" options={terms.materialTypes.map((m) => ({ value: m.code, label: m.name }))} />
          {hidden.map(([name, value]) => (value ? <input type="hidden" name={name} value={value} /> : null))}
        </>
      ) : null}
      <Button>Tìm</Button>
    </form>
  );
}
