#!/usr/bin/env node
// Builds apps with `nest build <app>` (each into dist/apps/<app>/main.js), two at a time.
//   node scripts/build-all.js [app …] [--if-stale]
// No names: every app. --if-stale: skip an app whose main.js is newer than every source it is built
// from (its own folder, libs/, the root configs), so `npm test` after `npm run build` builds nothing.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const apps = require('./apps');

const root = path.join(__dirname, '..');
const nest = path.join(root, 'node_modules', '.bin', 'nest');
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((n) => !apps.some((a) => a.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown app(s): ${unknown.join(', ')} (known: ${apps.map((a) => a.name).join(', ')})\n`);
  process.exit(2);
}

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale(name) {
  const built = fs.statSync(path.join(root, 'dist', 'apps', name, 'main.js'), { throwIfNoEntry: false });
  if (!built) return true;
  const sources = [path.join('apps', name), 'libs', 'nest-cli.json', 'tsconfig.json', 'package-lock.json'];
  return sources.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

const wanted = named.length > 0 ? named : apps.map((a) => a.name);
const queue = ifStale ? wanted.filter(isStale) : [...wanted];
if (ifStale && queue.length < wanted.length) {
  process.stdout.write(`up to date: ${wanted.filter((n) => !queue.includes(n)).join(', ')}\n`);
}
let failed = false;

function buildNext() {
  const name = queue.shift();
  if (!name || failed) return Promise.resolve();
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(nest, ['build', name], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      if (code !== 0) {
        failed = true;
        process.stderr.write(`build ${name} failed:\n${output}\n`);
      } else {
        process.stdout.write(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
      resolve(buildNext());
    });
  });
}

Promise.all([buildNext(), buildNext()]).then(() => process.exit(failed ? 1 : 0));
