import { spawn, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName, type FunctionName } from '../functions/routes.ts';
import { build, bundleBytes, type Built } from '../scripts/build.ts';
import { checkFunctionBundles } from '../scripts/build/check-bundles.ts';
import { freePorts } from './support/infra.ts';
import { copyPgliteTemplate } from './support/pglite-template.ts';

const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

/** A process under test: its output so far, and its exit. */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[], env: Record<string, string>, cwd = root): Started {
  const child = spawn(command, args, { cwd, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Milliseconds from now until `url/health` answers 200; fails if the process exits first. */
async function timeToHealthy(url: string, p: Started, timeoutMs = 60_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode}: ${p.output()}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not healthy at ${url} in ${timeoutMs} ms: ${p.output()}`);
}

/** What an output loads as it starts: its static imports, theirs, and so on (lazy chunks aside). */
function loadedAtStart(metafile: Metafile, output: string): { chunks: Set<string>; packages: Set<string> } {
  const chunks = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    chunks.add(file);
    for (const i of metafile.outputs[file]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else if (!chunks.has(i.path)) visit(i.path);
    }
  };
  visit(output);
  return { chunks, packages };
}

/** Sends SIGTERM; resolves with the exit code. */
const stop = (p: Started) => {
  p.child.kill('SIGTERM');
  return p.exited;
};

describe('the production bundles (scripts/build.ts)', () => {
  let tmp = '';
  let built: Built;
  let main = '';
  const started: Started[] = [];
  /** Starts a process; it is killed after the file's tests if still running. */
  const track = (p: Started) => {
    started.push(p);
    return p;
  };
  /** A fresh PGlite data folder (initialised, not migrated) under the temporary folder. */
  const dataDir = async (name: string) => {
    const dir = join(tmp, 'data', name);
    await copyPgliteTemplate(dir);
    return dir;
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-bundle-'));
    built = await build(join(tmp, 'dist'));
    // As in the image: node_modules beside dist/, and no sources.
    await symlink(join(root, 'node_modules'), join(tmp, 'node_modules'), 'dir');
    main = join(tmp, 'dist/main.mjs');
  }, 120_000);
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("bundles each function with its own module and no other function's", () => {
    const names = Object.keys(built.modules) as FunctionName[];
    expect(new Set(Object.values(built.modules)).size).toBe(names.length);
    const out = relative(root, join(tmp, 'dist'));
    const sizes: Record<string, string> = {};
    for (const name of names) {
      const inputs = Object.keys(built.functions[name].inputs);
      expect(inputs, name).toContain(built.modules[name]);
      expect(inputs, name).not.toContain('functions/registry.ts');
      const others = names.filter((n) => n !== name).map((n) => built.modules[n]);
      expect(
        inputs.filter((i) => others.includes(i)),
        name,
      ).toEqual([]);
      sizes[name] =
        `${(bundleBytes(built.metafile, `${out}/functions/${serviceName(name)}.mjs`) / 1024).toFixed(1)} KiB`;
    }
    sizes['(gateway)'] = `${(bundleBytes(built.metafile, `${out}/gateway.mjs`) / 1024).toFixed(1)} KiB`;
    sizes['(main)'] = `${(bundleBytes(built.metafile, `${out}/main.mjs`) / 1024).toFixed(1)} KiB`;
    console.log('bundle sizes (JavaScript, entry and chunks):', sizes);
  });

  it('starts a function on node built-ins and its own bundle; drivers, Kafka, Redis, PGlite, the Dapr SDK, protobuf and Connect load only when used; main.mjs imports nothing', () => {
    const out = relative(root, join(tmp, 'dist'));
    const isBuiltin = (p: string) => p.startsWith('node:') || builtinModules.includes(p);
    const inPackage = (chunks: Set<string>, outputs: Metafile['outputs'], pkg: string) =>
      [...chunks].some((file) =>
        Object.keys(outputs[file]!.inputs).some((input) => input.includes(`node_modules/${pkg}/`)),
      );
    for (const name of Object.keys(built.modules) as FunctionName[]) {
      const { outputs } = built.functions[name];
      const atStart = loadedAtStart(built.functions[name], `${out}/functions/${serviceName(name)}.mjs`);
      expect(
        [...atStart.packages].filter((p) => !isBuiltin(p)),
        name,
      ).toEqual([]);
      for (const pkg of ['pg', 'ioredis', 'kafkajs'])
        expect(inPackage(atStart.chunks, outputs, pkg), `${name} starts with ${pkg}`).toBe(false);
      // Protobuf and Connect load with the first RPC call, or the first event written or read.
      for (const pkg of ['@bufbuild/protobuf', '@connectrpc/connect', '@connectrpc/connect-node'])
        expect(inPackage(atStart.chunks, outputs, pkg), `${name} starts with ${pkg}`).toBe(false);
      const lazy = Object.keys(outputs).filter((file) => file.endsWith('.mjs') && !atStart.chunks.has(file));
      const lazyPackages = lazy.flatMap((file) => outputs[file]!.imports.filter((i) => i.external).map((i) => i.path));
      expect(lazyPackages, name).toEqual(expect.arrayContaining(['@dapr/dapr', '@electric-sql/pglite']));
      for (const pkg of ['pg', 'ioredis', 'kafkajs'])
        expect(inPackage(new Set(lazy), outputs, pkg), `${name} has ${pkg} in a lazy chunk`).toBe(true);
    }
    expect(loadedAtStart(built.metafile, `${out}/gateway.mjs`).packages).not.toContain('@dapr/dapr');
    // The OpenAPI generator (and its JSON Schema converter) loads with the first /openapi.json or /docs.
    const gatewayStart = loadedAtStart(built.metafile, `${out}/gateway.mjs`).chunks;
    expect(inPackage(gatewayStart, built.metafile.outputs, '@valibot/to-json-schema')).toBe(false);
    const startInputs = [...gatewayStart].flatMap((file) => Object.keys(built.metafile.outputs[file]!.inputs));
    expect(startInputs.filter((input) => input.startsWith('functions/openapi/'))).toEqual([]);
    expect(built.metafile.outputs[`${out}/main.mjs`]!.imports).toEqual([]);
  });

  it("fails the build's check when a function's bundle holds another function's module", () => {
    const withOther = structuredClone(built.functions);
    withOther['get-product'].inputs[built.modules['list-products']] = { bytes: 1, imports: [] };
    expect(() => checkFunctionBundles(withOther, built.modules)).toThrow(
      /get-product: its bundle holds list-products's module functions\/product\/list-products\.ts/,
    );
    expect(() => checkFunctionBundles(built.functions, built.modules)).not.toThrow();
  });

  it('serves the function FUNCTION names, from main.mjs, and stops on SIGTERM', async () => {
    const [bundledPort, tsxPort] = await freePorts(2);
    const bundled = track(
      start(
        process.execPath,
        [main],
        { FUNCTION: 'get-product', PORT: String(bundledPort), DATA_DIR: await dataDir('bundled') },
        tmp,
      ),
    );
    const bundledMs = await timeToHealthy(`http://127.0.0.1:${bundledPort}`, bundled);
    const kettle = await fetch(`http://127.0.0.1:${bundledPort}/api/v1/products/kettle`);
    expect(kettle.status).toBe(200);
    expect(await kettle.json()).toMatchObject({ id: 'kettle', name: 'Gooseneck Kettle' });
    expect((await fetch(`http://127.0.0.1:${bundledPort}/api/v1/baskets/alice`)).status).toBe(404);
    expect(await stop(bundled)).toBe(0);

    // The same function from the sources through tsx, for comparison (not asserted).
    const fromSources = track(
      start(tsx, ['functions/serve-one.ts', 'get-product'], { PORT: String(tsxPort), DATA_DIR: await dataDir('tsx') }),
    );
    const tsxMs = await timeToHealthy(`http://127.0.0.1:${tsxPort}`, fromSources);
    expect(await stop(fromSources)).toBe(0);
    console.log(`time to healthy, get-product: bundled ${bundledMs.toFixed(0)} ms, tsx ${tsxMs.toFixed(0)} ms`);
  }, 120_000);

  it('takes a function by its service name too', async () => {
    const [port] = await freePorts(1);
    const p = track(
      start(
        process.execPath,
        [main],
        { FUNCTION: 'product-on-payment-completed', PORT: String(port), DATA_DIR: await dataDir('event') },
        tmp,
      ),
    );
    await timeToHealthy(`http://127.0.0.1:${port}`, p);
    expect(await (await fetch(`http://127.0.0.1:${port}/health/live`)).json()).toEqual({
      status: 'ok',
      function: 'product/on-payment-completed',
    });
    expect(await stop(p)).toBe(0);
  }, 60_000);

  it('refuses an unknown FUNCTION, naming the functions', async () => {
    const p = track(start(process.execPath, [main], { FUNCTION: 'no-such-function' }, tmp));
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('unknown function "no-such-function"');
    expect(p.output()).toContain('get-product');
    expect(p.output()).toContain('product/on-payment-completed');
  });

  it('serves the gateway when FUNCTION is unset', async () => {
    const [port] = await freePorts(1);
    // NODE_ENV as the image sets it (Dockerfile).
    const env = { FUNCTION: '', PORT: String(port), DATA_DIR: await dataDir('gateway'), NODE_ENV: 'production' };
    const p = track(start(process.execPath, [main], env, tmp));
    await timeToHealthy(`http://127.0.0.1:${port}`, p);
    expect(await (await fetch(`http://127.0.0.1:${port}/health/live`)).json()).toEqual({
      status: 'ok',
      service: 'gateway',
      mode: 'embedded',
    });
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/products/kettle`)).status).toBe(200);
    // The OpenAPI generator's lazy chunk, and Swagger UI's files from node_modules beside dist/.
    for (const path of ['/openapi.json', '/docs', '/docs/swagger-ui-bundle.js'])
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
    // The storefront's files, embedded in the bundle (nothing of gateway/storefront/ is beside dist/),
    // and no development sign-in under the image's NODE_ENV.
    for (const file of ['app.js', 'style.css', 'icon.svg']) {
      const res = await fetch(`http://127.0.0.1:${port}/storefront/${file}`);
      expect(res.status, file).toBe(200);
      expect(await res.text(), file).toBe(await readFile(join(root, 'gateway/storefront', file), 'utf8'));
    }
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('/storefront/app.js');
    expect((await fetch(`http://127.0.0.1:${port}/dev/sign-in`)).status).toBe(404);
    expect(await stop(p)).toBe(0);
  }, 60_000);
});
