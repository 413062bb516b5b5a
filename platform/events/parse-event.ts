import type { CloudEvent } from '../define.ts';

/** A message value as a CloudEvent (JSON, specversion 1.0, a string id), or undefined when it is not one. */
export function parseCloudEvent(value: string): CloudEvent | undefined {
  try {
    const event = JSON.parse(value) as CloudEvent;
    return typeof event?.id === 'string' && event.specversion === '1.0' ? event : undefined;
  } catch {
    return undefined;
  }
}
