import pg from 'pg';
import type { Listening } from './sql.ts';

/**
 * LISTEN on PostgreSQL through a connection of its own (a pooled one would be handed to queries):
 * after a loss, connects again with a growing pause (0.1 s doubling up to 5 s) and listens again.
 */
export async function pgListen(config: pg.ClientConfig, channel: string, onChange: () => void): Promise<Listening> {
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let pauseMs = 100;
  const setLive = (now: boolean) => {
    if (live === now) return;
    live = now;
    onChange();
  };
  const lost = (c: pg.Client) => {
    if (client !== c) return; // handled already
    client = undefined;
    setLive(false);
    void c.end().catch(() => undefined);
    const pause = pauseMs;
    pauseMs = Math.min(pauseMs * 2, 5_000);
    setTimeout(() => !closed && void connect().catch(() => undefined), pause).unref();
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client(config);
    client = c;
    c.on('notification', (n) => n.channel === channel && onChange());
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (e) {
      lost(c);
      throw e;
    }
    pauseMs = 100;
    setLive(true);
  };
  await connect().catch((e) => {
    closed = true;
    throw e;
  });
  return {
    get live() {
      return live;
    },
    async close() {
      closed = true;
      live = false;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
