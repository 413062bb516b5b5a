import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The infrastructure `infra:up` runs (started when it is not), as environment assignments. */
export async function infra(): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)('bash', ['scripts/infra/up.sh'], { maxBuffer: 1024 * 1024 });
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => l.split('=', 2) as [string, string]),
  );
}
