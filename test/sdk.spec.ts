import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { startBff, type RunningApp } from '@app/testing';
import { createMobileBffClient } from '../sdk/mobile-bff';
import { createWebBffClient, type WebBasket, type WebHome } from '../sdk/web-bff';
import { startBuiltBff } from './support/built-bff';
import { startSampleStack, type SampleStack } from './support/sample-stack';

const ROOT = join(__dirname, '..');
const committed = (bff: string) => JSON.parse(readFileSync(join(ROOT, 'sdk', bff, 'openapi.json'), 'utf8'));

/** /docs-json of the built BFF (`node dist/apps/<bff>/main.js`, defaults only), as production serves it. */
async function builtDocument(bff: 'web-bff' | 'mobile-bff'): Promise<unknown> {
  const built = await startBuiltBff(bff, { LOG_LEVEL: 'silent', ADMIN_PORT: '' });
  try {
    return await (await fetch(`${built.url}/docs-json`)).json();
  } finally {
    await built.stop();
  }
}

/** The committed SDKs (sdk/<bff>/) must be what `npm run sdk` makes of the documents the BFFs serve. */
describe('typed SDKs', () => {
  let stack: SampleStack;
  let web: RunningApp;
  let mobile: RunningApp;

  beforeAll(async () => {
    stack = await startSampleStack();
    web = await startBff('web-bff', createWebBff, stack.env);
    mobile = await startBff('mobile-bff', createMobileBff, stack.env);
  });
  afterAll(async () => {
    await web?.close();
    await mobile?.close();
    await stack?.close();
  });

  it.each([
    ['web-bff', () => web],
    ['mobile-bff', () => mobile],
  ])('sdk/%s/openapi.json is the document the BFF serves (else: npm run sdk)', async (bff, running) => {
    const served = await (await fetch(`${running().url}/docs-json`)).json();
    expect(served).toEqual(committed(bff));
  });

  // npm test builds web-bff first; mobile-bff's build is checked when present (CI builds everything).
  it.each(
    (['web-bff', 'mobile-bff'] as const).filter((bff) => bff === 'web-bff' || existsSync(join(ROOT, 'dist', 'apps', bff, 'main.js'))),
  )('the built %s serves the committed document too', async (bff) => {
    expect(await builtDocument(bff)).toEqual(committed(bff));
  });

  it('sdk/*/openapi.d.ts is generated from the committed documents, and the SDKs type-check', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/sdk.mjs'), '--check', '--from-committed'], { cwd: ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'sdk/tsconfig.json')], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });

  it('talks to the real BFFs: typed data on success, the Problem on errors, the token as a bearer header', async () => {
    let token: string | undefined = undefined;
    const client = createWebBffClient({ baseUrl: web.url, token: () => token });
    const home = await client.GET('/api/home', { params: { query: { pageSize: 2 } } });
    expect(home.response.status).toBe(200);
    const data: WebHome | undefined = home.data;
    expect(data?.catalog.items).toHaveLength(2);
    expect(data?.basket).toBeNull();

    const anonymous = await client.GET('/api/basket');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ status: 401, requestId: expect.any(String) });

    token = await stack.identity.token({ sub: 'sdk-user-1', aud: 'web-bff' });
    const added = await client.POST('/api/basket/items', { body: { productId: 1, quantity: 2 } });
    const basket: WebBasket | undefined = added.data;
    expect(basket?.items).toEqual([expect.objectContaining({ productId: 1, quantity: 2, pictureUri: '/api/products/1/picture' })]);

    const mobileClient = createMobileBffClient({
      baseUrl: mobile.url,
      token: await stack.identity.token({ sub: 'sdk-user-1', aud: 'mobile-bff' }),
    });
    const mobileBasket = await mobileClient.GET('/api/basket');
    expect(mobileBasket.data?.count).toBe(2);
  });
});
