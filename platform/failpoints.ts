/**
 * Named steps at which a test can kill its own process, as Kubernetes does (SIGKILL, no
 * shutdown): what a crash there leaves behind is then exactly what the recovery must finish.
 * Armed only by FAILPOINTS (config.ts refuses it with NODE_ENV=production); unarmed, a failpoint
 * is a no-op.
 */
export const FAILPOINTS = [
  /** process-payment: the pending payment is written, the provider not yet asked. */
  'process-payment.after-begin',
  /** process-payment: the provider has answered the charge, the payment not yet settled. */
  'process-payment.after-charge',
  /** A refund (an admin's or the saga's) is reserved, the provider not yet asked. */
  'refund.after-reserve',
  /** The provider has answered a refund, the refund not yet settled. */
  'refund.after-provider',
  /** add-to-basket: Redis has applied the add, the answer not yet sent. */
  'add-to-basket.after-add',
  /** remove-from-basket: Redis has applied the removal, the answer not yet sent. */
  'remove-from-basket.after-remove',
] as const;

/** One of the {@link FAILPOINTS}. */
export type Failpoint = (typeof FAILPOINTS)[number];

/** Called at a failpoint: kills the process when that failpoint is armed. */
export type Crash = (at: Failpoint) => void;

/**
 * The failpoints of a process: an armed one says so on stderr (a test reads which step it died
 * at) and kills the process with SIGKILL.
 */
export function failpoints(
  armed: readonly Failpoint[],
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): Crash {
  const set = new Set<string>(armed);
  if (!set.size) return () => {};
  return (at) => {
    if (!set.has(at)) return;
    process.stderr.write(`failpoint ${at}: SIGKILL\n`);
    kill();
  };
}
