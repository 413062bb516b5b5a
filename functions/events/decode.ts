import type { CloudEvent } from '../../platform/define.ts';
import { loadTopics } from './load-topics.ts';

/**
 * Reads a CloudEvent's data as its topic's message (see topics.ts), loading protobuf and the
 * event descriptors on the first event rather than when a process starts.
 */
export const decodeEvent = async (topic: string, event: CloudEvent): Promise<unknown> =>
  (await loadTopics()).decodeEvent(topic, event);
