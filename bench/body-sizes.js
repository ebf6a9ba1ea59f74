#!/usr/bin/env node
// npm run sizes: body size of each GET endpoint of both BFFs, raw and compressed as sent, against the
// built sample services (started here on spare ports). Prints a Markdown table for the README.
const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const net = require('node:net');

const root = path.join(__dirname, '..');
const P = { identity: 6105, catalog: 6101, ordering: 6102, basket: 6103, web: 6200, mobile: 6201 };
const issuer = `http://localhost:${P.identity}`;
const auth = { AUTH_JWKS_URL: `${issuer}/.well-known/jwks.json`, AUTH_ISSUER: issuer };
const down = {
  CATALOG_URL: `http://localhost:${P.catalog}`,
  BASKET_URL: `http://localhost:${P.basket}`,
  ORDERING_URL: `http://localhost:${P.ordering}`,
};
const procs = [
  ['identity-api', { PORT: P.identity, IDENTITY_ISSUER: issuer }],
  ['catalog-api', { PORT: P.catalog }],
  ['ordering-api', { PORT: P.ordering, ...auth }],
  ['basket-api', { PORT: P.basket, ORDERING_URL: down.ORDERING_URL, ...auth }],
  ['web-bff', { PORT: P.web, ...auth, ...down, LOG_LEVEL: 'warn' }],
  ['mobile-bff', { PORT: P.mobile, ...auth, ...down, LOG_LEVEL: 'warn' }],
];

const children = procs.map(([name, env]) =>
  fork(path.join(root, 'dist/apps', name, 'main.js'), [], { env: { ...process.env, ...env }, stdio: 'ignore' }),
);
const stop = () => children.forEach((c) => c.kill('SIGTERM'));

const listening = (port) =>
  new Promise((r) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });

function get(port, p, headers) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, encoding: res.headers['content-encoding'], size: Buffer.concat(chunks).length }),
        );
      })
      .on('error', reject);
  });
}

async function token(client) {
  const res = await fetch(`${issuer}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'Pass123$', client_id: client }),
  });
  return (await res.json()).access_token;
}

(async () => {
  for (const port of Object.values(P))
    for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 100));
  const tokens = { web: await token('web-spa'), mobile: await token('mobile-app') };
  for (const [bff, port] of [
    ['web', P.web],
    ['mobile', P.mobile],
  ]) {
    await fetch(`http://127.0.0.1:${port}/api/basket/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[bff]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ productId: bff === 'web' ? 1 : 2, quantity: 2 }),
    });
  }
  const rows = [
    ['web-bff', P.web, '/api/home', 'web'],
    ['web-bff', P.web, '/api/products?pageSize=20', null],
    ['web-bff', P.web, '/api/products/1', null],
    ['web-bff', P.web, '/api/basket', 'web'],
    ['mobile-bff', P.mobile, '/api/home', 'mobile'],
    ['mobile-bff', P.mobile, '/api/products?limit=20', null],
    ['mobile-bff', P.mobile, '/api/products?limit=20&fields=id,name,price', null],
    ['mobile-bff', P.mobile, '/api/products/1', null],
    ['mobile-bff', P.mobile, '/api/basket', 'mobile'],
    ['mobile-bff', P.mobile, '/api/orders', 'mobile'],
  ];
  console.log('| BFF | GET | raw bytes | gzip bytes | br bytes |');
  console.log('|---|---|---|---|---|');
  for (const [name, port, p, who] of rows) {
    const h = who ? { authorization: `Bearer ${tokens[who]}` } : {};
    const raw = await get(port, p, { ...h, 'accept-encoding': 'identity' });
    const gz = await get(port, p, { ...h, 'accept-encoding': 'gzip' });
    const br = await get(port, p, { ...h, 'accept-encoding': 'br' });
    const show = (r) => (r.encoding ? String(r.size) : `${r.size} (not compressed)`);
    console.log(`| ${name} | \`${p}\`${who ? ' (signed in)' : ''} | ${raw.size} | ${show(gz)} | ${show(br)} |`);
  }
  stop();
})().catch((e) => {
  console.error(e);
  stop();
  process.exit(1);
});
