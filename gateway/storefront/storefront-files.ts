import { readdir, readFile } from 'node:fs/promises';

const folder = new URL('./', import.meta.url);

/**
 * The storefront's files, this folder's files but its TypeScript, by name: their text. The
 * production bundle has no such folder: there the build embeds what this returns
 * (scripts/build/embed-storefront.ts), with the same interface.
 */
export async function readStorefrontFiles(): Promise<Record<string, string>> {
  const names = (await readdir(folder)).filter((name) => !name.endsWith('.ts')).sort();
  const texts = await Promise.all(names.map((name) => readFile(new URL(name, folder), 'utf8')));
  return Object.fromEntries(names.map((name, i) => [name, texts[i]!]));
}
