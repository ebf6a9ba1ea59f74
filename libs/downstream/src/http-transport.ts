import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { RequestContextStore, remainingMs } from '@app/context';
import {
  DownstreamBadResponseError,
  DownstreamConnectionError,
  DownstreamError,
  DownstreamStatusError,
  DownstreamTimeoutError,
} from './downstream.errors';
import { ShapeError, type Check } from './shape';

export interface TransportOptions {
  /** Logical name used in errors, logs and metrics (never the host). */
  service: string;
  /** One or more base URLs (instances); calls are spread round-robin. */
  baseUrls: string[];
  /** Limit on one attempt, headers and body together (DOWNSTREAM_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  /** Answers larger than this are cut off and count as a bad answer. */
  maxBodyBytes: number;
  /** Keep-alive connections per instance. */
  connections: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallOptions<T> {
  method: HttpMethod;
  /** Path and query, already encoded, starting with `/`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Relay the caller's Authorization header (basket and ordering need it; catalog does not). */
  relayAuth?: boolean;
  /** Shape of a 2xx JSON body; omit when the answer has no body worth reading. */
  expect?: Check<T>;
  /** Non-2xx statuses the caller handles itself (e.g. 404 → "not found"); others become errors. */
  allow?: readonly number[];
}

export interface CallResult<T> {
  status: number;
  /** The checked body for a 2xx answer with `expect`; undefined otherwise. */
  body: T | undefined;
}

export interface StreamResult {
  status: number;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: Readable;
}

interface Instance {
  pool: Pool;
  /** Path prefix of the base URL, e.g. `/catalog` for `http://host/catalog`. */
  prefix: string;
}

/**
 * The one small HTTP transport under every typed client: an undici keep-alive pool per instance,
 * a hard per-attempt timeout bounded by the request deadline, a body cap, and errors mapped to
 * DownstreamError. Breakers, retries and metrics hook in around `attempt` (the resilience issue).
 */
export class HttpTransport {
  private readonly instances: Instance[];
  private next = 0;

  constructor(readonly options: TransportOptions) {
    if (options.baseUrls.length === 0) throw new Error(`${options.service}: no base URL`);
    this.instances = options.baseUrls.map((base) => {
      const url = new URL(base);
      return {
        pool: new Pool(url.origin, {
          connections: options.connections,
          keepAliveTimeout: 10_000,
          // Backstops only: the AbortSignal below enforces the real attempt limit.
          headersTimeout: options.attemptTimeoutMs * 2,
          bodyTimeout: options.attemptTimeoutMs * 2,
        }),
        prefix: url.pathname.replace(/\/+$/, ''),
      };
    });
  }

  get service(): string {
    return this.options.service;
  }

  /** Calls the downstream once and returns the checked answer, or throws a DownstreamError. */
  async call<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    return this.attempt(opts);
  }

  /** Opens a streamed GET (pictures). The attempt limit covers the headers; the body is piped by the caller. */
  async stream(path: string, allow: readonly number[] = [404]): Promise<StreamResult> {
    const { signal, done } = this.limit();
    const started = performance.now();
    try {
      const res = await this.dispatch({ method: 'GET', path }, signal);
      done();
      this.record(started, String(res.statusCode));
      if (res.statusCode >= 300 && !allow.includes(res.statusCode)) {
        res.body.dump().catch(() => undefined);
        throw new DownstreamStatusError(this.service, res.statusCode);
      }
      return {
        status: res.statusCode,
        contentType: header(res.headers['content-type']),
        contentLength: header(res.headers['content-length']),
        body: res.body,
      };
    } catch (err) {
      done();
      throw this.mapError(err, signal, started);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.pool.close().catch(() => undefined)));
  }

  private async attempt<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    const { signal, done } = this.limit();
    const started = performance.now();
    try {
      const res = await this.dispatch(opts, signal);
      const status = res.statusCode;
      if (status < 200 || status >= 300) {
        // Never read (or leak) an error body; just free the socket.
        await res.body.dump().catch(() => undefined);
        this.record(started, String(status));
        if (opts.allow?.includes(status)) return { status, body: undefined };
        throw new DownstreamStatusError(this.service, status);
      }
      if (!opts.expect) {
        await res.body.dump().catch(() => undefined);
        this.record(started, String(status));
        return { status, body: undefined };
      }
      const text = await this.readCapped(res);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DownstreamBadResponseError(this.service, 'not JSON');
      }
      if (!opts.expect(parsed)) throw new ShapeError('wrong shape');
      this.record(started, String(status));
      return { status, body: parsed };
    } catch (err) {
      throw this.mapError(err, signal, started);
    } finally {
      done();
    }
  }

  private dispatch(opts: Pick<CallOptions<unknown>, 'method' | 'path' | 'body' | 'headers' | 'relayAuth'>, signal: AbortSignal) {
    const ctx = RequestContextStore.current();
    const instance = this.instances[this.next++ % this.instances.length];
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (ctx) headers['x-request-id'] = ctx.requestId;
    if (opts.relayAuth && ctx?.authorization) headers.authorization = ctx.authorization;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    return instance.pool.request({
      method: opts.method,
      path: instance.prefix + opts.path,
      headers,
      body,
      signal,
    } as Dispatcher.RequestOptions);
  }

  /** One timer per attempt: the smaller of the attempt limit and what is left of the request deadline. */
  private limit(): { signal: AbortSignal; done: () => void } {
    const budget = Math.min(this.options.attemptTimeoutMs, remainingMs());
    const controller = new AbortController();
    if (budget <= 0) {
      controller.abort();
      return { signal: controller.signal, done: () => undefined };
    }
    const timer = setTimeout(() => controller.abort(), budget);
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  }

  private async readCapped(res: Dispatcher.ResponseData): Promise<string> {
    const max = this.options.maxBodyBytes;
    const declared = Number(res.headers['content-length']);
    if (declared > max) {
      discardBody(res.body);
      throw new DownstreamBadResponseError(this.service, 'body too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > max) {
        discardBody(res.body);
        throw new DownstreamBadResponseError(this.service, 'body too large');
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  private mapError(err: unknown, signal: AbortSignal, started: number): DownstreamError {
    let mapped: DownstreamError;
    if (err instanceof DownstreamError) mapped = err;
    else if (signal.aborted) mapped = new DownstreamTimeoutError(this.service);
    else if (err instanceof ShapeError) mapped = new DownstreamBadResponseError(this.service, err.message);
    else {
      const code = (err as { code?: string }).code;
      mapped =
        code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? new DownstreamTimeoutError(this.service)
          : new DownstreamConnectionError(this.service, code);
    }
    if (!(err instanceof DownstreamStatusError)) this.record(started, mapped.name);
    return mapped;
  }

  private record(started: number, outcome: string): void {
    const ctx = RequestContextStore.current();
    ctx?.timings.push({ service: this.service, ms: performance.now() - started, outcome });
  }
}

/** Drops an answer body and frees its socket; the abort error undici then emits is expected, not a fault. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
