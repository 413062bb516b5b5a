import type { Metafile } from 'esbuild';
import type { FunctionName } from '../../functions/routes.ts';
import type { FunctionModules } from './function-modules.ts';

/** Fails when a function's bundle lacks its own module or holds another function's. */
export function checkFunctionBundles(bundles: Record<FunctionName, Metafile>, modules: FunctionModules): void {
  const problems: string[] = [];
  for (const [name, metafile] of Object.entries(bundles) as [FunctionName, Metafile][]) {
    const inputs = new Set(Object.keys(metafile.inputs));
    if (!inputs.has(modules[name])) problems.push(`${name}: its module ${modules[name]} is not in its bundle`);
    for (const [other, module] of Object.entries(modules)) {
      if (other !== name && inputs.has(module)) problems.push(`${name}: its bundle holds ${other}'s module ${module}`);
    }
  }
  if (problems.length) throw new Error(`function bundles:\n  ${problems.join('\n  ')}`);
}
