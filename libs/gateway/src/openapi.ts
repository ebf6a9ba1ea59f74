import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { addOpenApiContributor } from '@app/platform';
import { registeredGatewayRoutes } from './gateway';
import type { CompiledRoute } from './route-table';

/** The part of an OpenAPI 3 document the gateway adds to. */
export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
}

const PATTERN_SOURCES: Record<string, string> = { int: '^[0-9]{1,10}$', slug: '^[A-Za-z0-9_-]{1,64}$' };
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/**
 * The relayed answers whose shape the downstream contract fixes (CONTRACTS.md §1), by downstream path.
 * Downstreams may add fields (they are relayed unchanged), so objects stay open.
 */
const idAnd = (field: string) => ({
  type: 'array',
  items: {
    type: 'object',
    required: ['id', field],
    additionalProperties: true,
    properties: { id: { type: 'integer' }, [field]: { type: 'string' } },
  },
});
const CONTRACT_ANSWERS: Record<string, Record<string, unknown>> = {
  '/api/v1/catalog/catalogbrands': idAnd('brand'),
  '/api/v1/catalog/catalogtypes': idAnd('type'),
  '/api/v1/orders/cardtypes': idAnd('name'),
};

/**
 * OpenAPI path items for the table's routes (tag `gateway`): path parameters with their patterns,
 * bearer security on auth-required routes, the relayed answer's schema where the downstream contract
 * fixes it, and the problem answers the gateway itself gives (the platform adds the ones every route
 * can give). Never names a downstream host or path.
 */
export function gatewayOpenApiPaths(routes: readonly CompiledRoute[]): OpenApiLike['paths'] {
  const paths: OpenApiLike['paths'] = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const item = (paths[openApiPath] ??= {});
    for (const method of route.methods) {
      const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: PROBLEM_REF } } });
      const schema = method === 'GET' ? CONTRACT_ANSWERS[route.downstreamPath] : undefined;
      const responses: Record<string, unknown> = {
        '200': {
          description: `Relayed unchanged (streamed) from the ${route.service} service`,
          ...(schema ? { content: { 'application/json': { schema } } } : {}),
        },
        ...(method === 'GET' ? { '304': { description: 'Not modified (If-None-Match, relayed)' } } : {}),
        '400': problem(
          Object.keys(route.matchers).length > 0
            ? 'A path parameter does not match its pattern, or the request target is unsafe'
            : 'The request target is unsafe',
        ),
        ...(route.auth === 'required' ? { '401': problem('No valid bearer token') } : {}),
        '4XX': problem(`The ${route.service} service refused the request (same status, no downstream body)`),
        '502': problem(`The ${route.service} service failed or could not be reached`),
        '504': problem(`The ${route.service} service did not answer in time`),
      };
      item[method.toLowerCase()] = {
        tags: ['gateway'],
        operationId: `gateway_${method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`,
        summary: `Passthrough to the ${route.service} service`,
        description:
          `Cache: ${route.cacheTtlMs > 0 ? `public, max-age=${Math.floor(route.cacheTtlMs / 1000)} for anonymous GETs` : 'private, no-store'}. ` +
          `Rate-limit class: ${route.rateLimitClass}.`,
        parameters: [
          ...route.segments
            .filter((s): s is Extract<typeof s, { kind: 'param' }> => s.kind === 'param')
            .map((s) => ({ name: s.name, in: 'path', required: true, schema: { type: 'string', pattern: patternSource(route, s.name) } })),
          ...(route.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
        ],
        ...(route.auth === 'required' ? { security: [{ bearer: [] }] } : {}),
        responses,
      };
    }
  }
  return paths;
}

/** Adds the table's routes to an OpenAPI document (in place) and returns it; idempotent. */
export function documentGatewayRoutes<T extends OpenApiLike>(document: T, routes: readonly CompiledRoute[]): T {
  for (const [path, item] of Object.entries(gatewayOpenApiPaths(routes))) {
    const existing = document.paths[path] ?? {};
    // A document already completed by the platform keeps its (richer) operations.
    const fresh = Object.fromEntries(Object.entries(item).filter(([method]) => !isCompleted(existing[method])));
    document.paths[path] = { ...existing, ...fresh };
  }
  if (!document.tags?.some((t) => t.name === 'gateway')) {
    document.tags = [...(document.tags ?? []), { name: 'gateway', description: 'Routes relayed unchanged to a downstream service' }];
  }
  const doc = document as T & { components?: { schemas?: Record<string, unknown> } };
  if (!doc.components?.schemas?.Problem)
    doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: PROBLEM_SCHEMA } };
  return document;
}

function isCompleted(op: unknown): boolean {
  return (
    typeof op === 'object' &&
    op !== null &&
    (op as { tags?: string[] }).tags?.includes('gateway') === true &&
    '429' in ((op as { responses?: object }).responses ?? {})
  );
}

function patternSource(route: CompiledRoute, name: string): string {
  const declared = route.params?.[name];
  if (typeof declared === 'string') return PATTERN_SOURCES[declared] ?? route.matchers[name].source;
  return route.matchers[name].source;
}

/** The platform's Problem schema, for documents the platform did not build (the gateway alone). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

/** Every BFF document lists the gateway routes registered on that app (built once, after registration). */
addOpenApiContributor((app: NestFastifyApplication, document) => {
  const routes = registeredGatewayRoutes(app.getHttpAdapter().getInstance());
  if (routes.length > 0) documentGatewayRoutes(document as unknown as OpenApiLike, routes);
});
