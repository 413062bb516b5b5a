import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useEmbeddedGateway } from './support/running-shop.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

/** One documented command: its shell text, and the status and answer after `# →`. */
interface Example {
  status: number | undefined;
  shown: string;
}

/** The shell blocks of the README's "Try it" section, minus the one that starts the shop. */
async function tryItScript(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## How it works'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => !b.includes('npm start'))
    .join('\n');
}

/** The `# →` comment after each curl command, continuation lines joined. */
function examples(script: string): Example[] {
  const out: Example[] = [];
  const lines = script.split('\n');
  lines.forEach((line, i) => {
    if (!/^(\w+=\$\()?curl /.test(line)) return;
    let j = i;
    while (!lines[j]!.startsWith('# →')) j++;
    let shown = lines[j]!.slice(3).trim();
    for (j++; lines[j]?.startsWith('#  '); j++) shown += lines[j]!.slice(1).trim();
    const status = /^(\d{3})\b/.exec(shown)?.[1];
    out.push({ status: status ? Number(status) : undefined, shown: shown.slice(4) });
  });
  return out;
}

/** The JSON pieces shown between `…` marks, which the real answer must contain. */
const fragments = (shown: string) =>
  shown.startsWith('{')
    ? shown
        .replace(/\s+\(.*\)$/, '')
        .split('…')
        .map((f) => f.trim())
        .filter((f) => f.length > 2)
    : [];

describe('README', () => {
  // No JWT_SECRET: the shop and `npm run token` share the development secret, as after `npm start`.
  const gw = useEmbeddedGateway({ ADMIN_TOKEN: 'dev-admin-token-0123456789', CORS_ORIGINS: '', JWT_SECRET: '' });

  it('every curl example of "Try it" answers as shown, in order', async () => {
    const script = await tryItScript();
    const expected = examples(script);
    expect(expected.length).toBeGreaterThan(20);
    const out = await mkdtemp(join(tmpdir(), 'daprps-readme-'));
    try {
      // Counted in a file: commands inside $(…) run in a subshell.
      const prelude = `set -euo pipefail\ncurl() { local n=$(( $(cat ${out}/n 2>/dev/null || echo 0) + 1 )); echo $n > ${out}/n; command curl -w '%{stderr}STATUS %{http_code}\\n' "$@" | tee "${out}/$n.body"; }\n`;
      const body = script.replaceAll('localhost:8080', gw.url.replace('http://', ''));
      const { stderr } = await run('bash', ['-c', prelude + body], {
        cwd: root,
        env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH}` },
      });
      const statuses = [...stderr.matchAll(/^STATUS (\d{3})$/gm)].map((m) => Number(m[1]));
      expect(statuses).toEqual(expected.map((e) => e.status));
      for (const [i, e] of expected.entries()) {
        const answer = await readFile(join(out, `${i + 1}.body`), 'utf8');
        for (const f of fragments(e.shown)) expect(answer, `example ${i + 1}: ${e.shown}`).toContain(f);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
