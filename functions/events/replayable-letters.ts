import type { DeadLetter } from '../../platform/events/attempts.ts';
import { readCloudEvent } from '../../platform/events/cloud-event.ts';
import { outsideReplayWindow } from '../../platform/events/replay-window.ts';

/** Dead letters by what a replay of each would do, judged at `now` (ms since the epoch). */
export interface Replayable {
  /** Their messages are CloudEvents a handler would still take (within the replay window). */
  replayable: DeadLetter[];
  /** Their payload is no CloudEvent: nothing to replay. */
  unreadable: DeadLetter[];
  /**
   * Their event's signed time is outside the replay window: republished unchanged it would be
   * refused again, and nothing but the shop's key could date it anew.
   */
  outside: { letter: DeadLetter; reason: string }[];
}

/** Sorts dead letters by whether a replay of each could be applied at `now` (see {@link Replayable}). */
export function replayable(letters: DeadLetter[], now: number): Replayable {
  const sorted: Replayable = { replayable: [], unreadable: [], outside: [] };
  for (const d of letters) {
    const read = readCloudEvent(d.payload);
    if ('reason' in read) {
      sorted.unreadable.push(d);
      continue;
    }
    const outside = outsideReplayWindow(read.event.time, now);
    if (outside) sorted.outside.push({ letter: d, reason: `event ${read.event.id} ${outside}` });
    else sorted.replayable.push(d);
  }
  return sorted;
}
