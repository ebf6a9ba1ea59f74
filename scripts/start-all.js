#!/usr/bin/env node
// Starts the sample services, both BFFs and the SPA's static server from dist/, prefixes each line of
// their logs with the app's name, prints the URLs once everything listens, and stops them all on Ctrl-C
// (or when one dies).
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const apps = require('./apps');

const COLORS = [36, 33, 35, 32, 34, 31];
const width = Math.max(...apps.map((a) => a.name.length));
const children = [];
let stopping = false;

function prefix(app, i) {
  const label = app.name.padEnd(width);
  return process.stdout.isTTY ? `\x1b[${COLORS[i % COLORS.length]}m${label}\x1b[0m |` : `${label} |`;
}

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }, 12_000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

apps.forEach((app, i) => {
  const main = path.join(__dirname, '..', 'dist', 'apps', app.name, 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(app.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const tag = prefix(app, i);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag} ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${tag} exited (${signal ?? code}); stopping everything\n`);
      stopAll(1);
    }
  });
});

function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

(async () => {
  const deadline = Date.now() + 30_000;
  for (const app of apps) {
    while (!(await listening(app.port))) {
      if (stopping) return;
      if (Date.now() > deadline) {
        process.stdout.write(`${app.name} did not start listening on ${app.port}; stopping\n`);
        return stopAll(1);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const lines = apps.map((a) => `  ${a.name.padEnd(width)}  http://localhost:${a.port}`);
  process.stdout.write(`\nAll running (Ctrl-C stops everything):\n${lines.join('\n')}\n`);
  process.stdout.write(`  readiness: http://localhost:4000/health/ready\n  the shop:  http://localhost:3000\n\n`);
})();

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
