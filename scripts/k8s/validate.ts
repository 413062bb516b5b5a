import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { knativeCheck } from './knative-check.ts';
import { buildSchemas } from './schemas.ts';
import { toolsDir } from './tools-dir.ts';

export { toolsDir };

const root = new URL('../..', import.meta.url).pathname;

/** Whether the manifest tools are built; says how to build them when not. */
export function toolsInstalled(): { ok: true } | { ok: false; message: string } {
  const missing = ['kustomize', 'kubeconform', 'knative-check'].filter((t) => !existsSync(join(toolsDir(), t)));
  return missing.length
    ? {
        ok: false,
        message: `${missing.join(', ')} not built in ${toolsDir()}: build them with "npm run tools:install"`,
      }
    : { ok: true };
}

/** The overlays under knative/overlays. */
export const overlays = () => readdirSync(join(root, 'knative/overlays')).sort();

/** An overlay rendered by kustomize, as YAML. */
export const render = (overlay: string): string =>
  execFileSync(join(toolsDir(), 'kustomize'), ['build', join(root, 'knative/overlays', overlay)], { encoding: 'utf8' });

/** An overlay's objects, as kustomize renders them. */
export const renderedObjects = (overlay: string): any[] => parseAllDocuments(render(overlay)).map((d) => d.toJS());

/** One object kubeconform looked at. */
export interface Checked {
  kind: string;
  name: string;
  status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';
  msg: string;
}

/** Validates YAML text or files strictly (unknown fields, wrong types) against the pinned schemas. */
export async function validate(input: { yaml: string } | { paths: string[] }): Promise<Checked[]> {
  const location = await buildSchemas();
  const dir = 'yaml' in input ? await mkdtemp(join(tmpdir(), 'daprps-manifests-')) : undefined;
  try {
    const paths = 'yaml' in input ? [join(dir!, 'objects.yaml')] : input.paths;
    if ('yaml' in input) await writeFile(paths[0]!, input.yaml);
    const run = spawnSync(
      join(toolsDir(), 'kubeconform'),
      ['-strict', '-verbose', '-output', 'json', '-schema-location', location, ...paths],
      { encoding: 'utf8' },
    );
    const out = JSON.parse(run.stdout || '{}') as { resources?: Checked[] };
    if (!out.resources) throw new Error(`kubeconform failed: ${run.stderr || run.stdout}`);
    return out.resources.filter((r) => r.status !== 'statusEmpty');
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Every overlay rendered and every Dapr resource, validated; what is wrong, if anything. */
export async function validateAll(): Promise<{ source: string; checked: Checked[]; yaml?: string }[]> {
  const results = [];
  for (const overlay of overlays()) {
    const yaml = render(overlay);
    results.push({ source: `knative/overlays/${overlay}`, checked: await validate({ yaml }), yaml });
  }
  for (const dir of ['components/local', 'components/cluster'])
    results.push({ source: dir, checked: await validate({ paths: [join(root, dir)] }) });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const installed = toolsInstalled();
  if (!installed.ok) {
    console.error(installed.message);
    process.exit(1);
  }
  let bad = 0;
  const results = await validateAll();
  for (const { source, checked } of results) {
    const problems = checked.filter((c) => c.status !== 'statusValid');
    bad += problems.length;
    console.log(`${problems.length ? 'INVALID' : 'valid  '} ${source}: ${checked.length} objects`);
    for (const p of problems) console.log(`  ${p.kind} ${p.name}: ${p.msg}`);
  }
  // The overlays as rendered above, through Knative's own validation.
  for (const { source, yaml } of results.filter((r) => r.yaml)) {
    const verdicts = knativeCheck(parseAllDocuments(yaml!).map((d) => d.toJS()));
    const refused = verdicts.filter((v) => v.errors);
    bad += refused.length;
    console.log(
      `${refused.length ? 'REFUSED' : 'admitted'} ${source} by Knative's own validation: ${verdicts.length} Services`,
    );
    for (const v of refused) console.log(`  ${v.name}: ${v.errors}`);
  }
  process.exit(bad ? 1 : 0);
}
