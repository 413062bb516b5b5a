import { describe, expect, it } from 'vitest';
import { appTokenSecret, withSourceTokens } from '../scripts/k8s/source-tokens.ts';

const source = (name: string, extensions?: Record<string, string>) => ({
  apiVersion: 'sources.knative.dev/v1beta1',
  kind: 'KafkaSource',
  metadata: { name, namespace: 'daprps-dev' },
  spec: {
    topics: ['payment-completed'],
    sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name } },
    ...(extensions ? { ceOverrides: { extensions } } : {}),
  },
});

describe('the app tokens KafkaSources present', () => {
  it("gives each source the token of the handler it feeds, from that handler's Secret, as the attribute apptoken", () => {
    const read: string[] = [];
    const tokenOf = (ns: string, secret: string) => {
      read.push(`${ns}/${secret}`);
      return `token-of-${secret}`;
    };
    const service = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' } };
    const out = withSourceTokens(
      [service, source('product-on-payment-completed'), source('payment-on-stock-rejected', { team: 'shop' })],
      tokenOf,
    );
    expect(out[0]).toBe(service);
    expect(out[1].spec.ceOverrides).toEqual({
      extensions: { apptoken: 'token-of-daprps-app-token-product-on-payment-completed' },
    });
    expect(out[2].spec.ceOverrides).toEqual({
      extensions: { team: 'shop', apptoken: 'token-of-daprps-app-token-payment-on-stock-rejected' },
    });
    expect(read).toEqual([
      'daprps-dev/daprps-app-token-product-on-payment-completed',
      'daprps-dev/daprps-app-token-payment-on-stock-rejected',
    ]);
    expect(appTokenSecret(source('basket-on-payment-completed'))).toBe('daprps-app-token-basket-on-payment-completed');
  });

  it('refuses to write a source whose Secret has no token, rather than have every delivery refused', () => {
    expect(() => withSourceTokens([source('basket-on-payment-completed')], () => '')).toThrow(
      /daprps-app-token-basket-on-payment-completed in daprps-dev has no app token/,
    );
  });
});
