import { pino, type DestinationStream, type Logger } from 'pino';

/** A structured JSON logger; every line carries service name and, per request, a request id. */
export type Log = Logger;

/**
 * Creates the process logger (stdout unless `destination`); card data and secrets are redacted
 * wherever they appear.
 */
export function createLog(service: string, level: string, destination?: DestinationStream): Log {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: {
      paths: ['card.number', 'card.cvv', '*.card.number', '*.card.cvv', 'headers.authorization', 'authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
