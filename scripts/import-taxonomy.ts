/**
 * Rebuilds src/taxonomy/seed.json from the shared national taxonomy
 * (../shared/taxonomy/vn-education-taxonomy.json; sources in its SOURCES.md).
 * Run by hand when the shared file changes: `npx tsx scripts/import-taxonomy.ts [path]`.
 * The project keeps its own copy so that it builds and starts without shared/.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Shared {
  version: string;
  levels: Array<{ code: string; name: string; grades: number[] }>;
  grades: Array<{ grade: number; name: string; levels: string[] }>;
  subjects: Array<{ code: string; name: string; grades: number[]; level?: string; aliases?: string[] }>;
  textbookSeries: Array<{ code: string; name: string; grades: number[]; publisher?: string; aliases?: string[] }>;
  materialTypes: Array<{ code: string; name: string }>;
  licenses: Array<{ code: string }>;
  ministryDepartments: Array<{ code: string; name: string; reviews: { levels?: string[]; subjects?: string[] }; validUntil?: string; uncertain?: boolean }>;
  provinces: Array<{ slug: string; name: string; fullName: string; code: string }>;
}

const LICENSE_NAMES: Record<string, string> = {
  'CC-BY-4.0': 'Creative Commons Ghi công 4.0',
  'CC-BY-SA-4.0': 'Creative Commons Ghi công – Chia sẻ tương tự 4.0',
  'CC-BY-NC-4.0': 'Creative Commons Ghi công – Phi thương mại 4.0',
  'CC-BY-NC-SA-4.0': 'Creative Commons Ghi công – Phi thương mại – Chia sẻ tương tự 4.0',
  'CC-BY-ND-4.0': 'Creative Commons Ghi công – Không phái sinh 4.0',
  'CC-BY-NC-ND-4.0': 'Creative Commons Ghi công – Phi thương mại – Không phái sinh 4.0',
  'CC0-1.0': 'Creative Commons Không bảo lưu quyền (CC0 1.0)',
  'all-rights-reserved': 'Bảo lưu mọi quyền',
};

const source = process.argv[2] ?? path.resolve('../shared/taxonomy/vn-education-taxonomy.json');
const shared = JSON.parse(fs.readFileSync(source, 'utf8')) as Shared;

const seed = {
  source: `shared/taxonomy/vn-education-taxonomy.json, version ${shared.version}`,
  levels: shared.levels.map(({ code, name, grades }) => ({ code, name, grades })),
  grades: shared.grades.map(({ grade, name, levels }) => ({ code: String(grade), name, levels })),
  subjects: shared.subjects.map(({ code, name, grades, level, aliases }) => ({ code, name, grades, ...(level ? { level } : {}), aliases: aliases ?? [] })),
  series: shared.textbookSeries.map(({ code, name, grades, publisher, aliases }) => ({ code, name, grades, publisher, aliases: aliases ?? [] })),
  materialTypes: shared.materialTypes.map(({ code, name }) => ({ code, name })),
  licenses: shared.licenses.map(({ code }) => ({ code, name: LICENSE_NAMES[code] ?? code })),
  // Bootstrap data for a fresh installation (orgs are data: they change later through the API).
  departments: shared.ministryDepartments
    .filter((d) => !d.validUntil && !d.uncertain && (d.reviews.levels?.length || d.reviews.subjects?.length))
    .map(({ code, name, reviews }) => ({ code, name, reviewScope: reviews })),
  provinces: shared.provinces.map(({ slug, fullName, code }) => ({ code: `sgd-${slug}`, name: `Sở Giáo dục và Đào tạo ${fullName.replace(/^(Tỉnh|Thành phố) /, '')}`, adminCode: code })),
};

const target = path.resolve('src/taxonomy/seed.json');
fs.writeFileSync(target, JSON.stringify(seed, null, 1) + '\n');
console.log(`wrote ${target}`);
