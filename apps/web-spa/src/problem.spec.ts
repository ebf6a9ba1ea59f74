import { degradedWords, plainWords } from './problem';

const problem = (status: number, extra: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: 'x',
  status,
  instance: '/api/x',
  requestId: 'r-1',
  ...extra,
});
const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('plainWords (problem+json → a sentence for the shopper)', () => {
  it('lists the field messages of a 400, else its detail', () => {
    const errors = [
      { field: 'cardNumber', message: 'cardNumber must be 12 to 19 digits' },
      { field: 'zipCode', message: 'zipCode must not be empty' },
    ];
    expect(plainWords(answer(400), problem(400, { errors }), 'placing your order')).toBe(
      'Please check your entry: cardNumber must be 12 to 19 digits; zipCode must not be empty.',
    );
    expect(plainWords(answer(400), problem(400, { detail: 'The Idempotency-Key header must be a UUID' }), 'x')).toBe(
      'Please check your entry: The Idempotency-Key header must be a UUID',
    );
  });

  it("uses the BFF's detail for 404, 409 and 422, with a fallback when there is none", () => {
    expect(plainWords(answer(409), problem(409, { detail: 'Order 7 can no longer be cancelled' }), 'x')).toBe(
      'Order 7 can no longer be cancelled',
    );
    expect(plainWords(answer(422), problem(422), 'x')).toBe('That could not be done.');
    expect(plainWords(answer(404), 'not json', 'x')).toBe('We could not find that.');
  });

  it('asks to sign in on 401 and says how long to wait on 429', () => {
    expect(plainWords(answer(401), problem(401), 'x')).toBe('Please sign in (again) to continue.');
    expect(plainWords(answer(429, { 'retry-after': '12' }), problem(429), 'x')).toBe(
      'Too many requests. Please wait 12 seconds and try again.',
    );
    expect(plainWords(answer(429), problem(429), 'x')).toBe('Too many requests. Please wait a moment and try again.');
  });

  it('never shows a downstream detail for 502/503/504, only what did not work', () => {
    for (const status of [502, 503, 504]) {
      const text = plainWords(answer(status), problem(status, { detail: 'basket: upstream timeout' }), 'loading your basket');
      expect(text).toBe('Part of the shop is not answering right now, so loading your basket did not work. Please try again in a moment.');
    }
    expect(plainWords(answer(500), undefined, 'loading the catalog')).toBe(
      'Something went wrong while loading the catalog (error 500). Please try again.',
    );
  });

  it('names degraded parts in words', () => {
    expect(degradedWords('basket')).toMatch(/^Your basket could not be loaded right now/);
    expect(degradedWords('brands')).toBe(degradedWords('types'));
    expect(degradedWords('catalog')).toMatch(/prices/);
    expect(degradedWords('reviews')).toBe('Some information (reviews) could not be loaded right now.');
  });
});
