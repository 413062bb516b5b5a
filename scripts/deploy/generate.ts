import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeFiles } from './compose-file.ts';
import { daprFiles } from './dapr-files.ts';
import { knativeFiles } from './knative-files.ts';
import { readmeFiles } from './readme-functions.ts';

const root = new URL('../..', import.meta.url).pathname;

/** Every generator of deployment files; each answers its files by path from the repository root. */
const generators: (() => Map<string, string>)[] = [knativeFiles, daprFiles, readmeFiles, composeFiles];

/** Folders whose every file is generated: a file there that no generator writes is stale. */
const generatedFolders = ['knative/base/services', 'components/local', 'components/cluster', 'components/compose'];

/** Every generated deployment file, by path from the repository root, with its content. */
export function deploymentFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const generate of generators) {
    for (const [path, content] of generate()) {
      if (files.has(path)) throw new Error(`${path} is generated twice`);
      files.set(path, content);
    }
  }
  return files;
}

/** The generated files that differ from what is committed (or are missing), and committed ones nothing generates. */
export async function staleDeploymentFiles(): Promise<string[]> {
  const files = deploymentFiles();
  const stale: string[] = [];
  for (const [path, content] of files) {
    const committed = await readFile(join(root, path), 'utf8').catch(() => undefined);
    if (committed !== content) stale.push(path);
  }
  for (const folder of generatedFolders) {
    const present = (await readdir(join(root, folder))).map((f) => `${folder}/${f}`);
    stale.push(...present.filter((p) => !files.has(p)));
  }
  return stale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    const stale = await staleDeploymentFiles();
    for (const path of stale) console.error(`stale: ${path} (run npm run generate:deploy)`);
    process.exit(stale.length ? 1 : 0);
  }
  const files = deploymentFiles();
  for (const [path, content] of files) await writeFile(join(root, path), content);
  console.log(`wrote ${files.size} files`);
}
