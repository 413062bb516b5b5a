import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openPostgres } from '../../platform/sql/postgres.ts';
import { freePorts } from '../../test/support/infra.ts';
import { compareLoad } from './compare-load.ts';
import { plans, progress } from './figure.ts';
import { infra } from './infra.ts';
import { thisMachine } from './report.ts';
import { bundle, startNode, type Started } from './start-process.ts';

/**
 * A/B of the forwarding gateway at two commits: each commit's production bundle, built in a
 * worktree of its own (cached outside the repo), forwards the same list-products (this tree's) and
 * is loaded in alternation with the other. `npm run bench:ab -- <base> [<subject>] [--quick]`
 * (subject: HEAD); each sitting is appended to bench/ab/gateway-<base>-<subject>.md, named by
 * both commits. Throughput of the subject ÷ the base's, same sitting: what a change to the gateway
 * costs or gains.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
const plan = plans[quick ? 'quick' : 'full'];
if (!args[0]) throw new Error('usage: npm run bench:ab -- <base commit> [<subject commit>] [--quick]');

const git = async (...a: string[]) => (await run('git', a, { cwd: root })).stdout.trim();

/** A commit's production bundle: its worktree (made once, outside the repo), built. */
async function builtAt(rev: string): Promise<{ sha: string; title: string; main: string }> {
  const sha = await git('rev-parse', '--verify', `${rev}^{commit}`);
  const title = await git('log', '-1', '--format=%s', sha);
  const dir = join(process.env.DAPRPS_CACHE ?? join(homedir(), '.cache/daprps'), 'ab', sha);
  if (!existsSync(dir)) {
    await mkdir(join(dir, '..'), { recursive: true });
    await git('worktree', 'add', '--detach', dir, sha);
  }
  // This tree's packages: a newer tree's are a superset of what an older commit bundles.
  if (!existsSync(join(dir, 'node_modules'))) await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  progress(`building ${sha.slice(0, 12)} (${title.slice(0, 60)})`);
  await run('npm', ['run', '-s', 'build'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  return { sha, title, main: join(dir, 'dist/main.mjs') };
}

async function main() {
  const base = await builtAt(args[0]!);
  const subject = await builtAt(args[1] ?? 'HEAD');
  const urls = await infra();
  await run('npm', ['run', '-s', 'build'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const id = `bench_ab_${Date.now()}`;
  const env = {
    DATABASE_URL: urls.DATABASE_URL!,
    DATABASE_SCHEMA: id,
    LOG_LEVEL: 'error',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const [listPort, basePort, subjectPort] = (await freePorts(3)) as [number, number, number];
  const started: Started[] = [];
  try {
    const list = await startNode(bundle('list-products'), env, listPort, '/health/ready');
    started.push(list);
    const gateway = async (main: string, port: number) => {
      const g = await startNode(
        [main],
        { ...env, FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:1/{name}', FUNCTION_URL_LIST_PRODUCTS: list.url },
        port,
        '/health/live',
      );
      started.push(g);
      return g;
    };
    const a = await gateway(base.main, basePort);
    const b = await gateway(subject.main, subjectPort);
    const path = '/api/v1/products?limit=20';
    const r = await compareLoad('gateway A/B', plan, { url: `${b.url}${path}` }, { url: `${a.url}${path}` });
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const line = (c: typeof base) => `\`${c.sha.slice(0, 12)}\` ${c.title.slice(0, 100)}`;
    const out = join(root, 'bench/ab', `gateway-${base.sha.slice(0, 7)}-${subject.sha.slice(0, 7)}.md`);
    await mkdir(join(root, 'bench/ab'), { recursive: true });
    const head = `# Gateway A/B: ${subject.sha.slice(0, 7)} ÷ ${base.sha.slice(0, 7)}

\`npm run bench:ab -- ${base.sha.slice(0, 12)} ${subject.sha.slice(0, 12)}\` (scripts/bench/ab-gateway.ts): each side
built from its commit, \`GET ${path}\` through the forwarding gateway to one list-products on
PostgreSQL (the limiter in memory, request log at error), the two sides loaded in alternation.
Each sitting is appended below; compare within a sitting, not across.

- A (base): ${line(base)}
- B (subject): ${line(subject)}
`;
    const sitting = `
## ${when} UTC

${thisMachine()}; ${plan.runs} run(s) of ${plan.seconds} s each side, ${plan.connections} connections${quick ? ' (--quick)' : ''}.

| side | req/s (median) | p99 ms |
|---|---:|---:|
| A | ${r.baselineRps} | ${r.baselineP99} |
| B | ${r.rps} | ${r.p99} |

**B ÷ A: ${r.ratio}** (${r.spread}; ${r.failed} failed requests).
`;
    if (!existsSync(out)) await writeFile(out, head);
    await appendFile(out, sitting);
    progress(`B ÷ A = ${r.ratio} (${r.rps} vs ${r.baselineRps} req/s, ${r.failed} failed): ${out}`);
  } finally {
    for (const p of started.reverse()) await p.stop().catch(() => undefined);
    const sql = await openPostgres({ url: env.DATABASE_URL });
    await sql.exec(`drop schema if exists ${id} cascade`);
    await sql.close();
  }
}

await main();
