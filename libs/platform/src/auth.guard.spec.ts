import { InvalidTokenError, MissingTokenError, type JwtVerifier, type Principal } from '@app/auth';
import { RequestContextStore, type RequestContext } from '@app/context';
import { authenticateCaller } from './auth.guard';

const TOKEN = 'aaa.bbb.ccc';
const alice: Principal = { sub: 'alice', name: 'Alice', scopes: [], token: TOKEN };

/** A verifier that knows `TOKEN` once verify() has been called for it, like JwtVerifier's remembered tokens. */
function verifier(): Pick<JwtVerifier, 'verify' | 'remembered'> & { verified: number } {
  const known = new Map<string, Principal>();
  return {
    verified: 0,
    remembered: (token) => known.get(token),
    async verify(token) {
      this.verified++;
      if (token !== TOKEN) throw new InvalidTokenError('The token is not valid');
      known.set(token, alice);
      return alice;
    },
  };
}

function inRequest<T>(fn: (ctx: RequestContext) => T): T {
  const ctx = { requestId: 'r', deadline: Date.now() + 5_000 } as RequestContext;
  return RequestContextStore.run(ctx, () => fn(ctx));
}

describe('authenticateCaller', () => {
  it('answers at once (no promise) without a token, and refuses one at once on required routes', () => {
    const v = verifier();
    expect(inRequest(() => authenticateCaller(v, undefined, 'optional'))).toBeUndefined();
    expect(() => inRequest(() => authenticateCaller(v, undefined, 'required'))).toThrow(MissingTokenError);
    expect(() => inRequest(() => authenticateCaller(v, 'Basic x', 'optional'))).toThrow(InvalidTokenError);
  });

  it('verifies an unknown token (a promise), then admits it at once while it is remembered', async () => {
    const v = verifier();
    const first = inRequest(async (ctx) => {
      await authenticateCaller(v, `Bearer ${TOKEN}`, 'required');
      return ctx;
    });
    expect((await first).principal).toEqual({ sub: 'alice', name: 'Alice', scopes: [] });
    inRequest((ctx) => {
      expect(authenticateCaller(v, `Bearer ${TOKEN}`, 'required')).toBeUndefined();
      expect(ctx.principal?.sub).toBe('alice');
      expect(ctx.authorization).toBe(`Bearer ${TOKEN}`);
    });
    expect(v.verified).toBe(1);
  });

  it('rejects a bad token through the promise', async () => {
    await expect(inRequest(() => authenticateCaller(verifier(), 'Bearer x.y.z', 'optional'))).rejects.toThrow(InvalidTokenError);
  });
});
