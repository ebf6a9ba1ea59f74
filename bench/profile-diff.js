#!/usr/bin/env node
// Where a BFF's CPU per request goes beyond the bare aggregator's, by package, from one bench run:
//   BENCH_PROFILE=1 BENCH_ONLY='warn web mix' npm run bench
//   node bench/profile-diff.js web
// (BENCH_ONLY matches "<setting> <scenario>", so pick one row.) Each profile's main-thread busy time
// (idle excluded, the first PROFILE_SKIP_S = 5 s of start-up and warm-up skipped) is split by package and
// scaled to that process's CPU µs per request in .bench/results.json, so the columns add up to the
// measured figures; GC helper threads are not in a profile, so their share lands on the main thread's.
const fs = require('node:fs');
const path = require('node:path');

const bff = process.argv[2] ?? 'web';
const dir = path.join(__dirname, '..', '.bench');
const skipUs = Number(process.env.PROFILE_SKIP_S ?? 5) * 1e6;

function latest(name) {
  const d = path.join(dir, 'profiles', name);
  const files = fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (files.length === 0) throw new Error(`no profile in ${d}: run the bench with BENCH_PROFILE=1 first`);
  return path.join(d, files.sort().at(-1));
}

/** Where a sample's self time goes: a node_modules package, a node: module, "ours", or V8's own (GC, writev, …). */
function packageOf(frame) {
  const url = frame.url ?? '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0];
  if (url) return 'ours';
  if (/^RegExp/.test(frame.functionName)) return '(regexp)';
  return frame.functionName || '(native)';
}

/** Share of main-thread busy time by package. */
function shares(file) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const by = new Map();
  let busy = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const frame = nodes.get(p.samples[i]);
    if (t - p.startTime < skipUs || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    const key = packageOf(frame);
    by.set(key, (by.get(key) ?? 0) + p.timeDeltas[i]);
    busy += p.timeDeltas[i];
  }
  for (const [k, v] of by) by.set(k, v / busy);
  return by;
}

const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
const rows = results.rows.filter((r) => r.scenario.startsWith(`${bff} `));
if (rows.length !== 1) {
  console.error(`results.json holds ${rows.length} ${bff} rows: run the bench with BENCH_ONLY naming one row`);
  process.exit(1);
}
const [row] = rows;
const bare = shares(latest(`bare-${bff}`));
const ours = shares(latest(bff));
const table = [...new Set([...bare.keys(), ...ours.keys()])]
  .map((k) => ({ k, bare: (bare.get(k) ?? 0) * row.bare.cpuUs, bff: (ours.get(k) ?? 0) * row.bff.cpuUs }))
  .sort((a, b) => b.bff - b.bare - (a.bff - a.bare));
console.log(`${row.phase} | ${row.scenario}: CPU µs per request by package (${results.when})\n`);
console.log('| package | bare | BFF | difference |\n|---|---|---|---|');
const signed = (n) => `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
let rest = { bare: 0, bff: 0 };
for (const r of table) {
  if (Math.abs(r.bff - r.bare) < 2 && r.bare < 5) {
    rest = { bare: rest.bare + r.bare, bff: rest.bff + r.bff };
    continue;
  }
  console.log(`| ${r.k} | ${r.bare.toFixed(0)} | ${r.bff.toFixed(0)} | ${signed(r.bff - r.bare)} |`);
}
console.log(`| the rest | ${rest.bare.toFixed(0)} | ${rest.bff.toFixed(0)} | ${signed(rest.bff - rest.bare)} |`);
console.log(`| **total** | ${row.bare.cpuUs.toFixed(0)} | ${row.bff.cpuUs.toFixed(0)} | ${signed(row.bff.cpuUs - row.bare.cpuUs)} |`);
