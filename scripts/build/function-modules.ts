import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registry } from '../../functions/registry.ts';
import type { FunctionName } from '../../functions/routes.ts';

/** Each function's module, as a path from the repository root, e.g. `functions/product/get-product.ts`. */
export type FunctionModules = Record<FunctionName, string>;

/**
 * Finds each function's module: `functions/<folder>/<last part of its name>.ts` (the folder is
 * the name's prefix when it has one, e.g. `product/on-payment-completed`), the one whose default
 * export is the registry's definition. Fails unless exactly one such module exists.
 */
export async function functionModules(root: string): Promise<FunctionModules> {
  const folders = (await readdir(join(root, 'functions'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const modules = {} as FunctionModules;
  for (const name of Object.keys(registry) as FunctionName[]) {
    const parts = name.split('/');
    const file = `${parts.at(-1)}.ts`;
    const candidates = (parts.length > 1 ? [parts[0]!] : folders)
      .map((folder) => `functions/${folder}/${file}`)
      .filter((path) => existsSync(join(root, path)));
    const found: string[] = [];
    for (const path of candidates) {
      if ((await import(pathToFileURL(join(root, path)).href)).default === registry[name]) found.push(path);
    }
    if (found.length !== 1)
      throw new Error(
        `function "${name}": expected one module functions/*/${file} exporting its definition, found ${found.length ? found.join(', ') : 'none'}`,
      );
    modules[name] = found[0]!;
  }
  return modules;
}
