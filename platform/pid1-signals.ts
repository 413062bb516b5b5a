/**
 * As PID 1 (a container's first process, as in the image) node gets no default action for SIGTERM
 * and SIGINT: one that arrives before the app handles it (platform/shutdown.ts, once it serves) is
 * ignored, and the container is killed only when its grace period ends. Until another handler is
 * set, this exits at once with the code of a process killed by the signal, as outside a container.
 */
export function exitOnSignalsUntilHandled(): void {
  for (const [signal, number] of [
    ['SIGTERM', 15],
    ['SIGINT', 2],
  ] as const)
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(128 + number);
    });
}
