import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults that run the embedded shop', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '.data/pglite',
      seedDemo: true,
      adminToken: undefined,
      currency: 'USD',
      corsOrigins: [],
    });
  });

  it('reads lists, numbers and per-function URLs; the environment wins over defaults', () => {
    const c = loadConfig(
      { PORT: '9000', CORS_ORIGINS: 'http://a, http://b', FUNCTION_URL_GET_PRODUCT: 'http://x' },
      { PORT: '1' },
    );
    expect(c).toMatchObject({
      port: 9000,
      corsOrigins: ['http://a', 'http://b'],
      functionUrls: { GET_PRODUCT: 'http://x' },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ADMIN_TOKEN: '', PORT: '' })).toMatchObject({ adminToken: undefined, port: 8080 });
  });

  it('takes a metrics token of 16 characters or more, and none by default', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'metrics-token-0123456789' }).metricsToken).toBe('metrics-token-0123456789');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN: must be at least 16 characters');
  });

  it('names every invalid variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short', SHOP_CURRENCY: 'usd' })).toThrow(
      /PORT.*ADMIN_TOKEN.*SHOP_CURRENCY/,
    );
  });
});
