/**
 * The environment the image's last stage sets (its `ENV` instructions), read from the Dockerfile
 * text: what the benchmark runs the bundles with, so that they start as they do in the image
 * (NODE_ENV, NODE_OPTIONS). Knows the forms the Dockerfile uses: `ENV KEY=value …` over lines
 * joined by a trailing backslash, values without spaces or in double quotes.
 */
export function imageEnv(dockerfile: string): Record<string, string> {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const lastStage = lines.findLastIndex((line) => /^\s*FROM\s/i.test(line));
  const env: Record<string, string> = {};
  for (const line of lines.slice(Math.max(lastStage, 0))) {
    const instruction = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!instruction) continue;
    for (const [, key, quoted, plain] of instruction[1]!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S*))/g))
      env[key!] = quoted ?? plain!;
  }
  return env;
}
