import { execFileSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

/** Runs git in the repository: its output trimmed; throws when git exits non-zero (a `--quiet` diff that differs, too). */
export const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
