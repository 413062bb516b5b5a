import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPgliteTemplate } from '../../test/support/pglite-template.ts';
import { openPglite } from './pglite.ts';

describe('openPglite on a data folder', () => {
  let tmp = '';
  let dir = '';
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'daprps-pglite-lock-'));
    dir = join(tmp, 'data');
    await copyPgliteTemplate(dir);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  // Every process opens PGlite here (openDatabase: `npm start`, `npm run fn`), so holding the
  // folder here holds it for all of them.
  it('holds the folder while open: a second open is refused, naming the folder; after close it opens again', async () => {
    const sql = await openPglite(dir);
    // Beside the folder, not in it: a copy of the folder never carries the lock along.
    expect((await readdir(tmp)).sort()).toEqual(['data', 'data.lock']);
    await expect(openPglite(dir)).rejects.toThrow(`data folder ${dir} is in use by process ${process.pid}`);
    expect(await sql.query('select 1 as one')).toEqual([{ one: 1 }]);
    await sql.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openPglite(dir);
    await again.close();
  });
});
