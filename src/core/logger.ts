import { DrizzleQueryError } from 'drizzle-orm';
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';
import type { Config } from './config.js';

/** An OAuth authorisation response (RFC 6749 §4.1.2) carries a one-time code and the state in its query: logged without it. */
const isOAuthResponse = (url: string) => /[?&]state=/.test(url) && /[?&](code|error)=/.test(url);
const withoutOAuthResponse = (url: string) => (isOAuthResponse(url) ? url.replace(/\?.*$/, '?[redacted]') : url);

/** A failed query as the log keeps it: its text and the database's reason, without the bound values. */
class FailedQuery extends Error {
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;

  constructor(error: DrizzleQueryError) {
    const reason = error.cause as { message?: string; code?: string; constraint?: string; table?: string; column?: string } | undefined;
    super(`Failed query: ${error.query.trim()}${reason?.message ? ` (${reason.message})` : ''}`);
    this.name = 'FailedQuery';
    this.stack = [`${this.name}: ${this.message}`, ...(error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))].join('\n');
    this.code = reason?.code;
    this.constraint = reason?.constraint;
    this.table = reason?.table;
    this.column = reason?.column;
  }
}

/**
 * The error (or its chain of causes) with every failed query's bound parameters removed: drizzle
 * puts them in the message, and they hold passwords' hashes, tokens and personal data.
 */
export function withoutQueryParameters(error: unknown): unknown {
  if (error instanceof DrizzleQueryError) return new FailedQuery(error);
  if (!(error instanceof Error) || error.cause === undefined) return error;
  const cause = withoutQueryParameters(error.cause);
  if (cause === error.cause) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  copy.cause = cause;
  return copy;
}

/** pino options; secrets never reach the log. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    serializers: {
      err: (error: unknown) => stdSerializers.err(withoutQueryParameters(error) as Error),
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method, url: withoutOAuthResponse(req.url), host: req.hostname, remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.currentPassword', '*.newPassword', '*.passwordHash', '*.token', '*.secret', '*.clientSecret'],
      censor: '[redacted]',
    },
  };
}
