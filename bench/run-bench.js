#!/usr/bin/env node
// npm run bench: web-bff (built, all features on) against a bare node:http + undici aggregator doing the
// same fan-out, A/B in one run on this machine, against the same fast downstream double.
// Figures are throughput ratios, never absolute claims. Results also go to .bench/results.json.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { generateKeyPair, exportJWK, SignJWT } = require('jose');

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PORTS = { double: 7101, bare: 7102, bff: 7103 };
const root = path.join(__dirname, '..');

function start(script, env) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}

async function waitForHttp(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

function load(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

(async () => {
  if (!fs.existsSync(path.join(root, 'dist/apps/web-bff/main.js'))) {
    console.error('Build first: npm run build');
    process.exit(1);
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const double = `http://127.0.0.1:${PORTS.double}`;
  const token = await new SignJWT({ name: 'Bench' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setSubject('bench-buyer')
    .setIssuer(double)
    .setAudience('web-bff')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);

  const children = [];
  try {
    children.push(await start(path.join(__dirname, 'downstream-double.js'), { PORT: PORTS.double, BENCH_JWK: JSON.stringify(jwk) }));
    children.push(await start(path.join(__dirname, 'bare-aggregator.js'), { PORT: PORTS.bare, DOWNSTREAM_URL: double }));
    const bff = fork(path.join(root, 'dist/apps/web-bff/main.js'), [], {
      env: {
        ...process.env,
        PORT: String(PORTS.bff),
        HOST: '127.0.0.1',
        CATALOG_URL: double,
        BASKET_URL: double,
        ORDERING_URL: double,
        AUTH_JWKS_URL: `${double}/.well-known/jwks.json`,
        AUTH_ISSUER: double,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        CACHE_TTL_MS: process.env.BENCH_CACHE_TTL_MS ?? '5000',
        // The limiter runs on every request, but one load generator must not trip it.
        RATE_LIMIT_MAX: '1000000000',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(bff);
    await waitForHttp(`http://127.0.0.1:${PORTS.bff}/health/live`);

    const auth = { authorization: `Bearer ${token}` };
    const scenarios = [
      { name: 'GET /api/home (anonymous, 3 calls)', path: '/api/home', headers: {} },
      { name: 'GET /api/home (signed in, 4 calls)', path: '/api/home', headers: auth },
      { name: 'GET /api/basket (2 calls in sequence)', path: '/api/basket', headers: auth },
    ];
    const rows = [];
    const only = process.env.BENCH_ONLY ? Number(process.env.BENCH_ONLY) : undefined;
    for (const s of only === undefined ? scenarios : [scenarios[only]]) {
      const result = {};
      // Warm both, then measure bare and BFF back to back in alternating order.
      for (const [name, port] of [['bare', PORTS.bare], ['bff', PORTS.bff]]) {
        const res = await fetch(`http://127.0.0.1:${port}${s.path}`, { headers: s.headers });
        if (res.status !== 200) throw new Error(`${name} ${s.path} answered ${res.status}: ${await res.text()}`);
      }
      for (const [name, port] of [['bare', PORTS.bare], ['bff', PORTS.bff]]) {
        await load(`http://127.0.0.1:${port}${s.path}`, s.headers).catch(() => undefined); // warm-up
      }
      const order = rows.length % 2 === 0 ? ['bare', 'bff'] : ['bff', 'bare'];
      for (const name of order) {
        const r = await load(`http://127.0.0.1:${PORTS[name]}${s.path}`, s.headers);
        result[name] = { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
      }
      rows.push({ scenario: s.name, ...result, ratio: result.bff.rps / result.bare.rps });
    }

    const when = new Date().toISOString();
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(`\nweb-bff vs bare node:http + undici aggregator — ${when}\n${machine}; ${CONNECTIONS} connections, ${DURATION} s each\n`);
    console.log('| scenario | bare req/s | web-bff req/s | ratio | bare p99 ms | web-bff p99 ms | errors |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.scenario} | ${r.bare.rps.toFixed(0)} | ${r.bff.rps.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.bare.p99} | ${r.bff.p99} | ${r.bare.errors + r.bff.errors} |`);
    }
    fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
    fs.writeFileSync(path.join(root, '.bench/results.json'), JSON.stringify({ when, machine, CONNECTIONS, DURATION, rows }, null, 2));
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
