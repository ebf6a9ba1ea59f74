#!/usr/bin/env node
'use strict';
// The storefront SPA's static server; the build copies it to dist/apps/web-spa/main.js beside the
// bundle (public/), so it runs like every other app: `node dist/apps/web-spa/main.js`. It serves the
// bundle's files, /config.json (where web-bff and the identity service are, read from the environment
// at start), /health/live, and index.html for every other path so client-side routes survive a
// reload. GET and HEAD only.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The request handler (tests attach it to a server that already listens, to know the SPA's origin first).
 * @param {{ root: string, config: { webBffUrl: string, identityUrl: string } }} options
 * @returns {import('node:http').RequestListener}
 */
function spaHandler({ root, config }) {
  const base = path.resolve(root);
  const index = path.join(base, 'index.html');
  const configBody = JSON.stringify(config);
  const bff = new URL(config.webBffUrl).origin;
  const identity = new URL(config.identityUrl).origin;
  const security = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // The page may only talk to web-bff and the identity service, and run only its own scripts.
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: ${bff}; ` +
      `connect-src 'self' ${bff} ${identity}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
  };

  return (req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, { ...security, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://spa').pathname);
    } catch {
      return send(400, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad Request\n');
    }
    if (pathname === '/health/live') {
      return send(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }, '{"status":"ok"}');
    }
    if (pathname === '/config.json') {
      return send(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }, configBody);
    }
    const file = path.join(base, pathname);
    const inside = file === base || file.startsWith(base + path.sep);
    fs.stat(inside ? file : index, (err, stat) => {
      if (!err && stat.isFile() && inside) return sendFile(file, stat);
      // A path with an extension is a missing asset, not a client route: 404 rather than HTML.
      if (path.extname(pathname) !== '') return send(404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not Found\n');
      fs.stat(index, (e, s) =>
        e ? send(503, { 'content-type': 'text/plain; charset=utf-8' }, 'The shop is not built: run npm run build\n') : sendFile(index, s),
      );
    });

    function sendFile(name, stat) {
      // Vite fingerprints everything under assets/, so those never change; index.html always revalidates.
      const immutable = name.startsWith(path.join(base, 'assets') + path.sep);
      res.writeHead(200, {
        ...security,
        'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
        'content-length': stat.size,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(name)
        .on('error', () => res.destroy())
        .pipe(res);
    }
  };
}

/** @param {{ root: string, config: { webBffUrl: string, identityUrl: string } }} options */
const createSpaServer = (options) => http.createServer(spaHandler(options));

/**
 * Starts the server; resolves once it listens.
 * @param {{ root: string, config: { webBffUrl: string, identityUrl: string }, port?: number, host?: string }} options
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
function startSpaServer({ root, config, port = 0, host = '127.0.0.1' }) {
  const server = createSpaServer({ root, config });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      });
    });
  });
}

function fromEnv() {
  const url = (name, fallback) => {
    const value = (process.env[name] ?? '').trim() || fallback;
    try {
      if (!/^https?:$/.test(new URL(value).protocol)) throw new Error();
    } catch {
      throw new Error(`${name} must be an http(s) URL (got "${value}")`);
    }
    return value.replace(/\/+$/, '');
  };
  const rawPort = (process.env.PORT ?? '').trim() || '3000';
  if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) throw new Error(`PORT must be an integer between 0 and 65535 (got "${rawPort}")`);
  return {
    port: Number(rawPort),
    host: (process.env.HOST ?? '').trim() || '0.0.0.0',
    config: { webBffUrl: url('WEB_BFF_URL', 'http://localhost:4000'), identityUrl: url('IDENTITY_URL', 'http://localhost:5105') },
  };
}

if (require.main === module) {
  let settings;
  try {
    settings = fromEnv();
  } catch (err) {
    console.error(`Invalid configuration: ${err.message}`);
    process.exit(1);
  }
  const root = path.join(__dirname, 'public');
  startSpaServer({ root, ...settings }).then(
    (running) => {
      console.log(`web-spa listening on ${running.url} (web-bff ${settings.config.webBffUrl}, identity ${settings.config.identityUrl})`);
      const stop = () => running.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}

module.exports = { spaHandler, createSpaServer, startSpaServer };
