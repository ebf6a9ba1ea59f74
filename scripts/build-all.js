#!/usr/bin/env node
// Builds every app, two at a time: `nest build <app>` (each into dist/apps/<app>/main.js), and the SPA
// type-checked then bundled by Vite into dist/apps/web-spa. Names as arguments build only those apps.
const { spawn } = require('node:child_process');
const path = require('node:path');
const apps = require('./apps');

const bin = (name) => path.join(__dirname, '..', 'node_modules', '.bin', name);
const steps = (app) =>
  app.kind === 'spa'
    ? [
        [bin('tsc'), ['-p', 'apps/web-spa']],
        [bin('vite'), ['build', 'apps/web-spa', '--logLevel', 'warn']],
      ]
    : [[bin('nest'), ['build', app.name]]];
const only = process.argv.slice(2);
const queue = apps.filter((a) => only.length === 0 || only.includes(a.name));
let failed = false;

function buildNext() {
  const app = queue.shift();
  if (!app || failed) return Promise.resolve();
  const started = Date.now();
  return steps(app)
    .reduce((done, [cmd, args]) => done.then((ok) => ok && run(app.name, cmd, args)), Promise.resolve(true))
    .then((ok) => {
      if (ok) process.stdout.write(`built ${app.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      else failed = true;
      return buildNext();
    });
}

function run(name, cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
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
