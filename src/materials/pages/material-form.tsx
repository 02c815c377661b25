import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { AppError } from '../../core/errors.js';
import { acceptedFor } from '../../files/allow-list.js';
import { ChoiceGroup, SelectField, TextArea, TextField } from '../../web/components/form.js';
import type { MaterialFields } from '../material.service.js';

/**
 * The metadata form of a material (new and workspace pages): the same fields as the API, each
 * labelled, the choices constrained by one another in the browser (dependent-selects island) and
 * by the taxonomy on the server. Fields arrive as typed; a refused form shows them again.
 */
export interface MaterialFormValues {
  type: string;
  title: string;
  description: string;
  level: string;
  grades: string[];
  subject: string;
  series: string;
  license: string;
  language: string;
}

export type MaterialFormErrors = Partial<Record<keyof MaterialFormValues, string>>;

/** The page forms' body: every field a string (grades repeated), lengths checked in the handler so a refusal re-renders. */
export const MaterialFormBody = {
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  title: Type.Optional(Type.String({ maxLength: 2000 })),
  description: Type.Optional(Type.String({ maxLength: 40_000 })),
  level: Type.Optional(Type.String({ maxLength: 100 })),
  grades: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Array(Type.String({ maxLength: 10 }), { maxItems: 20 })])),
  subject: Type.Optional(Type.String({ maxLength: 100 })),
  series: Type.Optional(Type.String({ maxLength: 100 })),
  license: Type.Optional(Type.String({ maxLength: 100 })),
  language: Type.Optional(Type.String({ maxLength: 20 })),
  /** Set by the sign-in page when it gives back a form typed before the session ended: show it, do nothing. */
  'khoi-phuc': Type.Optional(Type.String({ maxLength: 1 })),
};

type RawForm = { [K in keyof typeof MaterialFormBody]?: string | string[] };

export const DEFAULT_VALUES: MaterialFormValues = {
  type: 'lecture', title: '', description: '', level: 'thcs', grades: [], subject: 'toan', series: '', license: 'CC-BY-4.0', language: 'vi',
};

export function valuesOf(body: RawForm, fallback: MaterialFormValues = DEFAULT_VALUES): MaterialFormValues {
  const text = (value: string | string[] | undefined, otherwise: string) => (typeof value === 'string' ? value : otherwise);
  const grades = body.grades === undefined ? [] : Array.isArray(body.grades) ? body.grades : [body.grades];
  return {
    type: text(body.type, fallback.type).trim(), title: text(body.title, '').trim(), description: text(body.description, '').trim(),
    level: text(body.level, fallback.level), grades, subject: text(body.subject, fallback.subject), series: text(body.series, ''),
    license: text(body.license, fallback.license), language: text(body.language, fallback.language).trim() || 'vi',
  };
}

/** The form's values from a stored material (workspace page). */
export function valuesFromMaterial(m: { type: string; title: string; description: string | null; level: string; grades: number[]; subject: string; series: string | null; license: string; language: string }): MaterialFormValues {
  return { type: m.type, title: m.title, description: m.description ?? '', level: m.level, grades: m.grades.map(String), subject: m.subject, series: m.series ?? '', license: m.license, language: m.language };
}

/** The fields for the service, or the Vietnamese message of each field that cannot be sent. */
export function fieldsOf(values: MaterialFormValues): { fields: MaterialFields } | { errors: MaterialFormErrors } {
  const errors: MaterialFormErrors = {};
  if (values.title === '') errors.title = 'Hãy nhập tên học liệu.';
  else if (values.title.length > 500) errors.title = 'Tên học liệu dài tối đa 500 ký tự.';
  if (values.description.length > 20_000) errors.description = 'Mô tả dài tối đa 20 000 ký tự.';
  const grades = values.grades.map(Number);
  if (grades.some((g) => !Number.isInteger(g) || g < 1 || g > 12)) errors.grades = 'Lớp không hợp lệ.';
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(values.language)) errors.language = 'Ngôn ngữ không hợp lệ.';
  if (Object.keys(errors).length) return { errors };
  return {
    fields: {
      type: values.type, title: values.title, description: values.description || null, level: values.level, grades, subject: values.subject,
      series: values.series || null, license: values.license, language: values.language,
    },
  };
}

/** A refusal of the taxonomy (an unknown code, a grade outside the level or subject), as the message of its field. */
export function fieldErrorOf(error: unknown): MaterialFormErrors | null {
  if (!(error instanceof AppError)) return null;
  const message = error.describe('vi');
  if (error.code === 'UNKNOWN_TAXONOMY_CODE') {
    const field = String(error.params.field ?? '');
    return field in DEFAULT_VALUES ? { [field]: message } : { title: message };
  }
  if (error.code === 'GRADE_OUTSIDE_LEVEL' || error.code === 'GRADE_OUTSIDE_SUBJECT') return { grades: message };
  if (error.code === 'VALIDATION_FAILED') return { title: message };
  return null;
}

/** What each Creative Commons licence lets others do, in plain Vietnamese. */
const LICENCE_EXPLANATIONS: Record<string, string> = {
  'CC-BY-4.0': 'Người khác được sao chép, chia sẻ, chỉnh sửa và dùng cả vào mục đích thương mại, miễn là ghi tên tác giả và nguồn.',
  'CC-BY-SA-4.0': 'Như trên, và bản chỉnh sửa phải được chia sẻ theo cùng giấy phép này.',
  'CC-BY-NC-4.0': 'Được sao chép, chia sẻ, chỉnh sửa khi ghi tên tác giả, nhưng không được dùng vào mục đích thương mại.',
  'CC-BY-NC-SA-4.0': 'Phi thương mại, ghi tên tác giả, và bản chỉnh sửa phải theo cùng giấy phép này.',
  'CC-BY-ND-4.0': 'Được chia sẻ nguyên vẹn (kể cả thương mại) khi ghi tên tác giả; không được chỉnh sửa.',
  'CC-BY-NC-ND-4.0': 'Chỉ được chia sẻ nguyên vẹn, phi thương mại, có ghi tên tác giả. Giấy phép chặt nhất của Creative Commons.',
  'CC0-1.0': 'Từ bỏ mọi quyền: ai cũng được dùng tự do cho mọi mục đích, không bắt buộc ghi tên.',
  'all-rights-reserved': 'Không phải giấy phép mở: người khác phải xin phép tác giả trước khi sử dụng lại.',
};

export const LANGUAGES: Array<{ value: string; label: string }> = [
  { value: 'vi', label: 'Tiếng Việt' }, { value: 'en', label: 'Tiếng Anh' }, { value: 'fr', label: 'Tiếng Pháp' }, { value: 'zh', label: 'Tiếng Trung' },
  { value: 'ja', label: 'Tiếng Nhật' }, { value: 'ko', label: 'Tiếng Hàn' }, { value: 'ru', label: 'Tiếng Nga' }, { value: 'de', label: 'Tiếng Đức' },
  { value: 'km', label: 'Tiếng Khmer' }, { value: 'hmn', label: 'Tiếng H’Mông' }, { value: 'tyz', label: 'Tiếng Tày' },
];

/** The taxonomy document's lists with the data the form reads (src/taxonomy/seed.json). */
interface TaxonomyChoices {
  levels: Array<{ code: string; name: string; grades: number[] }>;
  grades: Array<{ grade: number; name: string; levels?: string[] }>;
  subjects: Array<{ code: string; name: string; grades: number[]; level?: string }>;
  series: Array<{ code: string; name: string; grades: number[] }>;
  materialTypes: Array<{ code: string; name: string }>;
  licenses: Array<{ code: string; name: string }>;
}

const spaced = (numbers: number[] | undefined) => (numbers ?? []).join(' ');

/**
 * The fields. With `editableType`, the type comes first (it decides which files are accepted and
 * cannot change once the draft exists); each type's accepted extensions and MIME types ride on its
 * option for the upload island (src/files/allow-list.ts).
 */
export function MaterialFields({ ctx, values, errors, editableType, afterType }: { ctx: AppContext; values: MaterialFormValues; errors: MaterialFormErrors; editableType: boolean; afterType?: ComponentChildren }) {
  const t = ctx.taxonomy.document() as unknown as TaxonomyChoices;
  const levelGrades = t.levels.find((l) => l.code === values.level)?.grades;
  return (
    <div data-dependent-selects>
      {editableType ? (
        <SelectField name="type" label="Loại học liệu" value={values.type} required error={errors.type}
          hint="Loại học liệu quyết định những tệp được nhận; không đổi được sau khi đã tạo bản nháp."
          options={t.materialTypes.map((m) => {
            const accepted = acceptedFor(m.code);
            return { value: m.code, label: m.name, data: { extensions: accepted.extensions.join(' '), mimes: accepted.mimes.join(' ') } };
          })} />
      ) : null}
      {afterType}
      <TextField name="title" label="Tên học liệu" value={values.title} required error={errors.title} />
      <TextArea name="description" label="Mô tả" value={values.description} error={errors.description} maxLength={20_000}
        hint="Nội dung, mục tiêu, cách sử dụng. Viết bằng chữ thường; mã HTML sẽ hiện nguyên văn." />
      <SelectField name="level" label="Cấp học" value={values.level} required error={errors.level}
        options={t.levels.map((l) => ({ value: l.code, label: l.name, data: { grades: spaced(l.grades) } }))} />
      <ChoiceGroup name="grades" legend="Lớp" type="checkbox" values={values.grades} error={errors.grades}
        hint={levelGrades && levelGrades.length === 0 ? 'Cấp học này không chia lớp.' : 'Chọn một hoặc nhiều lớp của cấp học.'}
        options={t.grades.map((g) => ({ value: String(g.grade), label: g.name, data: { levels: (g.levels ?? []).join(' ') } }))} />
      <SelectField name="subject" label="Môn học" value={values.subject} required error={errors.subject}
        options={t.subjects.map((s) => ({ value: s.code, label: s.name, data: { grades: spaced(s.grades), ...(s.level ? { level: s.level } : {}) } }))} />
      <SelectField name="series" label="Bộ sách" value={values.series} emptyLabel="Không theo bộ sách nào" error={errors.series}
        options={t.series.map((s) => ({ value: s.code, label: s.name, data: { grades: spaced(s.grades) } }))} />
      <ChoiceGroup name="license" legend="Giấy phép" type="radio" values={[values.license]} error={errors.license}
        hint="Giấy phép cho người khác biết họ được làm gì với học liệu của bạn. Creative Commons là bộ giấy phép mở phổ biến nhất."
        options={t.licenses.map((l) => ({ value: l.code, label: l.name, hint: LICENCE_EXPLANATIONS[l.code] }))} />
      <SelectField name="language" label="Ngôn ngữ" value={values.language} error={errors.language} options={LANGUAGES} />
    </div>
  );
}
