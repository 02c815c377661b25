import type { FastifySchema } from 'fastify';

/** The one file a multipart route takes, as the OpenAPI document shows it (Swagger UI offers a file picker). */
const MULTIPART_FILE_BODY = {
  type: 'object', required: ['file'], additionalProperties: false,
  properties: { file: { type: 'string', format: 'binary', description: 'Tệp tải lên' } },
};

/**
 * A route's schema as documented: multipart routes stream their body themselves, so they declare
 * no body schema to validate; the document still says what they take.
 */
export function documentedSchema(schema: FastifySchema | undefined): FastifySchema | undefined {
  const consumes = (schema as { consumes?: string[] } | undefined)?.consumes;
  if (!schema || schema.body || !consumes?.includes('multipart/form-data')) return schema;
  return { ...schema, body: MULTIPART_FILE_BODY };
}
