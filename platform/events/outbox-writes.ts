/**
 * An in-process signal that events were written to an outbox and committed: the relays of this
 * process publish them at once instead of at their next poll (the poll remains, for what other
 * processes write and for retries).
 */
const listeners = new Set<() => void>();

/** Calls `fn` after each committed outbox write in this process; returns the unsubscribe. */
export function onOutboxWrite(fn: () => void): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

/** Tells this process's relays that events are waiting. */
export function outboxWritten(): void {
  for (const fn of listeners) fn();
}
