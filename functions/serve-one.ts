import { runMain } from '../platform/run-main.ts';
import { registry } from './registry.ts';
import { functionNamed } from './routes.ts';
import { serveFunction } from './serve-function.ts';

/**
 * Serves one function alone on its own port, as a Knative Service would: `tsx
 * functions/serve-one.ts <name>` (or FUNCTION=<name>).
 */
runMain(async () => {
  const name = functionNamed(process.argv[2] ?? process.env.FUNCTION ?? '');
  await serveFunction(name, registry[name]);
});
