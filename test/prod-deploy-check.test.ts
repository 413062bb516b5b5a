import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { routes } from '../functions/routes.ts';
import { deployCheck } from '../scripts/k8s/deploy-check.ts';
import { deployProblems, registryOf } from '../scripts/k8s/deploy-rules.ts';
import { render, toolsInstalled } from '../scripts/k8s/validate.ts';
import { requireTool } from './support/infra.ts';
import { KAFKA_IMAGE } from '../scripts/deploy/topics-job.ts';
import { renderProdWith, testSettings } from './support/prod-settings.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const ready = requireTool('kustomize, kubeconform and knative-check', toolsInstalled());
const objects = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as any)
    .filter(Boolean);

describe('image references', () => {
  it('finds the registry of a reference, and none in a bare name', () => {
    expect(registryOf('daprps:0.1.0')).toBeUndefined();
    expect(registryOf('library/daprps:0.1.0')).toBeUndefined();
    expect(registryOf('registry.ci.test:5000/shop/daprps:0.1.0')).toBe('registry.ci.test:5000');
    expect(registryOf('localhost:5001/daprps@sha256:0123')).toBe('localhost:5001');
  });
});

describe.runIf(ready)('the prod overlay, deployable only with the settings its operator supplies', () => {
  it('as committed, is refused, saying which settings to supply: the registry and the identity provider', async () => {
    const problems = deployProblems(objects(render('prod')));
    expect(problems).toHaveLength(2);
    // Every workload: a Service per function, the gateway's and the migrate Job.
    expect(problems[0]).toMatch(
      new RegExp(
        `^image "daprps:0\\.1\\.0" \\(${Object.keys(routes).length + 2} workloads, e\\.g\\. Service \\S+\\) names no registry.*newName: <registry>/daprps`,
      ),
    );
    expect(problems[1]).toMatch(/^no identity provider: supply JWT_JWKS_URL/);
  });

  it('as committed, is refused by `npm run deploy:check` with those messages and exit code 1', async () => {
    const failed = await run('npx', ['tsx', 'scripts/k8s/deploy-check.ts', 'knative/overlays/prod'], {
      cwd: root,
    }).then(
      () => undefined,
      (e) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed.stderr).toMatch(/refused: image "daprps:0\.1\.0".*names no registry/);
    expect(failed.stderr).toMatch(/refused: no identity provider/);
    expect(failed.stdout).toMatch(/knative\/overlays\/prod: 2 problem\(s\); not fit to apply/);
  }, 60_000);

  it("with CI's own registry and identity provider, renders into objects the schemas, Knative and the rules all admit", async () => {
    const yaml = await renderProdWith({
      image: testSettings.image,
      literals: [`JWT_JWKS_URL=${testSettings.jwks}`, 'JWT_ISSUER=https://id.ci.test/', 'JWT_AUDIENCE=daprps'],
    });
    const images = new Set(
      objects(yaml).flatMap((o) => o.spec?.template?.spec?.containers?.map((c: any) => c.image) ?? []),
    );
    expect([...images].sort()).toEqual([KAFKA_IMAGE, `${testSettings.image}:0.1.0`].sort());
    expect(await deployCheck(yaml)).toEqual([]);
  }, 120_000);

  it('refuses a placeholder or clear-text identity provider, authentication off, and a placeholder registry', async () => {
    const cases: [{ image?: string; literals?: string[] }, RegExp][] = [
      [
        { image: testSettings.image, literals: ['JWT_JWKS_URL=https://auth.example.com/.well-known/jwks.json'] },
        /JWT_JWKS_URL .* is a placeholder/,
      ],
      [{ image: testSettings.image, literals: ['JWT_JWKS_URL=http://id.ci.test/jwks.json'] }, /is not https/],
      [{ image: testSettings.image, literals: [`JWT_JWKS_URL=${testSettings.jwks}`, 'AUTH=off'] }, /AUTH=off/],
      [
        { image: 'registry.invalid/daprps', literals: [`JWT_JWKS_URL=${testSettings.jwks}`] },
        /placeholder registry \(registry\.invalid\)/,
      ],
    ];
    for (const [settings, message] of cases) {
      const problems = deployProblems(objects(await renderProdWith(settings)));
      expect(problems, String(message)).toEqual([expect.stringMatching(message)]);
    }
  }, 60_000);

  it('refuses a Job on another image than the Services, MIGRATE=false without the Job, and no KAFKA_PREFIX', async () => {
    const good = objects(
      await renderProdWith({ image: testSettings.image, literals: [`JWT_JWKS_URL=${testSettings.jwks}`] }),
    );
    expect(deployProblems(good)).toEqual([]);
    const otherImage = structuredClone(good);
    otherImage.find(
      (o) => o.kind === 'Job' && o.metadata.name === 'daprps-migrate',
    ).spec.template.spec.containers[0].image = `${testSettings.image}:0.0.9`;
    expect(deployProblems(otherImage)).toEqual([expect.stringMatching(/must run the same one/)]);
    expect(deployProblems(good.filter((o) => o.metadata?.name !== 'daprps-migrate'))).toEqual([
      expect.stringMatching(/MIGRATE=false but no Job runs dist\/migrate\.mjs/),
    ]);
    const shared = structuredClone(good);
    delete shared.find((o) => o.kind === 'ConfigMap').data.KAFKA_PREFIX;
    expect(deployProblems(shared)).toEqual([expect.stringMatching(/KAFKA_PREFIX is not set/)]);
  }, 60_000);

  it('admits the dev overlay as committed: a dev.local image (never resolved) and a shared JWT secret', () => {
    expect(deployProblems(objects(render('dev')))).toEqual([]);
  });
});
