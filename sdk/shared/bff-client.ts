import createClient, { type Client, type Middleware } from 'openapi-fetch';

/** The bearer token: a value, or a function asked before every request (tokens kept in memory, refreshed). */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

export interface BffClientOptions {
  /** Where the BFF is, e.g. `http://localhost:4000` (or '' for same origin in a browser). */
  baseUrl: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Sent as `Authorization: Bearer <token>` when present. */
  token?: TokenSource;
}

/**
 * An openapi-fetch client typed with a BFF's `paths`: `client.GET('/api/basket')` answers
 * `{ data, error, response }` where `data` is the documented success body and `error` the Problem.
 */
export function createBffClient<Paths extends object>(options: BffClientOptions): Client<Paths> {
  const client = createClient<Paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  const { token } = options;
  if (token !== undefined) {
    const bearer: Middleware = {
      async onRequest({ request }) {
        const value = typeof token === 'function' ? await token() : token;
        if (value) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}
