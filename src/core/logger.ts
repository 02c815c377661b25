import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** An OAuth authorisation response (RFC 6749 §4.1.2) carries a one-time code and the state in its query: logged without it. */
const isOAuthResponse = (url: string) => /[?&]state=/.test(url) && /[?&](code|error)=/.test(url);
const withoutOAuthResponse = (url: string) => (isOAuthResponse(url) ? url.replace(/\?.*$/, '?[redacted]') : url);

/** pino options; secrets never reach the log. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method, url: withoutOAuthResponse(req.url), host: req.hostname, remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', '*.clientSecret'],
      censor: '[redacted]',
    },
  };
}
