import type { Plugin } from 'esbuild';

/**
 * Bundles the module `file` (a path from the repository root) as what its async function
 * `exportName` returns now, at build time: for a module that reads files beside it, which a
 * bundle does not have. The module's interface stays `exportName()`, resolving to the same value.
 */
export function embedAtBuild(file: string, exportName: string, read: () => Promise<unknown>): Plugin {
  const filter = new RegExp(`[\\\\/]${file.split('/').map(escapeRegExp).join('[\\\\/]')}$`);
  return {
    name: `embed ${file}`,
    setup(build) {
      build.onLoad({ filter }, async () => ({
        contents: `const value = ${JSON.stringify(await read())};\nexport const ${exportName} = async () => value;\n`,
        loader: 'js',
      }));
    },
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
