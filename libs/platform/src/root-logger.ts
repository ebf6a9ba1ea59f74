import pino, { type Logger } from 'pino';
import type { BffConfig } from '@app/config';

/** Injection token of the app's pino root logger (JSON lines on stdout). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export function createRootLogger(config: BffConfig): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { app: config.app },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Defence in depth: request logs carry no headers, but nothing that logs a request may leak these.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'authorization', 'token'],
      censor: '[redacted]',
    },
  };
  return config.logStream ? pino(options, config.logStream) : pino(options);
}
