import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { BffConfig } from '@app/config';
import { DOWNSTREAM_TRANSPORTS, type Transports } from '@app/downstream';
import { Problem, PROBLEM_DESCRIPTIONS } from './api-answers';
import { BffMetrics } from './metrics';
import { scrapeMetrics } from './metrics.controller';

/** Mirrors the metadata key of `Auth()` (auth.guard.ts): the document's security comes from the guard's own declaration. */
const AUTH_MODE = 'bff:auth-mode';
type AuthMode = 'required' | 'optional' | 'none';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_MEDIA = 'application/problem+json';

/** What the document needs to know about how a BFF's HTTP layer is set up. */
export interface OpenApiOptions {
  /** ETag/304 on GET answers (conditional-get hook). */
  conditionalGets?: boolean;
}

/** Adds to a BFF's document at build time (the gateway documents its passthrough routes this way). */
export type OpenApiContributor = (app: NestFastifyApplication, document: OpenAPIObject) => void;

const contributors: OpenApiContributor[] = [];
const registrations = new WeakMap<NestFastifyApplication, { config: BffConfig; options: OpenApiOptions; document?: OpenAPIObject }>();

/** Registers a contributor for every BFF document built from now on (idempotent per function). */
export function addOpenApiContributor(contributor: OpenApiContributor): void {
  if (!contributors.includes(contributor)) contributors.push(contributor);
}

/**
 * Called by createBffApp: remembers how the app is set up and mounts /docs and /docs-json on the main
 * listener (unless ADMIN_PORT moves them). The document itself is built once, on first use, so that
 * routes registered after createBffApp (the gateway's) are in it, on the main and the admin listener alike.
 */
export function registerOpenApi(app: NestFastifyApplication, config: BffConfig, options: OpenApiOptions = {}): void {
  registrations.set(app, { config, options });
  if (config.admin.mode === 'main') mountDocs(app, () => openApiDocument(app), config.app);
}

/** True for apps set up by createBffApp (so test rigs know what they can validate). */
export function hasOpenApi(app: NestFastifyApplication): boolean {
  return registrations.has(app);
}

/** The BFF's OpenAPI document, built once per app (after every route is registered) and then reused. */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const reg = registrations.get(app);
  if (!reg) throw new Error('openApiDocument: the app was not built by createBffApp');
  reg.document ??= buildDocument(app, reg.config, reg.options);
  return reg.document;
}

/** The BFF's public API as OpenAPI 3 (same object as `openApiDocument`; kept for callers that pass config). */
export function buildOpenApi(app: NestFastifyApplication, config: BffConfig): OpenAPIObject {
  if (!registrations.has(app)) registrations.set(app, { config, options: {} });
  return openApiDocument(app);
}

function buildDocument(app: NestFastifyApplication, config: BffConfig, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(config.app)
    .setDescription(
      `Public API of ${config.app} (CONTRACTS.md §3). Every error answer is application/problem+json (schema Problem). ` +
        'Every answer carries x-request-id. Aggregates list the optional parts that failed in `degraded`.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A JWT from the identity service (AUTH_ISSUER), audience AUTH_AUDIENCE',
      },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, builder, { extraModels: [Problem] });
  for (const contribute of contributors) contribute(app, document);
  completeOperations(document, authModes(app), options);
  return document;
}

/** `Controller_method` → the mode `@Auth()` declared (method over class), as the guard reads it. */
function authModes(app: NestFastifyApplication): Map<string, AuthMode> {
  const modes = new Map<string, AuthMode>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const classMode = Reflect.getMetadata(AUTH_MODE, type) as AuthMode | undefined;
      for (const key of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[key];
        if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const mode = (Reflect.getMetadata(AUTH_MODE, handler) as AuthMode | undefined) ?? classMode ?? 'none';
        modes.set(`${type.name}_${key}`, mode);
      }
    }
  }
  return modes;
}

const header = (description: string, schema: Json = { type: 'string' }, required = true) => ({ description, required, schema });
const REQUEST_ID_HEADER = header('The caller’s x-request-id when it is safe to echo, else a new one');

function problemResponse(status: number, existing: Json | undefined): Json {
  const headers: Json = { 'x-request-id': REQUEST_ID_HEADER };
  if (status === 429 || status === 503)
    headers['retry-after'] = header('Seconds to wait before trying again', { type: 'integer', minimum: 0 }, status === 429);
  if (status === 401) headers['www-authenticate'] = header('Bearer challenge', { type: 'string' }, false);
  const description =
    existing?.description && existing.description !== '' ? existing.description : (PROBLEM_DESCRIPTIONS[status] ?? 'Error');
  return { ...existing, description, headers: { ...existing?.headers, ...headers }, content: { [PROBLEM_MEDIA]: { schema: PROBLEM_REF } } };
}

/**
 * An error answer of an operation: a `#/components/responses/ProblemNNN` reference when the route
 * gives no cause of its own (keeps the document and the SDK small), else the answer in place.
 */
function problemAnswer(document: OpenAPIObject, code: string, existing: Json): Json {
  const status = Number(code) || 400;
  if (existing.$ref) return existing;
  if (existing.description || Object.keys(existing).length > 0) return problemResponse(status, existing);
  const name = `Problem${code}`;
  const responses = ((document.components ??= {}).responses ??= {}) as Json;
  responses[name] ??= problemResponse(status, undefined);
  return { $ref: `#/components/responses/${name}` };
}

/**
 * Completes what the decorators do not say per route, from how the platform behaves: security from
 * `@Auth()`, the error answers the platform can give on any route, conditional-GET headers and 304,
 * x-request-id everywhere, and problem+json for every error. Applies to gateway paths too.
 */
function completeOperations(document: OpenAPIObject, modes: Map<string, AuthMode>, options: OpenApiOptions): void {
  for (const [path, item] of Object.entries(document.paths) as Array<[string, Json]>) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const api = path.startsWith('/api/');
      const mode: AuthMode = modes.get(op.operationId) ?? modeOf(op.security);
      op.security = mode === 'required' ? [{ bearer: [] }] : mode === 'optional' ? [{ bearer: [] }, {}] : [];
      op.parameters = [
        ...(op.parameters ?? []).filter((p: Json) => p.name !== 'x-request-id'),
        {
          name: 'x-request-id',
          in: 'header',
          required: false,
          description: 'Correlates logs; echoed when safe',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
        },
      ];
      const responses = (op.responses ??= {}) as Json;
      const statuses = new Set<number>([400, 403]);
      if (api) [429, 502, 503, 504].forEach((s) => statuses.add(s));
      if (mode !== 'none') [401, 503].forEach((s) => statuses.add(s));
      if (method === 'post' || method === 'put' || method === 'delete') [413, 415].forEach((s) => statuses.add(s));
      for (const s of statuses) responses[String(s)] ??= {};
      for (const [code, response] of Object.entries(responses) as Array<[string, Json]>) {
        if (/^[45]/.test(code)) {
          responses[code] = problemAnswer(document, code, response);
          continue;
        }
        response.headers = { ...response.headers, 'x-request-id': REQUEST_ID_HEADER };
      }
      const ok = responses['200'] as Json | undefined;
      const streamsImage = ok?.content !== undefined && Object.keys(ok.content).some((t) => t.startsWith('image/'));
      if (options.conditionalGets && method === 'get' && ok && !streamsImage) {
        op.parameters.push({
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'An ETag of an earlier answer: 304 when it still matches',
          schema: { type: 'string' },
        });
        // Relayed (gateway) answers carry the downstream's ETag when it sends one.
        const relayed = (op.tags as string[] | undefined)?.includes('gateway') === true;
        ok.headers = {
          ...ok.headers,
          etag: header(
            relayed ? 'The downstream’s validator, when it sends one' : 'Weak validator of this representation',
            { type: 'string' },
            !relayed,
          ),
          'cache-control': header(
            'public, max-age=… for anonymous complete answers; private, no-cache for personal ones; no-store when degraded',
          ),
        };
        responses['304'] = {
          description: 'Not modified: If-None-Match matched; no body',
          headers: { etag: header('The matching validator'), 'x-request-id': REQUEST_ID_HEADER },
        };
      }
      item[method] = { ...op, responses: sortByStatus(responses) };
    }
  }
}

/** Gateway paths state their security themselves: `[{bearer}]` required, `[{bearer}, {}]` optional. */
function modeOf(security: Json[] | undefined): AuthMode {
  if (!security?.length) return 'none';
  return security.some((s) => Object.keys(s).length === 0) ? 'optional' : 'required';
}

function sortByStatus(responses: Json): Json {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when /docs is served
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
export function mountDocs(app: NestFastifyApplication, document: OpenAPIObject | (() => OpenAPIObject), title: string): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', swaggerUiEnabled: false });
  const fastify = app.getHttpAdapter().getInstance();
  const page = docsPage(title);
  fastify.get('/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`/docs/${file}`, (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=86400')
        .send(readFileSync(join(uiRoot(), file))),
    );
  }
}

/**
 * ADMIN_PORT=<n>: /metrics, /docs-json and a minimal /docs on a separate listener that need not be
 * exposed to the internet. Plain node:http: nothing of the request pipeline runs for scrapes.
 */
export async function startAdminServer(
  app: NestFastifyApplication,
  config: BffConfig,
  document: OpenAPIObject,
  port: number,
): Promise<Server> {
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
    } else
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"type":"about:blank","title":"Not Found","status":404}');
  });
  await new Promise<void>((resolve) => server.listen(port, config.host, resolve));
  return server;
}
