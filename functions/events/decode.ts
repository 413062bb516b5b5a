import type { CloudEvent } from '../../platform/define.ts';

/**
 * Reads a CloudEvent's data as its topic's message (see topics.ts), loading protobuf and the
 * event descriptors on the first event rather than when a process starts.
 */
export const decodeEvent = async (topic: string, event: CloudEvent): Promise<unknown> =>
  (await import('./topics.ts')).decodeEvent(topic, event);
