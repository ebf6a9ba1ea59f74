import { RouteMethods } from './method-not-allowed';

describe('RouteMethods', () => {
  const table = new RouteMethods();
  table.add('/api/basket/items', 'POST');
  table.add('/api/basket/items', ['PUT']);
  table.add('/api/basket/items/:id', 'DELETE');
  table.add('/api/products/:id', ['GET', 'HEAD']);
  table.add('/docs/*', 'GET');
  table.add('*', 'OPTIONS');

  it('lists the methods of every route matching a path, in a stable order', () => {
    expect(table.allowFor('/api/basket/items')).toBe('POST, PUT');
    expect(table.allowFor('/api/basket/items/abc')).toBe('DELETE');
    expect(table.allowFor('/api/products/7')).toBe('GET, HEAD');
    expect(table.allowFor('/docs/static/index.css')).toBe('GET, HEAD');
  });

  it('knows no path that no route serves (the CORS catch-all does not count)', () => {
    expect(table.allowFor('/api/products')).toBeUndefined();
    expect(table.allowFor('/api/products/')).toBeUndefined();
    expect(table.allowFor('/api/products/7/more')).toBeUndefined();
    expect(table.allowFor('/anything')).toBeUndefined();
  });
});
