import { ConfigError, loadBffConfig } from './bff-config';

describe('loadBffConfig', () => {
  it('gives each BFF its contract defaults', () => {
    const web = loadBffConfig('web-bff', {});
    const mobile = loadBffConfig('mobile-bff', {});
    expect(web).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      auth: { audience: 'web-bff', issuer: 'http://localhost:5105' },
      corsOrigins: ['http://localhost:3000'],
      requestTimeoutMs: 3000,
      downstreamTimeoutMs: 1000,
      cacheTtlMs: 5000,
      rateLimit: { max: 300, windowMs: 60000 },
      bodyLimitBytes: 65536,
      ipAllowlist: [],
    });
    expect(web.downstreams.catalog).toEqual(['http://localhost:5101']);
    expect(mobile).toMatchObject({ port: 4001, auth: { audience: 'mobile-bff' }, corsOrigins: [] });
  });

  it('splits comma-separated instance lists and trims trailing slashes', () => {
    const c = loadBffConfig('web-bff', { CATALOG_URL: 'http://a:1/, http://b:2/x/' });
    expect(c.downstreams.catalog).toEqual(['http://a:1', 'http://b:2/x']);
  });

  it.each([
    ['PORT', 'eighty'],
    ['REQUEST_TIMEOUT_MS', '-5'],
    ['CATALOG_URL', 'ftp://catalog'],
    ['LOG_LEVEL', 'loud'],
    ['BODY_LIMIT_BYTES', '1.5'],
    ['CORS_ORIGINS', '*'],
    ['IP_ALLOWLIST', 'not an ip'],
    ['HEDGE_AFTER_MS', '-1'],
    ['HEDGE_AFTER_MS', '20ms'],
    ['RETRY_MIN_PER_SEC', 'many'],
    ['RETRY_BUDGET_TTL_MS', '10'],
    ['TRUSTED_PROXIES', 'haproxy'],
    ['TRUSTED_PROXIES', '10.0.0.1, 10.0.0'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['TRUSTED_PROXIES', 'fd00::/129'],
    ['HEADERS_TIMEOUT_MS', '0'],
    ['CLIENT_REQUEST_TIMEOUT_MS', 'soon'],
    ['KEEP_ALIVE_TIMEOUT_MS', '-1'],
    ['JSON_MAX_DEPTH', '0'],
    ['AUTH_CLOCK_SKEW_SEC', '3600'],
    ['CATALOG_BATCH_DELAY_MS', '-1'],
    ['CATALOG_BATCH_DELAY_MS', '2ms'],
    ['CATALOG_BATCH_MAX_IDS', '0'],
    ['CATALOG_BATCH_MAX_IDS', '501'],
  ])('stops on a bad %s with a message naming it', (name, value) => {
    expect(() => loadBffConfig('web-bff', { [name]: value })).toThrow(ConfigError);
    expect(() => loadBffConfig('web-bff', { [name]: value })).toThrow(new RegExp(name));
  });

  it('hedges after the recent p95 by default; HEDGE_AFTER_MS fixes the delay and 0 turns hedging off', () => {
    expect(loadBffConfig('web-bff', {}).resilience.hedgeAfterMs).toBeUndefined();
    expect(loadBffConfig('web-bff', { HEDGE_AFTER_MS: '35' }).resilience.hedgeAfterMs).toBe(35);
    expect(loadBffConfig('web-bff', { HEDGE_AFTER_MS: '0' }).resilience.hedgeAfterMs).toBe(0);
  });

  it('batches catalog item lookups for at most 2 ms and 50 ids by default; CATALOG_BATCH_DELAY_MS=0 turns it off', () => {
    expect(loadBffConfig('web-bff', {}).catalogBatch).toEqual({ delayMs: 2, maxIds: 50 });
    expect(loadBffConfig('web-bff', { CATALOG_BATCH_DELAY_MS: '0', CATALOG_BATCH_MAX_IDS: '20' }).catalogBatch).toEqual({
      delayMs: 0,
      maxIds: 20,
    });
  });

  it('gives the retry budget a floor of 10 retries/s and a 10 s TTL by default', () => {
    expect(loadBffConfig('web-bff', {}).resilience.retry).toEqual({ maxRetries: 2, budgetRatio: 0.2, minPerSec: 10, budgetTtlMs: 10000 });
    expect(loadBffConfig('web-bff', { RETRY_MIN_PER_SEC: '0', RETRY_BUDGET_TTL_MS: '2000' }).resilience.retry).toMatchObject({
      minPerSec: 0,
      budgetTtlMs: 2000,
    });
  });

  it('reads TRUSTED_PROXIES as a list of IPs and CIDRs (unset: none trusted)', () => {
    expect(loadBffConfig('web-bff', {}).trustedProxies).toEqual([]);
    expect(loadBffConfig('web-bff', { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,fd00::/8, ::1' }).trustedProxies).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
    ]);
  });

  it('has limits for hostile clients: headers 10 s, whole request 30 s, idle keep-alive 65 s, JSON depth 32, clock skew 5 s', () => {
    const c = loadBffConfig('web-bff', {});
    expect(c.clientTimeouts).toEqual({ headersMs: 10000, requestMs: 30000, keepAliveMs: 65000 });
    expect(c.jsonMaxDepth).toBe(32);
    expect(c.auth.clockSkewSec).toBe(5);
  });

  it('bounds the headers timeout by a shorter whole-request timeout', () => {
    expect(loadBffConfig('web-bff', { CLIENT_REQUEST_TIMEOUT_MS: '1000' }).clientTimeouts).toMatchObject({
      headersMs: 1000,
      requestMs: 1000,
    });
  });

  it('refuses an attempt limit longer than the request deadline', () => {
    expect(() => loadBffConfig('web-bff', { REQUEST_TIMEOUT_MS: '500', DOWNSTREAM_TIMEOUT_MS: '900' })).toThrow(/DOWNSTREAM_TIMEOUT_MS/);
  });
});
