import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null for an anonymous request. */
    principal: Principal | null;
    /** The raw bearer token, kept only to revoke it on logout. */
    bearerToken: string | null;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** One endpoint: a small module that registers its route, schema beside it, over the services. */
export type Route = (app: App, ctx: AppContext) => void;

export const BEARER = [{ bearer: [] }];

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id taken from a path or a header can be a row id (pages and tus check before asking the database). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
