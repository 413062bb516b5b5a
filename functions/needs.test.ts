import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Definition } from './definitions.ts';

const root = new URL('.', import.meta.url).pathname;

/** What a handler's `Pick<Deps, …>` says it needs: the stores it takes, and events when it publishes or consumes. */
function needsFromSource(source: string): string[] {
  const keys = /Pick<Deps, ([^>]*)>/.exec(source)![1]!.split('|').map((k) => k.trim().replace(/'/g, ''));
  return [
    ...(keys.includes('products') || keys.includes('payments') ? ['database'] : []),
    ...(keys.includes('baskets') ? ['redis'] : []),
    ...(source.includes('defineEventHandler(') || /publishes: \[/.test(source) ? ['events'] : []),
  ];
}

describe('every function declares what its readiness checks', () => {
  it('needs exactly the stores its handler takes, and events when it publishes or consumes', async () => {
    let seen = 0;
    for (const domain of ['basket', 'payment', 'product']) {
      for (const file of (await readdir(join(root, domain))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        const source = await readFile(join(root, domain, file), 'utf8');
        if (!/define(Function|EventHandler)\(/.test(source)) continue;
        const def = (await import(join(root, domain, file))).default as Definition;
        expect([...def.needs], `${domain}/${file}`).toEqual(needsFromSource(source));
        seen++;
      }
    }
    expect(seen).toBe(16);
  });
});
