import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { renderDir } from '../../scripts/k8s/deploy-check.ts';

const root = new URL('../..', import.meta.url).pathname;

/**
 * What CI supplies in place of an operator: a registry and an identity provider that exist nowhere
 * (RFC 2606 `.test`).
 */
export const testSettings = {
  image: 'registry.ci.test:5000/shop/daprps',
  jwks: 'https://id.ci.test/.well-known/jwks.json',
};

/**
 * The prod overlay under an overlay of an operator's own, as knative/README.md has them write it,
 * rendered: `images` and `literals` are what that overlay supplies.
 */
export async function renderProdWith(o: { image?: string; literals?: string[] }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'daprps-operator-overlay-'));
  try {
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      // kustomize takes a base outside the kustomization's folder, but only by a relative path.
      `  - ${relative(dir, join(root, 'knative/overlays/prod'))}`,
      ...(o.image ? ['images:', '  - name: daprps', `    newName: ${o.image}`] : []),
      ...(o.literals?.length
        ? [
            'configMapGenerator:',
            '  - name: daprps-config',
            '    behavior: merge',
            '    literals:',
            ...o.literals.map((l) => `      - ${l}`),
          ]
        : []),
      '',
    ];
    await writeFile(join(dir, 'kustomization.yaml'), lines.join('\n'));
    return renderDir(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
