import { SHARED_ROUTES } from './shared-routes';
import { RouteTableError, shapeOf, validateRouteTable, type GatewayRoute, type RouteTable } from './route-table';

const SERVICES = { catalog: ['http://catalog:80'], basket: ['http://basket:80'], ordering: ['http://ordering:80/prefix'] };

const brands: GatewayRoute = SHARED_ROUTES.catalogBrands;

/** The problems reported for a table with one entry changed. */
function problemsOf(table: RouteTable, services: Record<string, string[]> = SERVICES, existing?: string[]): string[] {
  try {
    validateRouteTable(table, services, { name: 'test routes', existingRoutes: existing });
  } catch (err) {
    expect(err).toBeInstanceOf(RouteTableError);
    expect((err as Error).message).toMatch(/^test routes is invalid:/);
    return (err as RouteTableError).problems;
  }
  return [];
}
const problemsOfRoute = (patch: Record<string, unknown>) => problemsOf([{ ...brands, ...patch } as GatewayRoute]);

describe('validateRouteTable', () => {
  it('accepts a good table and compiles segments, matchers and shapes', () => {
    const [r, item] = validateRouteTable(
      [
        brands,
        {
          ...brands,
          path: '/api/catalog/items/:id',
          downstreamPath: '/api/v1/catalog/items/:id',
          params: { id: 'int' },
          query: ['fields'],
          maxResponseBytes: 1024,
        },
      ],
      SERVICES,
    );
    expect(r.label).toBe('#1 GET /api/catalog/brands');
    expect(r.segments).toEqual([
      { kind: 'static', value: 'api' },
      { kind: 'static', value: 'catalog' },
      { kind: 'static', value: 'brands' },
    ]);
    expect(item.shape).toBe('/api/catalog/items/:');
    expect(item.matchers.id.test('42')).toBe(true);
    expect(item.matchers.id.test('4a')).toBe(false);
  });

  it('accepts an empty table', () => {
    expect(validateRouteTable([], SERVICES)).toEqual([]);
  });

  it('names the entry and the problem', () => {
    const problems = problemsOf([brands, { ...brands, path: '/api/catalog/types', service: 'payments' as never }]);
    expect(problems).toEqual(['#2 GET /api/catalog/types: service "payments" is not one of catalog, basket, ordering']);
  });

  it('reports every problem at once', () => {
    expect(problemsOfRoute({ cacheTtlMs: -1, rateLimitClass: '', auth: 'maybe' })).toHaveLength(3);
  });

  it.each([
    ['api/catalog', /absolute path/],
    ['/', /absolute path/],
    ['/api/catalog/', /must not end with/],
    ['/api//catalog', /segment "" is not allowed/],
    ['/api/../admin', /segment "\.\." is not allowed/],
    ['/api/./x', /segment "\." is not allowed/],
    ['/api/%2e%2e/x', /segment "%2e%2e" is not allowed/],
    ['/api/catalog/*', /segment "\*" is not allowed/],
    ['/api/a\\b', /is not allowed/],
    ['/api/items?x=1', /is not allowed/],
    ['/api/items/:id(\\d+)', /is not allowed/],
    ['/health/extra', /reserved for the platform/],
    ['/metrics', /reserved for the platform/],
  ])('refuses path %j', (path, message) => {
    expect(problemsOfRoute({ path }).join('\n')).toMatch(message);
  });

  it('refuses an unsafe downstream path', () => {
    expect(problemsOfRoute({ downstreamPath: '/api/v1/../admin' })[0]).toMatch(/downstreamPath segment "\.\."/);
    expect(problemsOfRoute({ downstreamPath: 'http://evil/x' })[0]).toMatch(/downstreamPath must be an absolute path/);
  });

  it('refuses bad methods', () => {
    expect(problemsOfRoute({ methods: [] })[0]).toMatch(/non-empty/);
    expect(problemsOfRoute({ methods: ['GET', 'GET'] })[0]).toMatch(/twice/);
    expect(problemsOfRoute({ methods: ['TRACE'] })[0]).toMatch(/"TRACE" is not one of/);
    expect(problemsOfRoute({ methods: ['HEAD'] })[0]).toMatch(/"HEAD" is not one of/);
    // The platform's edge answers PATCH with 405 before routing: a PATCH route could never be reached.
    expect(problemsOfRoute({ methods: ['PATCH'], cacheTtlMs: 0 })[0]).toMatch(/"PATCH" is not one of GET, POST, PUT, DELETE/);
  });

  it('refuses a service without base URL or with a bad one', () => {
    expect(problemsOf([brands], { ordering: ['http://o'] })[0]).toMatch(/service catalog has no base URL/);
    expect(problemsOf([brands], { catalog: ['ftp://c'] })[0]).toMatch(/must be http\(s\)/);
    expect(problemsOf([brands], { catalog: ['http://u:p@c'] })[0]).toMatch(/credentials/);
    expect(problemsOf([brands], { catalog: ['not a url'] })[0]).toMatch(/is not a URL/);
  });

  it('checks the cache TTL', () => {
    expect(problemsOfRoute({ cacheTtlMs: 1.5 })[0]).toMatch(/cacheTtlMs must be a whole number/);
    expect(problemsOfRoute({ cacheTtlMs: '60' })[0]).toMatch(/cacheTtlMs must be a whole number/);
    expect(problemsOfRoute({ cacheTtlMs: 500 })[0]).toMatch(/at least 1000/);
    expect(problemsOfRoute({ auth: 'required' })[0]).toMatch(/must be 0 on an auth-required route/);
    expect(problemsOfRoute({ methods: ['POST'] })[0]).toMatch(/only applies to GET/);
    expect(problemsOfRoute({ cacheTtlMs: 0, auth: 'required' })).toEqual([]);
  });

  it('checks the rate-limit class, query names, size cap and unknown properties', () => {
    expect(problemsOfRoute({ rateLimitClass: 'Catalog Read' })[0]).toMatch(/rateLimitClass/);
    expect(problemsOfRoute({ query: ['ok', 'bad name'] })[0]).toMatch(/query parameter name "bad name"/);
    expect(problemsOfRoute({ query: ['a', 'a'] })[0]).toMatch(/twice/);
    expect(problemsOfRoute({ maxResponseBytes: 0 })[0]).toMatch(/maxResponseBytes/);
    expect(problemsOfRoute({ cacheTTL: 5 })[0]).toMatch(/unknown property "cacheTTL"/);
  });

  describe('parameters', () => {
    const item = { path: '/api/items/:id', downstreamPath: '/api/v1/items/:id' };
    it('need a pattern each', () => {
      expect(problemsOfRoute(item)[0]).toMatch(/parameter :id has no pattern/);
    });
    it('accept named and anchored patterns', () => {
      expect(problemsOfRoute({ ...item, params: { id: 'int' } })).toEqual([]);
      expect(problemsOfRoute({ ...item, params: { id: 'uuid' } })).toEqual([]);
      expect(problemsOfRoute({ ...item, params: { id: 'slug' } })).toEqual([]);
      expect(problemsOfRoute({ ...item, params: { id: /^[a-z]{2,8}$/ } })).toEqual([]);
    });
    it.each([
      [/\d+/, /anchored RegExp/],
      [/^\d+/, /anchored RegExp/],
      [/^\d+$/g, /without g\/y/],
      [/^.+$/, /accepts the unsafe value "\."/],
      [/^[a-z/]+$/, /accepts the unsafe value "a\/b"/],
      [/^[a-z%0-9]+$/, /accepts the unsafe value "%2e%2e"/],
      [/^.*$/, /unsafe value ""/],
      ['digits', /pattern must be/],
    ])('refuse pattern %s', (pattern, message) => {
      expect(problemsOfRoute({ ...item, params: { id: pattern } })[0]).toMatch(message);
    });
    it('must be declared in path to be used downstream, and declared patterns must be used', () => {
      expect(problemsOfRoute({ ...item, downstreamPath: '/api/v1/items/:other', params: { id: 'int' } })[0]).toMatch(
        /downstreamPath uses :other, which path does not declare/,
      );
      expect(problemsOfRoute({ ...item, params: { id: 'int', extra: 'int' } })[0]).toMatch(/params.extra is not a parameter of path/);
      expect(problemsOfRoute({ path: '/api/:id/x/:id', downstreamPath: '/x', params: { id: 'int' } })[0]).toMatch(/twice/);
    });
  });

  it('refuses two entries for the same method and path, or the same path with other parameter names', () => {
    expect(problemsOf([brands, { ...brands, downstreamPath: '/other' }])).toEqual([
      '#2 GET /api/catalog/brands: GET /api/catalog/brands is already routed by #1 GET /api/catalog/brands',
    ]);
    const a: GatewayRoute = { ...brands, path: '/api/x/:id', downstreamPath: '/x/:id', params: { id: 'int' } };
    const b: GatewayRoute = {
      ...a,
      methods: ['POST'],
      cacheTtlMs: 0,
      path: '/api/x/:key',
      downstreamPath: '/x/:key',
      params: { key: 'int' },
    };
    expect(problemsOf([a, b])[0]).toMatch(/#2 POST \/api\/x\/:key: same route as #1 GET \/api\/x\/:id with other parameter names/);
    expect(problemsOf([a, { ...a, methods: ['POST'], cacheTtlMs: 0 }])).toEqual([]);
  });

  it("refuses a path with the shape of one of the app's own routes", () => {
    expect(problemsOf([brands], SERVICES, ['GET /api/catalog/:x'])).toEqual([]);
    const item: GatewayRoute = { ...brands, path: '/api/products/:pid', downstreamPath: '/x/:pid', params: { pid: 'int' } };
    expect(problemsOf([item], SERVICES, ['GET /api/products/:id'])[0]).toMatch(
      /collides with the app's own route GET \/api\/products\/:id/,
    );
    expect(problemsOf([brands], SERVICES, ['/api/catalog/brands'])[0]).toMatch(/collides/);
  });

  it('refuses something that is not a table', () => {
    expect(() => validateRouteTable({} as never, SERVICES)).toThrow(/must be an array/);
    expect(problemsOf([null as never])[0]).toMatch(/#1 \? \?: must be an object/);
  });
});

describe('shapeOf', () => {
  it('erases parameter names and wildcards', () => {
    expect(shapeOf('/api/orders/:orderNumber/cancel')).toBe('/api/orders/:/cancel');
    expect(shapeOf('/api/x/*path')).toBe('/api/x/*');
    expect(shapeOf('/api/orders/cardtypes')).toBe('/api/orders/cardtypes');
  });
});
