/**
 * Request bodies and query strings take only the properties their schema names: an unknown field
 * is a 400, never a column written by accident. TypeBox drops `additionalProperties: false` in
 * Type.Partial and friends, so it is not left to each schema: every object schema of a route's
 * body and querystring is made strict when the route is registered, unless it says otherwise
 * (`additionalProperties: true` where a third party adds parameters of its own).
 */

type Schema = Record<string, unknown>;

export function refuseUnknownProperties(schema: unknown, where: string): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Schema;
  if (Array.isArray(node.allOf)) {
    // Each member of an intersection would refuse the others' properties.
    throw new Error(`${where}: an intersection (allOf) cannot be made strict; spread the properties into one Type.Object`);
  }
  if (node.type === 'object' && node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
  const children = [
    ...Object.values((node.properties ?? {}) as Schema), ...Object.values((node.patternProperties ?? {}) as Schema),
    ...((node.anyOf ?? []) as unknown[]), ...((node.oneOf ?? []) as unknown[]), node.items, node.additionalProperties,
  ];
  for (const child of children) refuseUnknownProperties(child, where);
}
