import { Type } from 'typebox';

export const OrgKind = Type.Union(['ministry', 'department', 'province', 'district', 'school'].map((k) => Type.Literal(k)));
export const ReviewScope = Type.Object({
  levels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 })),
  subjects: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 50 })),
}, { additionalProperties: false });
export const OrgCode = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Mã đơn vị (chữ thường, số, gạch ngang)' });
export const OrgParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
