import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { bffEnv, freePort, startContractDouble, TestIdentity, type TestServer } from '@app/testing';

const MAIN = join(__dirname, '..', 'dist', 'apps', 'web-bff', 'main.js');

/** The built process, a real SIGTERM under load: every in-flight request succeeds, then it exits 0. (npm test builds web-bff first.) */
describe('SIGTERM on the built web-bff', () => {
  let identity: TestIdentity;
  let slow: TestServer;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    slow = await startContractDouble({ delayMs: 300 });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await slow.close();
    await identity.close();
  });

  it('drains in-flight requests and exits 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...bffEnv(identity, slow.url, { PORT: String(port), HOST: '127.0.0.1', CACHE_TTL_MS: '0', LOG_LEVEL: 'warn' }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/health/live`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const agent = new Agent({ connections: 20 });
    const inFlight = Array.from({ length: 20 }, () => request(`${url}/api/home`, { dispatcher: agent }).then((r) => r.body.text().then(() => r.statusCode)));
    await new Promise((r) => setTimeout(r, 100));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await Promise.all(inFlight)).toEqual(Array(20).fill(200));
    const [code] = await exited;
    expect(code).toBe(0);
    await agent.close();
  });
});
