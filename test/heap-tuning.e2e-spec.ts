import { Agent, request } from 'undici';
import { YOUNG_GENERATION_BYTES } from '@app/platform/heap-tuning';
import { bffEnv, startContractDouble, TestIdentity, type TestServer } from '@app/testing';
import { startBuiltBff, type BuiltBff } from './support/built-bff';

jest.setTimeout(60_000);

/** V8's young generation ("new" space) of a built BFF, read off its own /metrics. */
async function youngBytes(bff: BuiltBff): Promise<number> {
  const text = await (await fetch(`${bff.url}/metrics`)).text();
  const line = /^nodejs_heap_space_size_total_bytes\{space="new"[^}]*\} (\d+)/m.exec(text);
  if (!line) throw new Error('no nodejs_heap_space_size_total_bytes{space="new"} in /metrics');
  return Number(line[1]);
}

/** Enough garbage for many scavenges: varied pages with the cache off. */
async function churn(bff: BuiltBff, requests = 1500): Promise<void> {
  const agent = new Agent({ connections: 16 });
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const res = await request(`${bff.url}/api/home?pageIndex=${i % 7}&pageSize=${1 + (i % 12)}`, { dispatcher: agent });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await agent.close();
}

/** The built process as the run contract starts it (plain `node dist/apps/<name>/main.js`): its heap is capped by main.js itself. */
describe('heap tuning of the built BFFs', () => {
  let identity: TestIdentity;
  let double: TestServer;
  const started: BuiltBff[] = [];

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
  });
  afterAll(async () => {
    await Promise.all(started.map((b) => b.stop()));
    await double.close();
    await identity.close();
  });

  const start = async (name: 'web-bff' | 'mobile-bff', extra: Record<string, string> = {}) => {
    const bff = await startBuiltBff(name, { ...bffEnv(identity, double.url, { CACHE_TTL_MS: '0', RATE_LIMIT_MAX: '1000000' }), ...extra });
    started.push(bff);
    return bff;
  };

  it.each(['web-bff', 'mobile-bff'] as const)('%s keeps its young generation at the cap under load', async (name) => {
    const bff = await start(name);
    expect(await youngBytes(bff)).toBeLessThanOrEqual(YOUNG_GENERATION_BYTES);
    await churn(bff);
    const young = await youngBytes(bff);
    expect(young).toBeGreaterThan(0);
    expect(young).toBeLessThanOrEqual(YOUNG_GENERATION_BYTES);
  });

  it("leaves the operator's --max-semi-space-size in NODE_OPTIONS alone", async () => {
    const bff = await start('web-bff', { NODE_OPTIONS: '--max-semi-space-size=16' });
    await churn(bff);
    expect(await youngBytes(bff)).toBeGreaterThan(YOUNG_GENERATION_BYTES);
  });
});
