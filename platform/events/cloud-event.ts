import * as v from 'valibot';
import type { CloudEvent } from '../define.ts';

/**
 * The CloudEvents 1.0 envelope every event of the shop travels in (structured mode, JSON), as
 * far as the platform reads it: transports may add attributes (Dapr's topic and traceid, a
 * signature, ...), which are kept. What `data` must say is each topic's business.
 */
const envelope = v.looseObject({
  specversion: v.literal('1.0', 'specversion must be "1.0"'),
  id: v.pipe(
    v.string('id must be a string'),
    v.minLength(1, 'id must not be empty'),
    v.maxLength(256, 'id is too long'),
  ),
  source: v.string('source must be a string'),
  type: v.string('type must be a string'),
  data: v.record(v.string(), v.unknown(), 'data must be a JSON object'),
});

/** A message read as a CloudEvent, or why it is none. */
export type ReadEvent = { event: CloudEvent } | { reason: string };

/**
 * The one CloudEvent parser of the event path: a message's text as a CloudEvent, or the reason
 * it is none. Every way in (the Kafka and in-process buses, the binding route, dead letters read
 * back) goes through here, so a message is refused for the same reason whichever way it came.
 */
export function readCloudEvent(text: string): ReadEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'message is not a CloudEvent: not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { reason: 'message is not a CloudEvent: not a JSON object' };
  const read = v.safeParse(envelope, value);
  if (read.success) return { event: read.output as unknown as CloudEvent };
  const [issue] = read.issues;
  // An attribute that is not there at all is the envelope's issue, not the attribute's.
  const missing = issue.type === 'loose_object' && issue.input === undefined ? issue.path?.[0]?.key : undefined;
  return {
    reason: `message is not a CloudEvent: ${missing === undefined ? issue.message : `${String(missing)} is missing`}`,
  };
}
