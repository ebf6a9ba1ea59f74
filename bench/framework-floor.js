// The floor under any BFF built on this stack: one canned JSON answer (the size of a home screen), no
// downstream, served by FLOOR_MODE=
//   node      bare node:http
//   fastify   Fastify 5, one route
//   nest      NestJS 11 on its Fastify adapter, one controller method
//   nest-edge the same plus what every BFF route has at its edge before any feature runs: a global
//             guard, an AsyncLocalStorage context opened in an onRequest hook, and the global
//             ValidationPipe.
// `npm run bench` (row "framework floor") reports CPU µs per request of each: what the BFF pays before
// its own code runs, against the bare aggregator's whole budget.
const http = require('node:http');
const { AsyncLocalStorage } = require('node:async_hooks');
const { items } = require('./mix');

const body = JSON.stringify({
  pageIndex: 0,
  pageSize: 12,
  count: items.length,
  data: items.slice(0, 12).map(({ id, name, price, pictureUri, availableStock }) => ({ id, name, price, pictureUri, availableStock })),
});
const length = Buffer.byteLength(body);
const port = Number(process.env.PORT);
const mode = process.env.FLOOR_MODE ?? 'node';
const ready = () => process.send?.('ready');

async function main() {
  if (mode === 'node') {
    http
      .createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
        res.end(body);
      })
      .listen(port, '127.0.0.1', ready);
    return;
  }
  if (mode === 'fastify') {
    const app = require('fastify')();
    app.get('/api/home', (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
    await app.listen({ port, host: '127.0.0.1' });
    return ready();
  }
  require('reflect-metadata');
  const { Controller, Get, Header, Module, ValidationPipe } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  // Decorators applied by hand: this file is plain JavaScript.
  class HomeController {
    home() {
      return body;
    }
  }
  const method = Object.getOwnPropertyDescriptor(HomeController.prototype, 'home');
  Get('home')(HomeController.prototype, 'home', method);
  Header('content-type', 'application/json; charset=utf-8')(HomeController.prototype, 'home', method);
  Controller('api')(HomeController);
  class FloorModule {}
  Module({ controllers: [HomeController] })(FloorModule);

  const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: false });
  if (mode === 'nest-edge') {
    const als = new AsyncLocalStorage();
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (req, _reply, done) => als.run({ requestId: req.id, deadline: Date.now() + 5000 }, done));
    app.useGlobalGuards({ canActivate: () => als.getStore() !== undefined });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  }
  await app.listen(port, '127.0.0.1');
  ready();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
