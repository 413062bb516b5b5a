import type { DeadLetterPolicy, SendDeadLetter } from '../../platform/events/attempts.ts';
import { createLog } from '../../platform/log.ts';

/** A silent logger for tests. */
export const testLog = createLog('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** A dead-letter policy for tests that keeps what it is sent in `sent`; attempts 1 ms apart. */
export function recordingDeadLetters(maxAttempts = 3): DeadLetterPolicy & { sent: Parameters<SendDeadLetter>[0][] } {
  const sent: Parameters<SendDeadLetter>[0][] = [];
  return { sent, maxAttempts, log: testLog, firstDelayMs: 1, send: async (d) => void sent.push(d) };
}
