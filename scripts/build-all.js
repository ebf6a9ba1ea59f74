#!/usr/bin/env node
// Builds every app, two at a time, each into dist/apps/<app>/main.js: `nest build <app>`, and for the
// SPA a type-check then Vite (its bundle in dist/apps/web-spa/public, its static server as main.js).
//   node scripts/build-all.js [app …] [--if-stale]
// No names: every app. --if-stale: skip an app whose output is newer than every source it is built
// from (its own folder, libs/ or sdk/, the root configs), so `npm test` after `npm run build` builds nothing.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const apps = require('./apps');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((n) => !apps.some((a) => a.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown app(s): ${unknown.join(', ')} (known: ${apps.map((a) => a.name).join(', ')})\n`);
  process.exit(2);
}

const steps = (app) =>
  app.kind === 'spa'
    ? [
        [bin('tsc'), ['-p', 'apps/web-spa']],
        [bin('vite'), ['build', 'apps/web-spa', '--logLevel', 'warn']],
      ]
    : [[bin('nest'), ['build', app.name]]];

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale(app) {
  const output = path.join(root, 'dist', 'apps', app.name, 'main.js');
  const built = fs.statSync(output, { throwIfNoEntry: false });
  if (!built) return true;
  const shared = app.kind === 'spa' ? ['sdk'] : ['libs', 'nest-cli.json', 'tsconfig.json'];
  const sources = [path.join('apps', app.name), ...shared, 'package-lock.json'];
  return sources.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

const wanted = apps.filter((a) => named.length === 0 || named.includes(a.name));
const queue = ifStale ? wanted.filter(isStale) : [...wanted];
if (ifStale && queue.length < wanted.length) {
  process.stdout.write(
    `up to date: ${wanted
      .filter((a) => !queue.includes(a))
      .map((a) => a.name)
      .join(', ')}\n`,
  );
}
let failed = false;

function buildNext() {
  const app = queue.shift();
  if (!app || failed) return Promise.resolve();
  const started = Date.now();
  return steps(app)
    .reduce((done, [cmd, cmdArgs]) => done.then((ok) => ok && run(app.name, cmd, cmdArgs)), Promise.resolve(true))
    .then((ok) => {
      if (ok) process.stdout.write(`built ${app.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      else failed = true;
      return buildNext();
    });
}

function run(name, cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(`build ${name} failed:\n${output}\n`);
      resolve(code === 0);
    });
  });
}

Promise.all([buildNext(), buildNext()]).then(() => process.exit(failed ? 1 : 0));
