import { isValidTraceparent, newTraceparent, safeForwardedHost, safeTracestate, unsafeTargetReason } from './request-guard';

describe('unsafeTargetReason', () => {
  it.each(['/api/catalog/brands', '/api/catalog/brands?q=a%2Fb&x=..', '/api/items/42', '/api/items/a.b', '/api/items/%62rands'])(
    'lets %s through',
    (target) => {
      expect(unsafeTargetReason(target)).toBeUndefined();
    },
  );

  it.each([
    ['http://evil.example/api/catalog/brands', /absolute-form/],
    ['https://evil.example/', /absolute-form/],
    ['evil.example:443', /absolute-form/],
    ['*', /absolute-form/],
    ['//evil.example/api', /absolute-form/],
    ['/api/catalog/brands#x', /fragment/],
    ['/api/catalog/../catalog/brands', /"\." or "\.\." segments/],
    ['/api/catalog/brands/..', /"\." or "\.\." segments/],
    ['/api/./catalog', /"\." or "\.\." segments/],
    ['/api/..;x/catalog', /"\." or "\.\." segments/],
    ['/api/%2e%2e/admin', /encoded/],
    ['/api/%2E%2e/admin', /encoded/],
    ['/api/.%2E/admin', /encoded/],
    ['/api/%252e%252e/admin', /encoded/],
    ['/api/catalog%2fbrands', /encoded/],
    ['/api/catalog%2Fbrands', /encoded/],
    ['/api/catalog%5cbrands', /encoded/],
    ['/api/catalog%5Cbrands', /encoded/],
    ['/api/catalog%00', /encoded/],
    ['/api/%c0%ae%c0%ae/x', /encoded/],
    ['/api\\catalog', /backslash/],
  ])('refuses %s', (target, reason) => {
    expect(unsafeTargetReason(target)).toMatch(reason);
  });
});

describe('trace context', () => {
  it('accepts a valid version-00 traceparent only', () => {
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(true);
    expect(isValidTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBe(false);
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBe(false);
    expect(isValidTraceparent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01')).toBe(false);
    expect(isValidTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(false);
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nx: y')).toBe(false);
    expect(isValidTraceparent(undefined)).toBe(false);
  });
  it('starts new, valid, distinct traces', () => {
    const a = newTraceparent();
    expect(isValidTraceparent(a)).toBe(true);
    expect(newTraceparent()).not.toBe(a);
  });
  it('relays only a sane tracestate', () => {
    expect(safeTracestate('vendor=abc')).toBe('vendor=abc');
    expect(safeTracestate('x'.repeat(513))).toBeUndefined();
    expect(safeTracestate('a=\u0001')).toBeUndefined();
  });
});

describe('safeForwardedHost', () => {
  it.each(['bff.example.com', 'localhost:4000', '127.0.0.1:4000', '[::1]:4000'])('keeps %s', (h) => {
    expect(safeForwardedHost(h)).toBe(h);
  });
  it.each(['evil.example/x', 'a b', 'host:port', 'x@y', '', undefined])('drops %s', (h) => {
    expect(safeForwardedHost(h)).toBeUndefined();
  });
});
