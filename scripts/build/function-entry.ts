import type { FunctionName } from '../../functions/routes.ts';

/**
 * The entry of one function's bundle: imports that function's module and `serveFunction`, and
 * nothing else (not the registry, which imports every function), so a cold start loads only it.
 */
export const functionEntry = (name: FunctionName, module: string) => `
import def from './${module}';
import { serveFunction } from './functions/serve-function.ts';
import { runMain } from './platform/run-main.ts';
runMain(() => serveFunction(${JSON.stringify(name)}, def));
`;
