import { Type } from 'typebox';
import { NEW_VERSION_POLICIES, PRIVACY_STATUSES } from '../model.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const Privacy = literals(PRIVACY_STATUSES);

/** Channel settings as the API takes them; every field optional on update. */
export const ChannelSettingsPatch = Type.Object({
  titleTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  descriptionTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  privacy: Type.Optional(Type.Union([Privacy, Type.Literal('scheduled')])),
  scheduleTime: Type.Optional(Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
  playlist: Type.Optional(Type.Object({
    enabled: Type.Optional(Type.Boolean()), perSeries: Type.Optional(Type.Boolean()), nameTemplate: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  }, { additionalProperties: false })),
  madeForKidsLevels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
  onNewVersion: Type.Optional(literals(NEW_VERSION_POLICIES)),
}, { additionalProperties: false });
