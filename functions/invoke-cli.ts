import { randomUUID } from 'node:crypto';
import { loadConfig } from '../platform/config.ts';
import type { CloudEvent } from '../platform/define.ts';
import { signerFor } from '../platform/events/signature.ts';
import { runMain } from '../platform/run-main.ts';
import { APP_TOKEN_HEADER, eventAuthFor } from '../platform/security/event-caller.ts';
import { functionNamed, routes } from './routes.ts';

/**
 * Calls one function served alone (`task fn -- <name>`) with a JSON input:
 * request functions through their Connect method, event handlers with a CloudEvent on their
 * event route (the JSON is wrapped as the event's data unless it is a CloudEvent already),
 * presenting the app API token as the function's sidecar would (APP_API_TOKEN, else the
 * development token that `task fn` and `task up` use). It calls the URL of its third argument,
 * else `http://127.0.0.1:$PORT` when PORT is set (as for `PORT=9000 task fn -- <name>`), else the
 * function's own port of the route table.
 */
async function main() {
  const [nameArg, json = '{}', baseArg] = process.argv.slice(2);
  const name = functionNamed(nameArg ?? '');
  const route = routes[name];
  const config = loadConfig();
  const base = (baseArg ?? `http://127.0.0.1:${process.env.PORT ? config.port : route.port}`).replace(/\/$/, '');
  const input = JSON.parse(json) as Record<string, unknown>;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // A user's JWT (TOKEN=$(npm run -s token -- alice)), else the admin token when set.
  const token = process.env.TOKEN || config.adminToken;
  if (token) headers.authorization = `Bearer ${token}`;
  const auth = route.kind === 'event' ? eventAuthFor(config.eventAuth) : undefined;
  if (auth?.mode === 'token') headers[APP_TOKEN_HEADER] = auth.token;
  // An event is signed with the shop's key (EVENT_SIGNING_KEY, else the development key), as its
  // functions sign what they write.
  const [path, body] =
    route.kind === 'request'
      ? [route.rpc.path, input]
      : [
          `/${route.binding}`,
          signerFor(config.eventSigningKey).sign(
            'specversion' in input
              ? (input as unknown as CloudEvent)
              : {
                  specversion: '1.0',
                  id: randomUUID(),
                  source: '/task/invoke',
                  type: await eventType(route.topic),
                  time: new Date().toISOString(),
                  datacontenttype: 'application/json',
                  data: input,
                },
          ),
        ];
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }).catch(
    (e: Error) => {
      throw new Error(
        `could not reach ${name} at ${base}${path} (${reasonOf(e)}).\n` +
          `Serve it first (npm run fn -- ${name}), or point invoke at where it is served: a third argument ` +
          `(npm run invoke -- ${name} '<json>' http://<host>:<port>), or PORT=<port> for http://127.0.0.1:<port>.`,
        { cause: e },
      );
    },
  );
  const text = await res.text();
  console.log(`${res.status} ${path}`);
  console.log(text ? JSON.stringify(JSON.parse(text), null, 2) : '(no body)');
  if (!res.ok) process.exitCode = 1;
}

/** Why a fetch failed, from its cause (`fetch failed` alone says nothing): e.g. ECONNREFUSED, ENOTFOUND. */
function reasonOf(e: Error): string {
  const cause = e.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? e.message;
}

/** The CloudEvent type of a topic's events (the protobuf message's full name). */
const eventType = async (topic: string) =>
  (await import('./events/topics.ts')).topics[topic as 'payment-completed'].typeName;

runMain(main);
