import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The catalog-read baseline: a bare Hono handler answering, from memory, the JSON that
 * list-products answered (read from CATALOG_JSON at start).
 */
const body = process.env.CATALOG_JSON ?? '{}';
const app = new Hono();
app.get('/api/v1/products', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
app.get('/health/live', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
