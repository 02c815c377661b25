import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { Button, SelectField, TextField } from '../../web/components/form.js';
import type { SearchParams } from './search-params.js';

/** The GET form of the search page (and the home page): works without JavaScript, keeps every choice. */
export function SearchForm({ params, taxonomy, filters = true }: { params: Partial<SearchParams>; taxonomy: TaxonomyService; filters?: boolean }) {
  const terms = taxonomy.document();
  return (
    <form method="get" action="/tim-kiem" role="search" class="search-form">
      <TextField name="q" type="search" label="Từ khoá" value={params.q ?? ''} hint="Gõ có dấu hoặc không dấu, ví dụ: tam giac dong dang" />
      {filters ? (
        <>
          <SelectField name="cap" label="Cấp học" value={params.cap} emptyLabel="Tất cả" options={terms.levels.map((l) => ({ value: l.code, label: l.name }))} />
          <SelectField name="lop" label="Lớp" value={params.lop === undefined ? undefined : String(params.lop)} emptyLabel="Tất cả" options={terms.grades.map((g) => ({ value: String(g.grade), label: g.name }))} />
          <SelectField name="mon" label="Môn học" value={params.mon} emptyLabel="Tất cả" options={terms.subjects.map((s) => ({ value: s.code, label: s.name }))} />
          <SelectField name="loai" label="Loại học liệu" value={params.loai} emptyLabel="Tất cả" options={terms.materialTypes.map((m) => ({ value: m.code, label: m.name }))} />
        </>
      ) : null}
      <Button>Tìm</Button>
    </form>
  );
}
