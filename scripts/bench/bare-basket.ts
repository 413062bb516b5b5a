import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';

/**
 * The basket-write baseline: a bare Hono handler that reads the same JSON body and adds the line
 * to the user's basket in Redis with one command (HINCRBY) — no authentication, validation,
 * pricing, telemetry or expiry: the least a Redis-backed basket write can cost.
 */
const redis = new Redis(process.env.REDIS_URL!);
const prefix = process.env.REDIS_PREFIX ?? '';
const app = new Hono();
app.post('/api/v1/baskets/add', async (c) => {
  const line = await c.req.json<{ user_id: string; product_id: string; quantity: number }>();
  const quantity = await redis.hincrby(`${prefix}bare-basket:${line.user_id}`, line.product_id, line.quantity);
  return c.json({ user_id: line.user_id, items: [{ product_id: line.product_id, quantity }] });
});
app.get('/health/live', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
