import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const root = new URL('../..', import.meta.url).pathname;
const TEMPLATE = join(root, '.cache/pglite-template');
const MARKER = join(root, '.cache/pglite-template.version');

/** The installed PGlite version: a template made by another version is made again. */
async function pgliteVersion(): Promise<string> {
  return JSON.parse(await readFile(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
}

/**
 * Makes (once, cached in the git-ignored .cache) an initialised PGlite data folder: a new data
 * folder costs an initdb of ~5 s, a copy of this one opens in under a second.
 */
export async function ensurePgliteTemplate(): Promise<void> {
  const version = await pgliteVersion();
  if ((await readFile(MARKER, 'utf8').catch(() => '')) === version) return;
  await rm(TEMPLATE, { recursive: true, force: true });
  await mkdir(TEMPLATE, { recursive: true });
  const db = await PGlite.create(TEMPLATE);
  await db.close();
  await writeFile(MARKER, version);
}

/** Fills `dataDir` with a copy of the initialised template. */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  await cp(TEMPLATE, dataDir, { recursive: true });
}
