/**
 * `run` at most once per `ms` of the clock `now`, whoever asks: callers during a run share it, and
 * callers within `ms` of its result (counted from when it arrived) get that result. A run that
 * fails is kept by no one: its callers get its error, the next caller a new run.
 */
export function atMostEvery<T>(ms: number, run: () => Promise<T>, now: () => number): () => Promise<T> {
  let running: Promise<T> | undefined;
  let last: { value: T; at: number } | undefined;
  return () => {
    if (running) return running;
    if (last && now() - last.at < ms) return Promise.resolve(last.value);
    running = run().then(
      (value) => {
        last = { value, at: now() };
        running = undefined;
        return value;
      },
      (e) => {
        running = undefined;
        throw e;
      },
    );
    return running;
  };
}
