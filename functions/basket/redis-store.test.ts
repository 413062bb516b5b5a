import { describe, expect, it } from 'vitest';
import { connectRedis } from './redis-store.ts';

describe('Redis connections', () => {
  it('fail at start with a message naming Redis, the URL and how to start it', async () => {
    await expect(connectRedis('redis://127.0.0.1:1')).rejects.toThrow(/Redis is unreachable at redis:\/\/127\.0\.0\.1:1 .*npm run infra:up/);
  });
});
