import type { Config } from '../platform/config.ts';
import { routes, serviceName, type FunctionName } from '../functions/routes.ts';

/** Environment-variable suffix of a function: `process-payment` → `PROCESS_PAYMENT`. */
export const envSuffix = (name: string) => serviceName(name).replace(/-/g, '_').toUpperCase();

/**
 * The base URLs of a function's replicas: `FUNCTION_URL_<NAME>` (comma-separated) when set, else
 * `FUNCTION_URL_TEMPLATE` with `{name}` (the Knative Service name) and `{port}` (its port when
 * served alone) filled in.
 */
export function functionUrls(
  config: Pick<Config, 'functionUrls' | 'functionUrlTemplate'>,
  name: FunctionName,
): string[] {
  const listed = config.functionUrls[envSuffix(name)];
  const urls = listed
    ? listed
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean)
    : config.functionUrlTemplate
      ? [
          config.functionUrlTemplate
            .replaceAll('{name}', serviceName(name))
            .replaceAll('{port}', String(routes[name].port)),
        ]
      : [];
  if (urls.length === 0)
    throw new Error(`no URL for function ${name}: set FUNCTION_URL_TEMPLATE or FUNCTION_URL_${envSuffix(name)}`);
  return urls.map((u) => u.replace(/\/$/, ''));
}
