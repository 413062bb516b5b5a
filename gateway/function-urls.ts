import type { Config } from '../platform/config.ts';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';

/** Environment-variable suffix of a function: `process-payment` → `PROCESS_PAYMENT`. */
export const envSuffix = (name: string) => serviceName(name).replace(/-/g, '_').toUpperCase();

/**
 * The base URL of a function: `FUNCTION_URL_<NAME>` when set, else `FUNCTION_URL_TEMPLATE` with
 * `{name}` (the Knative Service name) and `{port}` (its port when served alone) filled in.
 */
export function functionUrl(config: Pick<Config, 'functionUrls' | 'functionUrlTemplate'>, name: FunctionName): string {
  const url = config.functionUrls[envSuffix(name)] ??
    config.functionUrlTemplate?.replaceAll('{name}', serviceName(name)).replaceAll('{port}', String(routes[name].port));
  if (!url) throw new Error(`no URL for function ${name}: set FUNCTION_URL_TEMPLATE or FUNCTION_URL_${envSuffix(name)}`);
  return url.replace(/\/$/, '');
}
