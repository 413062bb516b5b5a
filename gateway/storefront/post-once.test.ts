import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

type Api = (method: string, path: string, body: unknown, headers: Record<string, string>) => Promise<unknown>;
type PostOnce = (path: string, body: unknown) => Promise<unknown>;

/**
 * The storefront's postOnce, cut from its script and run on a stand-in for the script's `api`
 * (the rest of the script needs a page); keys are numbered in the order made.
 */
async function postOnceOn(api: Api): Promise<PostOnce> {
  const app = await readFile(new URL('./app.js', import.meta.url), 'utf8');
  const start = app.indexOf('let lostPost;');
  const end = app.indexOf('\n}\n', app.indexOf('async function postOnce(')) + 3;
  expect(start).toBeGreaterThan(0);
  let made = 0;
  const newKey = () => `key-${++made}`;
  return new Function('api', 'newKey', `${app.slice(start, end)}\nreturn postOnce;`)(api, newKey);
}

/** An error of the API as the script's ApiError carries it. */
const failure = (status: number) => Object.assign(new Error(`status ${status}`), { status });

describe("the storefront's basket changes", () => {
  it('send a fresh Idempotency-Key per change, and the same one when a change whose answer was lost is sent again', async () => {
    const sent: string[] = [];
    const answers: (Error | undefined)[] = [undefined, undefined, failure(0), failure(504), undefined, failure(409)];
    const change = await postOnceOn(async (method, path, _body, headers) => {
      sent.push(`${method} ${path} ${headers['idempotency-key']}`);
      const answer = answers.shift();
      if (answer) throw answer;
      return { status: 200 };
    });
    const mug = { user_id: 'alice', product_id: 'mug', quantity: 1 };
    await change('/api/v1/baskets/add', mug);
    await change('/api/v1/baskets/add', mug); // a second add of the same: another change
    await expect(change('/api/v1/baskets/add', mug)).rejects.toMatchObject({ status: 0 });
    await expect(change('/api/v1/baskets/add', mug)).rejects.toMatchObject({ status: 504 });
    await change('/api/v1/baskets/add', mug); // answered at last: applied once
    await expect(change('/api/v1/baskets/remove', mug)).rejects.toMatchObject({ status: 409 });
    await change('/api/v1/baskets/remove', mug); // an answered refusal: sent again as a new change
    expect(sent).toEqual([
      'POST /api/v1/baskets/add key-1',
      'POST /api/v1/baskets/add key-2',
      'POST /api/v1/baskets/add key-3',
      'POST /api/v1/baskets/add key-3',
      'POST /api/v1/baskets/add key-3',
      'POST /api/v1/baskets/remove key-4',
      'POST /api/v1/baskets/remove key-5',
    ]);
  });

  it('take a fresh key for another change after a lost answer', async () => {
    const sent: string[] = [];
    let lose = true;
    const change = await postOnceOn(async (_method, _path, _body, headers) => {
      sent.push(headers['idempotency-key']!);
      if (lose) {
        lose = false;
        throw failure(0);
      }
      return { status: 200 };
    });
    await expect(change('/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 })).rejects.toThrow();
    await change('/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    expect(sent).toEqual(['key-1', 'key-2']);
  });

  it('are the only way the script adds to or removes from a basket', async () => {
    const app = await readFile(new URL('./app.js', import.meta.url), 'utf8');
    expect(app).not.toMatch(/api\(\s*'POST',\s*'\/api\/v1\/baskets\//);
    expect(app.match(/postOnce\('\/api\/v1\/baskets\/(add|remove)'/g)).toHaveLength(4);
  });
});
