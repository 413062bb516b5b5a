import { pino, type Logger } from 'pino';

/** A structured JSON logger; every line carries service name and, per request, a request id. */
export type Log = Logger;

/** Creates the process logger; card data and secrets are redacted wherever they appear. */
export function createLog(service: string, level: string): Log {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['card.number', 'card.cvv', '*.card.number', '*.card.cvv', 'headers.authorization', 'authorization'],
      censor: '[redacted]',
    },
  });
}
