import { once } from 'node:events';
import { Agent, request } from 'undici';
import { bffEnv, startContractDouble, TestIdentity, type TestServer } from '@app/testing';
import { startBuiltBff, type BuiltBff } from './support/built-bff';

/** The built process, a real SIGTERM under load: every in-flight request succeeds, then it exits 0. (npm test builds web-bff first.) */
describe('SIGTERM on the built web-bff', () => {
  let identity: TestIdentity;
  let slow: TestServer;
  let bff: BuiltBff | undefined;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    slow = await startContractDouble({ delayMs: 300 });
  });
  afterAll(async () => {
    await bff?.stop();
    await slow.close();
    await identity.close();
  });

  it('drains in-flight requests and exits 0', async () => {
    bff = await startBuiltBff('web-bff', bffEnv(identity, slow.url, { CACHE_TTL_MS: '0' }));
    const { url, child } = bff;
    const agent = new Agent({ connections: 20 });
    const inFlight = Array.from({ length: 20 }, () =>
      request(`${url}/api/home`, { dispatcher: agent }).then((r) => r.body.text().then(() => r.statusCode)),
    );
    await new Promise((r) => setTimeout(r, 100));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await Promise.all(inFlight)).toEqual(Array(20).fill(200));
    const [code] = await exited;
    expect(code).toBe(0);
    await agent.close();
  });
});
