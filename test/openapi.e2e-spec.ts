import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { openApiDocument } from '@app/platform';
import { listen, OpenApiAnswerValidator, startBff, testConfig, type RunningApp } from '@app/testing';

type Json = Record<string, any>;
type Auth = 'required' | 'optional' | 'none';

/** CONTRACTS.md §3, route by route: method, path, auth, success status and body schema, route-specific errors. */
const WEB_ROUTES: Array<[string, string, Auth, number, string | null, number[]]> = [
  ['get', '/api/home', 'optional', 200, 'WebHome', []],
  ['get', '/api/products', 'optional', 200, 'WebProductPage', []],
  ['get', '/api/products/{id}', 'optional', 200, 'WebProductDetail', [404]],
  ['get', '/api/products/{id}/picture', 'none', 200, null, [404]],
  ['get', '/api/basket', 'required', 200, 'WebBasket', []],
  ['post', '/api/basket/items', 'required', 200, 'WebBasket', [422]],
  ['put', '/api/basket/items', 'required', 200, 'WebBasket', [422]],
  ['delete', '/api/basket/items/{basketItemId}', 'required', 200, 'WebBasket', [404]],
  ['get', '/api/checkout/draft', 'required', 200, 'CheckoutDraft', [422]],
  ['post', '/api/checkout', 'required', 202, 'CheckoutAccepted', [400, 422]],
  ['get', '/api/orders', 'required', 200, 'WebOrderList', []],
  ['get', '/api/orders/{orderNumber}', 'required', 200, 'WebOrder', [404]],
  ['post', '/api/orders/{orderNumber}/cancel', 'required', 200, 'CancelledOrder', [404, 409]],
  ['get', '/health/live', 'none', 200, null, []],
  ['get', '/health/ready', 'none', 200, null, [503]],
  ['get', '/metrics', 'none', 200, null, []],
];
const MOBILE_ROUTES: Array<[string, string, Auth, number, string | null, number[]]> = [
  ['get', '/api/home', 'optional', 200, 'MobileHome', []],
  ['get', '/api/products', 'optional', 200, 'MobileProductPage', []],
  ['get', '/api/products/{id}', 'optional', 200, 'MobileProductDetail', [404]],
  ['get', '/api/products/{id}/picture', 'none', 200, null, [404]],
  ['get', '/api/basket', 'required', 200, 'MobileBasket', []],
  ['post', '/api/basket/items', 'required', 200, 'MobileBasket', [422]],
  ['put', '/api/basket/items', 'required', 200, 'MobileBasket', [422]],
  ['delete', '/api/basket/items/{basketItemId}', 'required', 200, 'MobileBasket', [404]],
  ['post', '/api/checkout', 'required', 202, 'CheckoutAccepted', [400, 422]],
  ['get', '/api/orders', 'required', 200, 'MobileOrderPage', []],
  ['get', '/health/live', 'none', 200, null, []],
  ['get', '/health/ready', 'none', 200, null, [503]],
  ['get', '/metrics', 'none', 200, null, []],
];

/** Fields that hold whole numbers wherever they appear (basket line ids are strings). */
const INTEGER_FIELDS =
  /^(?!(basketItemId|requestId|buyerId)$)(id|\w+Id|pageIndex|pageSize|count|itemCount|basketCount|basketQuantity|quantity|units|availableStock|orderNumber)$/;

function resolve(doc: Json, node: Json): Json {
  return node?.$ref
    ? node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((n: Json, p: string) => n[p], doc)
    : node;
}

describe.each([
  ['web-bff', createWebBff, WEB_ROUTES],
  ['mobile-bff', createMobileBff, MOBILE_ROUTES],
] as const)('%s /docs-json', (name, create, routes) => {
  let bff: RunningApp;
  let doc: Json;

  beforeAll(async () => {
    // No downstream is called for the document.
    bff = await startBff(name, create, {});
    const res = await fetch(`${bff.url}/docs-json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Json;
  });
  afterAll(() => bff?.close());

  it('is the document built once from the code, gateway routes included', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument(bff.app))));
    expect(doc.paths['/api/catalog/brands']?.get?.tags).toEqual(['gateway']);
  });

  it.each(routes)('documents %s %s: auth, success schema and error answers', (method, path, auth, status, schema, own) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op.security).toEqual(auth === 'required' ? [{ bearer: [] }] : auth === 'optional' ? [{ bearer: [] }, {}] : []);
    const ok = op.responses[String(status)];
    if (schema) expect(ok.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schema}` });
    expect(ok.headers['x-request-id'].required).toBe(true);
    const errors = [400, 403, ...(path.startsWith('/api/') ? [429, 502, 503, 504] : []), ...(auth !== 'none' ? [401] : []), ...own];
    if (method !== 'get') errors.push(413, 415);
    for (const code of errors) {
      const answer = resolve(doc, op.responses[String(code)]);
      expect({ code, content: answer?.content }).toEqual({
        code,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      });
      expect(answer.headers['x-request-id']).toBeDefined();
      if (code === 429 || code === 503) expect(answer.headers['retry-after']).toBeDefined();
    }
    if (method === 'get' && !path.endsWith('/picture')) {
      expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]));
      expect(op.responses['304']).toBeDefined();
      expect(ok.headers.etag.required).toBe(true);
    }
  });

  it('has one Problem schema with errors[] and no other error schema', () => {
    const problem = doc.components.schemas.Problem;
    expect(problem.required.sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
    expect(problem.properties.status.type).toBe('integer');
    expect(resolve(doc, problem.properties.errors.items).required.sort()).toEqual(['field', 'message']);
    expect(
      Object.keys(doc.components.schemas)
        .filter((s) => /problem/i.test(s))
        .sort(),
    ).toEqual(['Problem', 'ProblemFieldError']);
  });

  it('types whole numbers as integer and lists degraded parts as a string array', () => {
    const wrong: string[] = [];
    for (const [schemaName, schema] of Object.entries(doc.components.schemas as Json)) {
      for (const [field, prop] of Object.entries((schema.properties ?? {}) as Json)) {
        if (INTEGER_FIELDS.test(field) && !(field === 'id' && /BasketLine$/.test(schemaName)) && prop.type !== 'integer')
          wrong.push(`${schemaName}.${field}: ${prop.type}`);
        if (field === 'degraded') {
          expect(prop.type).toBe('array');
          expect(prop.items.type).toBe('string');
          expect(schema.required).toContain('degraded');
        }
      }
    }
    for (const item of Object.values(doc.paths as Json)) {
      for (const op of Object.values(item as Json)) {
        for (const p of op.parameters ?? [])
          if (INTEGER_FIELDS.test(p.name) || p.name === 'limit')
            expect({ p: p.name, type: p.schema.type }).toEqual({ p: p.name, type: 'integer' });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('documents the picture route’s image media types and checkout’s Idempotency-Key', () => {
    expect(Object.keys(doc.paths['/api/products/{id}/picture'].get.responses['200'].content)).toEqual(
      expect.arrayContaining(['image/png', 'image/webp']),
    );
    const key = doc.paths['/api/checkout'].post.parameters.find((p: Json) => p.name === 'Idempotency-Key');
    expect(key).toMatchObject({ in: 'header', required: true, schema: { type: 'string', format: 'uuid' } });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('/docs-json with ADMIN_PORT', () => {
  it('is served on the admin listener, complete with the gateway routes', async () => {
    const config = testConfig('web-bff', { ADMIN_PORT: '0' });
    const app = await listen(await createWebBff(config));
    try {
      expect((await fetch(`${app.url}/docs-json`)).status).toBe(404);
      const doc = openApiDocument(app.app) as unknown as Json;
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/home', '/api/catalog/brands', '/api/orders/cardtypes']));
      // /metrics moved with it: the main listener's document does not offer it.
      expect(doc.paths['/metrics']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('the answer validator', () => {
  let validator: OpenApiAnswerValidator;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1', etag: 'W/"x"', 'cache-control': 'no-cache' };
  const product = {
    id: 1,
    name: 'n',
    description: '',
    price: 1.5,
    pictureUri: '/api/products/1/picture',
    brand: null,
    type: 'Mug',
    availableStock: 3,
  };
  const detail = (over: Json = {}) => JSON.stringify({ product, basketQuantity: null, degraded: [], ...over });

  beforeAll(async () => {
    const app = await createWebBff(testConfig('web-bff', {}));
    await app.init();
    validator = new OpenApiAnswerValidator(openApiDocument(app) as unknown as Json);
    await app.close();
  });

  it('accepts an answer that matches the document', () => {
    expect(validator.check({ method: 'GET', target: '/api/products/1', status: 200, headers, body: detail() })).toEqual([]);
  });

  it('names undeclared fields, missing or mistyped fields, unknown statuses, media types and missing headers', () => {
    const check = (over: Partial<Parameters<OpenApiAnswerValidator['check']>[0]>) =>
      validator.check({ method: 'GET', target: '/api/products/1', status: 200, headers, body: detail(), ...over }).join('\n');
    expect(check({ body: detail({ extra: 1 }) })).toMatch(/additional properties \(extra\)/);
    expect(check({ body: JSON.stringify({ product, degraded: [] }) })).toMatch(/basketQuantity/);
    expect(check({ body: detail({ basketQuantity: 1.5 }) })).toMatch(/basketQuantity must be integer/);
    expect(check({ body: detail({ degraded: ['catalog'] }) })).toMatch(/degraded\/0 must be equal to one of the allowed values/);
    expect(check({ status: 409 })).toMatch(/status 409 is not documented/);
    expect(check({ headers: { ...headers, 'content-type': 'text/html' } })).toMatch(/content-type "text\/html" is not documented/);
    expect(check({ headers: { ...headers, 'x-request-id': undefined } })).toMatch(/required header x-request-id is missing/);
    expect(
      check({ status: 404, headers: { ...headers, 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'x' }) }),
    ).toMatch(/must have required property/);
    expect(check({ method: 'PATCH', status: 200 })).toMatch(/PATCH is not documented/);
  });
});
