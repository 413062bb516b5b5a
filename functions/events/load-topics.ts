/**
 * topics.ts (protobuf and the event descriptors), loaded when an event is first built or read
 * rather than when a process starts: most functions never touch an event, and those that do
 * start sooner without it (bench/optimizations.md).
 */
export const loadTopics = () => import('./topics.ts');
