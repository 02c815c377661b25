import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** pino options; secrets never reach the log. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    serializers: {
      // OAuth callbacks carry a one-time code and a signed state in the query: not for the log.
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method, url: req.url.replace(/([?&](?:code|state)=)[^&]*/g, '$1[redacted]'), host: req.hostname, remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', '*.clientSecret'],
      censor: '[redacted]',
    },
  };
}
