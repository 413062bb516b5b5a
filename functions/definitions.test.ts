import { describe, expect, it } from 'vitest';
import { defineFunction, needsOf } from './definitions.ts';
import { registry } from './registry.ts';
import { routes } from './routes.ts';

describe('a function is declared once', () => {
  it('is registered under its own name, and the registry is the route table', () => {
    expect(Object.keys(registry).sort()).toEqual(Object.keys(routes).sort());
    for (const [key, def] of Object.entries(registry)) expect(def.name).toBe(key);
  });

  it('moves money where it asks the provider and writes it down as events: there the recovery runs', () => {
    const moving = Object.entries(registry).filter(([, def]) => def.movesMoney);
    expect(moving.map(([name]) => name).sort()).toEqual([
      'payment/on-stock-rejected',
      'process-payment',
      'refund-payment',
    ]);
  });

  it('an event handler reads its route’s topic', () => {
    for (const [name, route] of Object.entries(routes)) {
      if (route.kind === 'event')
        expect((registry[name as keyof typeof registry] as { topic: string }).topic).toBe(route.topic);
    }
  });

  it('needs what the dependencies it uses live on, and events when it publishes or consumes', () => {
    expect(needsOf(['products', 'now'], false)).toEqual(['database']);
    expect(needsOf(['payments', 'provider'], true)).toEqual(['database', 'events']);
    expect(needsOf(['baskets', 'currency'], true)).toEqual(['redis', 'events']);
    expect(needsOf(['baskets', 'products'], false)).toEqual(['database', 'redis']);
    expect(needsOf(['now', 'newId', 'currency'], false)).toEqual([]);
    // The built-in provider keeps its ledger in the shop's database.
    expect(needsOf(['provider'], false)).toEqual(['database']);
    expect(registry['process-payment'].needs).toEqual(['database', 'redis', 'events']);
    expect(registry['basket/on-payment-completed'].needs).toEqual(['redis', 'events']);
    expect(registry['clear-basket'].needs).toEqual(['redis']);
  });

  it('gives a handler only the dependencies it declares (checked by the compiler)', () => {
    const def = defineFunction({
      name: 'get-product',
      uses: ['products'],
      access: 'public',
      input: {} as never,
      // @ts-expect-error -- `baskets` is not among what it uses
      handler: (d) => async () => d.baskets,
    });
    expect(def.needs).toEqual(['database']);
    defineFunction({
      // @ts-expect-error -- a name that is not in the route table
      name: 'no-such-function',
      uses: [],
      access: 'public',
      input: {} as never,
      handler: () => async () => undefined,
    });
  });
});
