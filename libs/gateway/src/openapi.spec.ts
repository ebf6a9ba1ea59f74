import { documentGatewayRoutes, gatewayOpenApiPaths } from './openapi';
import { validateRouteTable } from './route-table';
import { SHARED_ROUTES } from './shared-routes';

const routes = validateRouteTable(
  [
    SHARED_ROUTES.catalogBrands,
    {
      path: '/api/items/:id',
      methods: ['GET', 'PUT'],
      service: 'catalog',
      downstreamPath: '/api/v1/items/:id',
      auth: 'required',
      cacheTtlMs: 0,
      rateLimitClass: 'x',
      params: { id: 'int' },
      query: ['fields'],
    },
  ],
  { catalog: ['http://catalog.internal:5101'] },
);

describe('gateway OpenAPI', () => {
  it('documents each method of each route, with parameters, security and problem answers', () => {
    const paths = gatewayOpenApiPaths(routes);
    expect(Object.keys(paths)).toEqual(['/api/catalog/brands', '/api/items/{id}']);
    expect(Object.keys(paths['/api/items/{id}'])).toEqual(['get', 'put']);
    const get = paths['/api/items/{id}'].get as any;
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{1,10}$' } },
      { name: 'fields', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '502', '504']));
    expect((paths['/api/catalog/brands'].get as any).security).toBeUndefined();
    expect((paths['/api/catalog/brands'].get as any).description).toMatch(/public, max-age=60/);
  });

  it('never names a downstream host or path', () => {
    const text = JSON.stringify(gatewayOpenApiPaths(routes));
    expect(text).not.toMatch(/internal|5101|\/api\/v1\//);
  });

  it('merges into a document without dropping what is there', () => {
    const doc = documentGatewayRoutes({ paths: { '/api/home': { get: { ok: true } } }, tags: [{ name: 'home' }] }, routes);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/catalog/brands', '/api/home', '/api/items/{id}']);
    expect(doc.tags?.map((t) => t.name)).toEqual(['home', 'gateway']);
    expect((doc as any).components.schemas.Problem.required).toContain('requestId');
  });
});
