import { Type } from 'typebox';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const MaterialFieldsSchema = {
  title: Text(500),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
  level: Text(64),
  grades: Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 12 }),
  subject: Text(64),
  series: Type.Optional(Type.Union([Text(64), Type.Null()])),
  topic: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  license: Text(64),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 16, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]+)*$' })),
};
