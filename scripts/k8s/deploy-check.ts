import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deployProblems } from './deploy-rules.ts';
import { knativeCheck } from './knative-check.ts';
import { toolsDir } from './tools-dir.ts';
import { toolsInstalled, validate } from './validate.ts';

/** A kustomization rendered by the pinned kustomize, as YAML. */
export const renderDir = (dir: string): string =>
  execFileSync(join(toolsDir(), 'kustomize'), ['build', resolve(dir)], { encoding: 'utf8' });

/**
 * Everything wrong with a rendering before it is applied: objects the pinned schemas refuse,
 * Services Knative's own validation refuses, and settings left as shipped (deploy-rules.ts).
 */
export async function deployCheck(yaml: string): Promise<string[]> {
  const objects = parseAllDocuments(yaml)
    .map((d) => d.toJS())
    .filter(Boolean);
  const invalid = (await validate({ yaml }))
    .filter((c) => c.status !== 'statusValid')
    .map((c) => `${c.kind} ${c.name}: ${c.msg}`);
  const refused = knativeCheck(objects)
    .filter((v) => v.errors)
    .map((v) => `Service ${v.name}, by Knative's validation: ${v.errors}`);
  return [...invalid, ...refused, ...deployProblems(objects)];
}

// `npm run -s deploy:check -- <kustomization dir>`, or `kubectl kustomize <dir> | npm run -s deploy:check -- -`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  const installed = toolsInstalled();
  if (!installed.ok) {
    console.error(installed.message);
    process.exit(2);
  }
  if (!target) {
    console.error('usage: npm run -s deploy:check -- <kustomization dir> (or - for rendered YAML on stdin)');
    process.exit(2);
  }
  const problems = await deployCheck(target === '-' ? readFileSync(0, 'utf8') : renderDir(target));
  for (const p of problems) console.error(`refused: ${p}`);
  console.log(
    problems.length ? `${target}: ${problems.length} problem(s); not fit to apply` : `${target}: fit to apply`,
  );
  process.exit(problems.length ? 1 : 0);
}
