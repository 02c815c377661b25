import type { OrgKind } from '../org.repository.js';

export const ORG_KIND_NAMES: Record<OrgKind, string> = {
  ministry: 'Bộ',
  department: 'Vụ/Cục (thẩm định cấp Bộ)',
  province: 'Sở GDĐT',
  district: 'Phòng GDĐT',
  school: 'Trường',
};

export function orgPath(code: string): string {
  return `/quan-tri/don-vi/${encodeURIComponent(code)}`;
}
