import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSpaServer } = require('../apps/web-spa/server/spa-server.js') as {
  startSpaServer(o: { root: string; config: { webBffUrl: string; identityUrl: string } }): Promise<{ url: string; close(): Promise<void> }>;
};

/** The SPA's static server: files, /config.json, SPA fallback, nothing outside its folder. */
describe('web-spa static server', () => {
  let root: string;
  let server: { url: string; close(): Promise<void> };
  const config = { webBffUrl: 'http://bff.example:4000', identityUrl: 'http://id.example:5105' };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spa-root-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>shop</p>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'spa-secret.txt'), 'secret');
    server = await startSpaServer({ root, config });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'spa-secret.txt'), { force: true });
  });

  it('serves /config.json from its settings, uncached', async () => {
    const res = await fetch(`${server.url}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(config);
  });

  it('answers /health/live (liveness probes)', async () => {
    const res = await fetch(`${server.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves index.html for client routes, always revalidated, with a CSP naming web-bff and identity', async () => {
    for (const path of ['/', '/basket', '/orders/12', '/products/1?x=1']) {
      const res = await fetch(`${server.url}${path}`);
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
      });
      expect(await res.text()).toContain('<p>shop</p>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toMatch(
        /connect-src 'self' http:\/\/bff\.example:4000 http:\/\/id\.example:5105;/,
      );
    }
  });

  it('serves fingerprinted assets as immutable, and a missing asset is a 404, not the page', async () => {
    const js = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}/assets/gone.js`)).status).toBe(404);
  });

  it('never serves a file outside its folder, refuses bad encodings and other methods', async () => {
    // node:http sends the path as given (fetch would normalise the dot segments away).
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        request({ hostname, port, path }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
    for (const path of ['/../spa-secret.txt', '/%2e%2e/spa-secret.txt', '/assets/..%2f..%2fspa-secret.txt', '/..%5c..%5cspa-secret.txt']) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain('secret');
    }
    expect((await fetch(`${server.url}/%zz`)).status).toBe(400);
    const post = await fetch(`${server.url}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
