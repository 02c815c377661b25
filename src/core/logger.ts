import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** pino options; secrets never reach the log. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', '*.clientSecret'],
      censor: '[redacted]',
    },
  };
}
