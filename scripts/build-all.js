#!/usr/bin/env node
// Builds every app with `nest build <app>` (each into dist/apps/<app>/main.js), two at a time.
const { spawn } = require('node:child_process');
const path = require('node:path');
const apps = require('./apps');

const nest = path.join(__dirname, '..', 'node_modules', '.bin', 'nest');
const queue = apps.map((a) => a.name);
let failed = false;

function buildNext() {
  const name = queue.shift();
  if (!name || failed) return Promise.resolve();
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(nest, ['build', name], { stdio: ['ignore', 'pipe', 'pipe'] });
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
