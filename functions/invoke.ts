import { randomUUID } from 'node:crypto';
import { loadConfig } from '../platform/config.ts';
import { runMain } from '../platform/run-main.ts';
import { functionNamed, routes } from './routes.ts';

/**
 * Calls one function served alone (`task fn -- <name>`) with a JSON input:
 * request functions through their Connect method, event handlers with a CloudEvent
 * (the JSON is wrapped as the event's data unless it is a CloudEvent already).
 */
async function main() {
  const [nameArg, json = '{}', baseArg] = process.argv.slice(2);
  const name = functionNamed(nameArg ?? '');
  const route = routes[name];
  const base = (baseArg ?? `http://127.0.0.1:${route.port}`).replace(/\/$/, '');
  const input = JSON.parse(json) as Record<string, unknown>;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // A user's JWT (TOKEN=$(npm run -s token -- alice)), else the admin token when set.
  const token = process.env.TOKEN || loadConfig().adminToken;
  if (token) headers.authorization = `Bearer ${token}`;
  const [path, body] =
    route.kind === 'request'
      ? [route.rpc.path, input]
      : [`/${route.binding}`, 'specversion' in input ? input : {
          specversion: '1.0', id: randomUUID(), source: '/task/invoke', type: 'manual', time: new Date().toISOString(),
          datacontenttype: 'application/json', data: input,
        }];
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  console.log(`${res.status} ${path}`);
  console.log(text ? JSON.stringify(JSON.parse(text), null, 2) : '(no body)');
  if (!res.ok) process.exitCode = 1;
}

runMain(main);
