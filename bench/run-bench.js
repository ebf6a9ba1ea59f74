#!/usr/bin/env node
// npm run bench: both BFFs (built, every feature on) against bare node:http + undici aggregators doing the
// same fan-out, A/B in one run on this machine, against the same fast downstream double.
// Rows: the single-URL scenarios (one URL from every connection: mostly coalesced), and the realistic
// mixes of bench/mix.js with the response cache off (logs at warn) and at the defaults (cache 5 s, logs
// at info). Figures are ratios to the bare aggregator of the same run, never absolute claims; RSS is the
// BFF's after its run. Results also go to .bench/results.json.
//   BENCH_SECONDS (8), BENCH_CONNECTIONS (32), BENCH_ONLY=<substring of a row name>
//   BENCH_PROFILE=1: the BFFs and the bare aggregators run under --cpu-prof; profiles land in
//   .bench/profiles/<web|mobile|bare-web|bare-mobile> (open in Chrome DevTools, or compare with
//   bench/profile-diff.js: where a BFF's CPU per request goes beyond the bare aggregator's)
//   --soak [web|mobile]: the mix against one BFF (cache off) for BENCH_SOAK_SECONDS (600), RSS every 30 s.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { generateKeyPair, exportJWK, SignJWT } = require('jose');
const { buyerIds, mixes, rng } = require('./mix');

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ONLY = process.env.BENCH_ONLY;
const PORTS = { double: 7101, 'bare-web': 7102, 'bare-mobile': 7104, web: 7103, mobile: 7105 };
const FLOOR_PORTS = { node: 7106, fastify: 7107, nest: 7108, 'nest-edge': 7109 };
const root = path.join(__dirname, '..');
const double = `http://127.0.0.1:${PORTS.double}`;
const soakArg = process.argv.indexOf('--soak');
const SOAK = soakArg >= 0 ? (process.argv[soakArg + 1] ?? 'web') : undefined;

/** `--cpu-prof` into .bench/profiles/<name> when BENCH_PROFILE is set. */
const profiled = (name) => (process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, '.bench/profiles', name)}`] : []);

function start(script, env, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
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

/** User + system CPU time of a process so far, in ms (Linux /proc; clock ticks are 100 Hz here). */
function cpuMs(child) {
  try {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function rssMb(child) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** autocannon over one fixed URL, or over a mix (a new request drawn for every request sent). */
function load(port, scenario, duration = DURATION) {
  const url = `http://127.0.0.1:${port}`;
  const opts = { url, connections: CONNECTIONS, duration };
  if (scenario.mix) {
    const random = rng(42);
    opts.requests = [{ setupRequest: (req) => ({ ...req, ...scenario.mix(random) }) }];
  } else {
    opts.url = url + scenario.path;
    opts.headers = scenario.headers;
  }
  return new Promise((resolve, reject) => autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))));
}

async function startBff(name, env) {
  const bff = fork(path.join(root, `dist/apps/${name}-bff/main.js`), [], {
    env: {
      ...process.env,
      PORT: String(PORTS[name]),
      HOST: '127.0.0.1',
      CATALOG_URL: double,
      BASKET_URL: double,
      ORDERING_URL: double,
      AUTH_JWKS_URL: `${double}/.well-known/jwks.json`,
      AUTH_ISSUER: double,
      LOG_LEVEL: 'info',
      CACHE_TTL_MS: '5000',
      // The limiter runs on every request, but one load generator must not trip it.
      RATE_LIMIT_MAX: '1000000000',
      ...env,
    },
    execArgv: profiled(name),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await waitForHttp(`http://127.0.0.1:${PORTS[name]}/health/live`);
  return bff;
}

async function tokensFor(privateKey, audience, subs) {
  return Promise.all(
    subs.map((sub) =>
      new SignJWT({ name: sub })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
        .setSubject(sub)
        .setIssuer(double)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(privateKey),
    ),
  );
}

/** One measured load of `proc` (listening on `port`): req/s, CPU per request, latency, errors. */
async function loadMeasured(proc, port, scenario) {
  const cpuBefore = cpuMs(proc);
  const r = await load(port, scenario);
  return {
    rps: r.requests.average,
    // CPU per answered request: steadier than req/s on a small machine the load generator shares.
    cpuUs: ((cpuMs(proc) - cpuBefore) * 1000) / Math.max(1, r.requests.total),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

async function measure(rows, phase, s, bffs, bares) {
  const bare = `bare-${s.bff}`;
  const bff = s.bff;
  // Warm both (checks they answer 200), then measure bare and BFF back to back in alternating order.
  for (const port of [PORTS[bare], PORTS[bff]]) {
    const probe = s.mix ? s.mix(rng(1)) : s;
    const res = await fetch(`http://127.0.0.1:${port}${probe.path}`, { headers: probe.headers });
    if (res.status !== 200) throw new Error(`${port} ${probe.path} answered ${res.status}: ${await res.text()}`);
  }
  for (const port of [PORTS[bare], PORTS[bff]]) await load(port, s, Math.max(2, DURATION / 2)).catch(() => undefined);
  const order = rows.length % 2 === 0 ? [bare, bff] : [bff, bare];
  const result = {};
  for (const name of order) {
    result[name === bff ? 'bff' : 'bare'] = await loadMeasured(name === bff ? bffs[bff] : bares[s.bff], PORTS[name], s);
  }
  rows.push({ phase, scenario: s.name, ...result, ratio: result.bff.rps / result.bare.rps, rssMb: rssMb(bffs[bff]) });
}

/**
 * The framework floor: the same canned answer from node:http, Fastify, Nest on Fastify, and Nest with
 * the edge every BFF route has (guard, AsyncLocalStorage hook, ValidationPipe); no downstream.
 */
async function floor() {
  const rows = [];
  for (const [mode, port] of Object.entries(FLOOR_PORTS)) {
    const server = await start(path.join(__dirname, 'framework-floor.js'), { PORT: String(port), FLOOR_MODE: mode });
    try {
      const s = { path: '/api/home', headers: {} };
      await load(port, s, Math.max(2, DURATION / 2));
      rows.push({ mode, ...(await loadMeasured(server, port, s)) });
    } finally {
      server.kill('SIGTERM');
    }
  }
  return rows;
}

async function soak(bffName, scenario) {
  const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
  const bff = await startBff(bffName, { CACHE_TTL_MS: '0', LOG_LEVEL: 'warn' });
  try {
    const samples = [{ t: 0, rssMb: rssMb(bff) }];
    const started = Date.now();
    const timer = setInterval(() => samples.push({ t: Math.round((Date.now() - started) / 1000), rssMb: rssMb(bff) }), 30_000);
    const r = await load(PORTS[bffName], scenario, seconds);
    clearInterval(timer);
    samples.push({ t: seconds, rssMb: rssMb(bff) });
    console.log(`\nsoak: ${bffName}-bff, mix, cache off, ${seconds} s, ${CONNECTIONS} connections — ${new Date().toISOString()}`);
    console.log(
      `requests ${r.requests.total}, errors ${r.errors + r.non2xx}, ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms`,
    );
    console.log('| t (s) | RSS MB |\n|---|---|');
    for (const s of samples) console.log(`| ${s.t} | ${s.rssMb} |`);
    const later = samples.filter((s) => s.t >= seconds / 2).map((s) => s.rssMb);
    console.log(`RSS over the second half: min ${Math.min(...later)} MB, max ${Math.max(...later)} MB`);
  } finally {
    bff.kill('SIGTERM');
  }
}

(async () => {
  for (const name of ['web-bff', 'mobile-bff']) {
    if (!fs.existsSync(path.join(root, `dist/apps/${name}/main.js`))) {
      console.error('Build first: npm run build');
      process.exit(1);
    }
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const tokens = { web: await tokensFor(privateKey, 'web-bff', buyerIds), mobile: await tokensFor(privateKey, 'mobile-bff', buyerIds) };
  const [single] = await tokensFor(privateKey, 'web-bff', ['bench-buyer']);
  const mix = (bff) => ({ name: `${bff} mix (${buyerIds.length} buyers)`, bff, mix: (random) => mixes[bff](random, tokens[bff]) });

  const children = [];
  try {
    children.push(await start(path.join(__dirname, 'downstream-double.js'), { PORT: PORTS.double, BENCH_JWK: JSON.stringify(jwk) }));
    const bares = {};
    for (const m of ['web', 'mobile']) {
      bares[m] = await start(
        path.join(__dirname, 'bare-aggregator.js'),
        { PORT: PORTS[`bare-${m}`], DOWNSTREAM_URL: double, BARE_MODE: m },
        profiled(`bare-${m}`),
      );
      children.push(bares[m]);
    }
    if (SOAK) {
      await soak(SOAK, mix(SOAK));
      return;
    }

    const auth = { authorization: `Bearer ${single}` };
    const phases = [
      {
        name: 'single URL, defaults',
        env: {},
        scenarios: [
          { name: 'web GET /api/home (anonymous, 3 calls)', bff: 'web', path: '/api/home', headers: {} },
          { name: 'web GET /api/home (signed in, 4 calls)', bff: 'web', path: '/api/home', headers: auth },
          { name: 'web GET /api/basket (2 calls in sequence)', bff: 'web', path: '/api/basket', headers: auth },
        ],
      },
      { name: 'mix, cache off, logs at warn', env: { CACHE_TTL_MS: '0', LOG_LEVEL: 'warn' }, scenarios: [mix('web'), mix('mobile')] },
      { name: 'mix, defaults (cache 5 s, logs at info)', env: {}, scenarios: [mix('web'), mix('mobile')] },
    ];
    const rows = [];
    for (const phase of phases) {
      const scenarios = phase.scenarios.filter((s) => !ONLY || `${phase.name} ${s.name}`.includes(ONLY));
      if (scenarios.length === 0) continue;
      const bffs = {};
      for (const b of new Set(scenarios.map((s) => s.bff))) bffs[b] = await startBff(b, phase.env);
      try {
        for (const s of scenarios) await measure(rows, phase.name, s, bffs, bares);
      } finally {
        for (const b of Object.values(bffs)) b.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
      }
    }

    const floorRows = !ONLY || 'framework floor'.includes(ONLY) ? await floor() : [];

    const when = new Date().toISOString();
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(`\nBFFs vs bare node:http + undici aggregators — ${when}\n${machine}; ${CONNECTIONS} connections, ${DURATION} s each\n`);
    if (rows.length > 0) {
      console.log(
        '| setting | scenario | bare req/s | BFF req/s | ratio | bare p50/p99 ms | BFF p50/p99 ms | CPU µs/req bare / BFF | BFF RSS MB | errors |',
      );
      console.log('|---|---|---|---|---|---|---|---|---|---|');
    }
    for (const r of rows) {
      console.log(
        `| ${r.phase} | ${r.scenario} | ${r.bare.rps.toFixed(0)} | ${r.bff.rps.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.bare.p50}/${r.bare.p99} | ${r.bff.p50}/${r.bff.p99} | ${r.bare.cpuUs.toFixed(0)} / ${r.bff.cpuUs.toFixed(0)} | ${r.rssMb} | ${r.bare.errors + r.bff.errors} |`,
      );
    }
    if (floorRows.length > 0) {
      const base = floorRows[0].cpuUs;
      console.log('\nFramework floor: one canned 1.6 KB JSON answer, no downstream (bench/framework-floor.js)\n');
      console.log('| server | req/s | p50/p99 ms | CPU µs/req | µs/req over node:http | errors |');
      console.log('|---|---|---|---|---|---|');
      for (const r of floorRows) {
        console.log(
          `| ${r.mode} | ${r.rps.toFixed(0)} | ${r.p50}/${r.p99} | ${r.cpuUs.toFixed(0)} | ${Math.round(r.cpuUs - base)} | ${r.errors} |`,
        );
      }
    }
    fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.bench/results.json'),
      JSON.stringify({ when, machine, CONNECTIONS, DURATION, rows, floor: floorRows }, null, 2),
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
