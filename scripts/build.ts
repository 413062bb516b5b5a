import { build as esbuild, type BuildOptions, type Metafile } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serviceName, type FunctionName } from '../functions/routes.ts';
import { checkFunctionBundles } from './build/check-bundles.ts';
import { embedMigrations } from './build/embed-migrations.ts';
import { embedStorefront } from './build/embed-storefront.ts';
import { functionEntry } from './build/function-entry.ts';
import { functionModules, type FunctionModules } from './build/function-modules.ts';

const root = new URL('..', import.meta.url).pathname;

/** What a build wrote: each function's module and bundle metafile, and all of it in one metafile. */
export interface Built {
  outDir: string;
  modules: FunctionModules;
  functions: Record<FunctionName, Metafile>;
  metafile: Metafile;
}

/**
 * Options common to every bundle: ESM for node, with the packages bundled in (a cold start then
 * reads a few files instead of hundreds from node_modules), the SQL migrations and the storefront's
 * files embedded. Left in node_modules: PGlite (loads its WebAssembly beside its module; only the
 * embedded default uses it), the Dapr SDK (only under EVENT_TRANSPORT=dapr) and pg's optional
 * native binding.
 */
const common = (outdir: string): BuildOptions => ({
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // ES module builds first, where a package has one: esbuild can then leave out what is not used.
  mainFields: ['module', 'main'],
  external: ['@electric-sql/pglite', 'pg-native', '@dapr/dapr'],
  // CommonJS packages bundled into ESM require node's built-ins: give them a real `require`.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // Maps to the TypeScript for stack traces, read only under --enable-source-maps (with it, node
  // parses every map as each module loads; the image leaves it off). Without the sources in them:
  // a trace needs positions, not text, and the maps of dist/ shrink from 76 to 20 MB.
  sourcemap: true,
  sourcesContent: false,
  // Less to parse at every cold start; identifiers kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
  plugins: [embedMigrations(), embedStorefront()],
});

/**
 * Code that only some runs need (each database driver, Redis, Kafka, the Dapr SDK, the Zipkin
 * exporter: all imported dynamically) stays a lazily loaded chunk, in the bundle's own folder.
 */
const lazyChunksIn = (folder: string): BuildOptions => ({ splitting: true, chunkNames: `${folder}/[name]-[hash]` });

/** One function's bundle: `<outDir>/functions/<service name>.mjs`, from an entry importing only its module. */
async function buildFunction(outDir: string, name: FunctionName, module: string): Promise<Metafile> {
  const service = serviceName(name);
  const result = await esbuild({
    ...common(join(outDir, 'functions')),
    ...lazyChunksIn(service),
    stdin: { contents: functionEntry(name, module), resolveDir: root, sourcefile: `${service}.entry.js`, loader: 'js' },
    entryNames: service,
  });
  return result.metafile!;
}

/**
 * Builds into `outDir` (default dist/): a bundle per function, the gateway's (`gateway.mjs`), the
 * migrations' (`migrate.mjs`), `main.mjs`, which starts the one FUNCTION names or else the
 * gateway, and `warm-compile-cache.mjs`, which the image runs to fill Node's module compile cache
 * with all of them; writes their metafile (`metafile.json`) and fails when a function's bundle
 * holds another function's module.
 */
export async function build(outDir = join(root, 'dist')): Promise<Built> {
  await rm(outDir, { recursive: true, force: true });
  const modules = await functionModules(root);
  const names = Object.keys(modules) as FunctionName[];
  const [functionMetas, gateway, migrate, launcher, warm] = await Promise.all([
    Promise.all(names.map((name) => buildFunction(outDir, name, modules[name]))),
    esbuild({ ...common(outDir), ...lazyChunksIn('gateway'), entryPoints: { gateway: 'gateway/main.ts' } }),
    // The migrate Job's entry (knative/overlays/prod/migrate-job.yaml): `node dist/migrate.mjs`.
    esbuild({ ...common(outDir), ...lazyChunksIn('migrate'), entryPoints: { migrate: 'functions/migrate-main.ts' } }),
    esbuild({
      ...common(outDir),
      entryPoints: { main: 'scripts/build/launcher.ts' },
      define: { SERVICE_NAMES: JSON.stringify(Object.fromEntries(names.map((name) => [name, serviceName(name)]))) },
    }),
    // Run once by the image's build: fills the module compile cache with every bundle (the Dockerfile).
    esbuild({ ...common(outDir), entryPoints: { 'warm-compile-cache': 'scripts/build/warm-compile-cache.ts' } }),
  ]);
  const functions = Object.fromEntries(names.map((name, i) => [name, functionMetas[i]!])) as Record<
    FunctionName,
    Metafile
  >;
  const all = [...functionMetas, gateway.metafile!, migrate.metafile!, launcher.metafile!, warm.metafile!];
  const metafile: Metafile = {
    inputs: Object.assign({}, ...all.map((m) => m.inputs)),
    outputs: Object.assign({}, ...all.map((m) => m.outputs)),
  };
  // Written before the check, to look into when it fails (e.g. https://esbuild.github.io/analyze/).
  await writeFile(join(outDir, 'metafile.json'), JSON.stringify(metafile));
  checkFunctionBundles(functions, modules);
  return { outDir, modules, functions, metafile };
}

/** Bytes of a bundle's JavaScript: its entry and the chunks in its folder (source maps aside). */
export function bundleBytes(metafile: Metafile, entry: string): number {
  const folder = entry.replace(/\.mjs$/, '/');
  return Object.entries(metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs') && (file === entry || file.startsWith(folder)))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await build();
  const out = relative(root, built.outDir);
  const print = (entry: string) =>
    console.log(entry.padEnd(54), `${(bundleBytes(built.metafile, entry) / 1024).toFixed(1)} KiB`);
  for (const name of Object.keys(built.functions) as FunctionName[]) print(`${out}/functions/${serviceName(name)}.mjs`);
  for (const file of ['gateway.mjs', 'migrate.mjs', 'main.mjs', 'warm-compile-cache.mjs']) print(`${out}/${file}`);
}
