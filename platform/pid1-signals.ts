/**
 * As PID 1 (a container's first process, as in the image) node gets no default action for SIGTERM
 * and SIGINT: one that arrives before the app handles it (platform/shutdown.ts, once it serves) is
 * ignored, and the container is killed only when its grace period ends. Until the app sets a
 * handler of its own, this exits at once with the code of a process killed by the signal, as
 * outside a container; from the moment one is set it is gone for good, so a second signal during
 * the app's drain does not cut it short.
 */
export function exitOnSignalsUntilHandled(): void {
  for (const [signal, number] of [
    ['SIGTERM', 15],
    ['SIGINT', 2],
  ] as const) {
    // Made inert rather than removed: removing the signal's last listener inside 'newListener' would
    // make node stop watching the signal before the app's listener is added (the default kill again).
    let handled = false;
    const handedOver = (event: string | symbol) => {
      if (event !== signal) return;
      handled = true;
      process.off('newListener', handedOver);
    };
    process.on(signal, () => {
      if (!handled) process.exit(128 + number);
    });
    process.on('newListener', handedOver);
  }
}
