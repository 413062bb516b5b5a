import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs a load generator (`worker`: `new URL('./file', import.meta.url)`, which knip follows) in its
 * own node process, so that it does not share the event loop of what it measures: its options as
 * JSON in its first argument, its result as JSON on its standard output.
 */
export async function runWorker<T>(worker: URL, options: object): Promise<T> {
  const { stdout } = await run(process.execPath, [worker.pathname, JSON.stringify(options)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
