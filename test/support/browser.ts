import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { requireTool } from './infra.ts';

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Chromium for the browser tests: CHROMIUM_PATH, else `chromium` on the PATH (Debian's package). */
function chromiumInstalled(): { ok: true; path: string } | { ok: false; message: string } {
  const given = process.env.CHROMIUM_PATH;
  if (given)
    return executable(given)
      ? { ok: true, path: given }
      : { ok: false, message: `CHROMIUM_PATH=${given} is not an executable` };
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'chromium');
    if (dir && executable(path)) return { ok: true, path };
  }
  return { ok: false, message: 'chromium is not installed: install it with "bash scripts/browser/install.sh"' };
}

/** Chromium's path, or undefined after saying loudly that the browser suites skip (REQUIRE_INFRA=1: throws). */
export function requireChromium(): string | undefined {
  const found = chromiumInstalled();
  return requireTool('browser', found) && found.ok ? found.path : undefined;
}

/** The URLs a page loads or links to, as a browser reads them off its HTML: every src and href. */
export const referenced = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

/** A Content-Security-Policy header as the browser applies it: directive → sources. */
export const directives = (csp: string) =>
  Object.fromEntries(
    csp.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
