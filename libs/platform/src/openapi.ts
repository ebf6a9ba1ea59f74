import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { BffConfig } from '@app/config';
import { DOWNSTREAM_TRANSPORTS, type Transports } from '@app/downstream';
import { BffMetrics } from './metrics';
import { scrapeMetrics } from './metrics.controller';

/** The BFF's public API as OpenAPI 3, generated from its controllers and DTOs. */
export function buildOpenApi(app: NestFastifyApplication, config: BffConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(config.app)
    .setDescription(`Public API of ${config.app} (CONTRACTS.md §3). Errors are application/problem+json.`)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, builder);
  // Infrastructure routes are not part of the client API.
  for (const path of Object.keys(document.paths)) {
    if (path.startsWith('/health') || path.startsWith('/metrics')) delete document.paths[path];
  }
  return document;
}

const uiRoot = (): string => require('swagger-ui-dist').getAbsoluteFSPath();
const UI_ASSETS: Record<string, string> = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'text/javascript' };

function docsPage(title: string): string {
  return (
    `<!doctype html><html><head><title>${title} API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>` +
    `<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>` +
    `<script>SwaggerUIBundle({url:'/docs-json',dom_id:'#ui'})</script></body></html>`
  );
}

/**
 * /docs-json (and /docs-yaml) from @nestjs/swagger, and a small Swagger UI page at /docs whose two
 * assets come from swagger-ui-dist (no static-file plugin on the request path).
 */
export function mountDocs(app: NestFastifyApplication, document: OpenAPIObject, title: string): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', swaggerUiEnabled: false });
  const fastify = app.getHttpAdapter().getInstance();
  const page = docsPage(title);
  fastify.get('/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_req, reply) => reply.type(type).header('cache-control', 'public, max-age=86400').send(readFileSync(join(uiRoot(), file))));
  }
}

/**
 * ADMIN_PORT=<n>: /metrics, /docs-json and a minimal /docs on a separate listener that need not be
 * exposed to the internet. Plain node:http: nothing of the request pipeline runs for scrapes.
 */
export async function startAdminServer(app: NestFastifyApplication, config: BffConfig, document: OpenAPIObject, port: number): Promise<Server> {
  const metrics = app.get(BffMetrics);
  const transports = app.get<Transports>(DOWNSTREAM_TRANSPORTS);
  const json = JSON.stringify(document);
  const page = docsPage(config.app);
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/metrics') {
      scrapeMetrics(metrics, transports).then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (url === '/docs-json') res.writeHead(200, { 'content-type': 'application/json' }).end(json);
    else if (url === '/docs' || url === '/docs/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (url.startsWith('/docs/') && UI_ASSETS[url.slice(6)]) {
      res.writeHead(200, { 'content-type': UI_ASSETS[url.slice(6)] }).end(readFileSync(join(uiRoot(), url.slice(6))));
    } else res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"type":"about:blank","title":"Not Found","status":404}');
  });
  await new Promise<void>((resolve) => server.listen(port, config.host, resolve));
  return server;
}
