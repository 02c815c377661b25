import type { Principal } from '../../auth/principal.js';
import { ROLES, type Role } from '../../core/db/schema.js';
import { ChoiceGroup, SelectField, TextField } from '../../web/components/form.js';

export const ROLE_NAMES: Record<Role, string> = {
  contributor: 'Giáo viên (đóng góp học liệu)',
  reviewer: 'Người thẩm định',
  publisher: 'Người xuất bản (YouTube, phát sóng)',
  'org-admin': 'Quản trị đơn vị',
  admin: 'Quản trị hệ thống',
};

export function userPath(id: string): string {
  return `/quan-tri/nguoi-dung/${id}`;
}

/** The roles a caller may grant: an org-admin never grants admin. */
export function grantableRoles(principal: Principal): Role[] {
  return ROLES.filter((role) => role !== 'admin' || principal.roles.includes('admin'));
}

export interface UserFieldValues { displayName?: string; orgCode?: string; roles?: string[]; email?: string }
export type UserFieldErrors = Partial<Record<'username' | 'displayName' | 'orgCode' | 'roles' | 'personalId' | 'email', string>>;

/** The fields an administrator sets on an account, for the new-account and the edit forms. */
export function UserFields(props: { principal: Principal; orgs: Array<{ code: string; name: string }>; values: UserFieldValues; errors: UserFieldErrors }) {
  return (
    <>
      <TextField name="displayName" label="Họ tên" value={props.values.displayName} autocomplete="off" required error={props.errors.displayName} />
      <SelectField name="orgCode" label="Đơn vị" value={props.values.orgCode} emptyLabel="— Chọn đơn vị —" required error={props.errors.orgCode}
        options={props.orgs.map((org) => ({ value: org.code, label: `${org.name} (${org.code})` }))} />
      <ChoiceGroup name="roles" legend="Vai trò" type="checkbox" values={props.values.roles ?? []} error={props.errors.roles}
        options={grantableRoles(props.principal).map((role) => ({ value: role, label: ROLE_NAMES[role] }))} />
      <TextField name="email" label="E-mail (không bắt buộc)" type="email" value={props.values.email} autocomplete="off" error={props.errors.email}
        hint="Chỉ dùng để gửi những thông báo người dùng chọn nhận qua e-mail." />
    </>
  );
}

/** A form's checkbox field: absent, one value, or several. */
export function listOf(value: string | string[] | undefined): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

/** The refusal of a service, as the form's field it concerns. */
export function fieldOfError(code: string): keyof UserFieldErrors | null {
  switch (code) {
    case 'USERNAME_TAKEN': return 'username';
    case 'PERSONAL_ID_TAKEN': return 'personalId';
    case 'UNKNOWN_ORG': case 'ORG_CLOSED': return 'orgCode';
    case 'OWN_ACCOUNT': case 'LAST_ADMIN': return 'roles';
    default: return null;
  }
}
