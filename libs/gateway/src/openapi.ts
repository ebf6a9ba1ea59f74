import type { CompiledRoute } from './route-table';

/** The part of an OpenAPI 3 document the gateway adds to. */
export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
}

const PATTERN_SOURCES: Record<string, string> = { int: '^[0-9]{1,10}$', slug: '^[A-Za-z0-9_-]{1,64}$' };

/**
 * OpenAPI path items for the table's routes (tag `gateway`): path parameters with their patterns,
 * bearer security on auth-required routes, and the problem answers the gateway itself gives.
 * Never names a downstream host or path.
 */
export function gatewayOpenApiPaths(routes: readonly CompiledRoute[]): OpenApiLike['paths'] {
  const paths: OpenApiLike['paths'] = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const item = (paths[openApiPath] ??= {});
    for (const method of route.methods) {
      const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/GatewayProblem' } } } });
      const responses: Record<string, unknown> = {
        '200': { description: `Relayed unchanged (streamed) from the ${route.service} service` },
        ...(route.methods.includes('GET') && method === 'GET' ? { '304': { description: 'Not modified (If-None-Match)' } } : {}),
        ...(Object.keys(route.matchers).length > 0 ? { '400': problem('A path parameter does not match its pattern') } : {}),
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

/** Adds the table's routes to an OpenAPI document (in place) and returns it. */
export function documentGatewayRoutes<T extends OpenApiLike>(document: T, routes: readonly CompiledRoute[]): T {
  for (const [path, item] of Object.entries(gatewayOpenApiPaths(routes))) document.paths[path] = { ...document.paths[path], ...item };
  if (!document.tags?.some((t) => t.name === 'gateway')) {
    document.tags = [...(document.tags ?? []), { name: 'gateway', description: 'Routes relayed unchanged to a downstream service' }];
  }
  const doc = document as T & { components?: { schemas?: Record<string, unknown> } };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, GatewayProblem: PROBLEM_SCHEMA } };
  return document;
}

function patternSource(route: CompiledRoute, name: string): string {
  const declared = route.params?.[name];
  if (typeof declared === 'string') return PATTERN_SOURCES[declared] ?? route.matchers[name].source;
  return route.matchers[name].source;
}

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
