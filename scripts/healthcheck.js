#!/usr/bin/env node
// Container HEALTHCHECK: exit 0 when the app in this image answers 200 on /health/live, else 1.
// Node only (slim images have no curl). The app is $APP; its port $PORT, else the app's default.
const http = require('node:http');
const apps = require('./apps');

const app = apps.find((a) => a.name === process.env.APP);
const port = Number(process.env.PORT || (app && app.port));
const bound = process.env.HOST;
// A wildcard listener answers on loopback; a specific address only on itself.
const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
if (!port) {
  process.stderr.write('healthcheck: set APP or PORT\n');
  process.exit(1);
}
const req = http.get({ host, port, path: '/health/live', timeout: 2000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`);
  process.exit(1);
});
