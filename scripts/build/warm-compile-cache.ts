/**
 * The source of dist/warm-compile-cache.mjs (built by scripts/build.ts), which the image runs once
 * as it is built: it fills Node's module compile cache (the folder NODE_COMPILE_CACHE names) with
 * every bundle and chunk beside it, so that a cold start takes V8's compiled code from the cache
 * instead of compiling each module again.
 *
 * Nothing is run. The files are imported by one module that also asks for an export that does
 * not exist: the modules of a graph are all compiled first (which is when Node makes their cache
 * entries), then linked, and only then evaluated; the link fails, so none of them is evaluated.
 *
 * The cache is per Node version and per user (its subfolder names both): run this with the same
 * node and as the same user as the functions. A file the cache has no entry for, or an entry that
 * does not match the file's content, is compiled as usual; a cache folder that cannot be written
 * at run time (a read-only root filesystem) is still read.
 */
import { readdir, stat } from 'node:fs/promises';
import { flushCompileCache, getCompileCacheDir } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The export nobody has: asking for it makes the graph fail to link. */
const missing = '__compile_only__';

/** Imports `files` so that they and their static imports are compiled, none evaluated. */
async function compileOnly(files: string[]): Promise<void> {
  const imports = files.map((file) => `import ${JSON.stringify(pathToFileURL(file).href)};\n`).join('');
  const source = `${imports}import { ${missing} } from 'data:text/javascript,export {}';\n`;
  try {
    await import(`data:text/javascript,${encodeURIComponent(source)}`);
  } catch (e) {
    // The planned link error; anything else (a file that does not parse, an import that does not
    // resolve) fails the image's build.
    if (e instanceof SyntaxError && e.message.includes(missing)) return;
    throw e;
  }
  throw new Error('the modules linked, so they were evaluated; they should not have been');
}

/** Every .mjs file under `dir` but this one, as absolute paths. */
async function modulesIn(dir: string, self: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dir, f))
    .filter((f) => f !== self)
    .sort();
}

const cacheDir = getCompileCacheDir();
if (!cacheDir) {
  console.error('the module compile cache is off: set NODE_COMPILE_CACHE to the folder to fill');
  process.exit(1);
}
const self = fileURLToPath(import.meta.url);
const dir = process.argv[2] ?? join(self, '..');
const files = await modulesIn(dir, self);
await compileOnly(files);
flushCompileCache();
// One entry per compiled module (node_modules imported by the bundles' static imports included):
// fewer than the files means the cache was not written.
const entries = await readdir(cacheDir);
if (entries.length < files.length) {
  console.error(
    `the module compile cache in ${cacheDir} has ${entries.length} entries for ${files.length} modules: it could not be written`,
  );
  process.exit(1);
}
const bytes = (await Promise.all(entries.map((f) => stat(join(cacheDir, f))))).reduce((sum, s) => sum + s.size, 0);
console.log(
  `module compile cache: ${files.length} modules of ${dir} compiled into ${cacheDir} (${entries.length} entries, ${(bytes / 1024 / 1024).toFixed(1)} MiB)`,
);
