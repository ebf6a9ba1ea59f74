import { EventEmitter } from 'node:events';
import { finished, Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { childTraceparent, RequestContextStore } from '@app/context';
import {
  DownstreamBadResponseError,
  DownstreamCancelledError,
  DownstreamConnectionError,
  DownstreamError,
  DownstreamStatusError,
  DownstreamTimeoutError,
} from '../downstream.errors';
import { contractMismatch, ShapeError } from '../shape';
import type { Answer, TransportCall } from './policy';
import { traceparentOf, type AttemptStart, type Telemetry } from './telemetry';
import { DEADLINE_MARGIN_MS } from './transport-stats';

export interface AttemptOptions {
  /** Limit on one attempt: headers and body of a JSON answer, headers of a streamed one (DOWNSTREAM_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  /** JSON answers larger than this are cut off and count as a bad answer. */
  maxBodyBytes: number;
}

type Cut = 'attempt' | 'deadline' | 'cancelled';

interface Limit {
  /** What undici listens on: an EventEmitter emitting 'abort' (undici takes one in place of an AbortSignal). */
  signal: EventEmitter;
  /** Why the attempt was aborted, if it was. */
  cut(): Cut | undefined;
  done(): void;
}

/**
 * The terminal step: one HTTP exchange with the instance the balancer chose (undici keep-alive
 * pool, no redirects). One timer per attempt: the attempt limit or the request deadline (less a
 * margin), whichever comes first — re-armed when coalescing moved the deadline later — plus the
 * caller's abort signal. Errors become DownstreamErrors that say whether the instance is to blame.
 */
export class AttemptStep {
  constructor(
    private readonly options: AttemptOptions,
    private readonly telemetry: Telemetry,
  ) {}

  readonly run = async (call: TransportCall): Promise<Answer> => {
    const limit = this.limit(call);
    const started = this.telemetry.begin(call.method, call.path);
    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatch(call, limit.signal, started);
    } catch (err) {
      limit.done();
      throw this.mapError(err, limit, started);
    }
    if (call.mode === 'stream') {
      limit.done();
      return this.streamed(call, res, started);
    }
    try {
      return await this.read(call, res, started);
    } catch (err) {
      throw this.mapError(err, limit, started);
    } finally {
      limit.done();
    }
  };

  private async read(call: TransportCall, res: Dispatcher.ResponseData, started: AttemptStart): Promise<Answer> {
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      // Never read (or leak) an error body; just free the socket.
      await res.body.dump().catch(() => undefined);
      this.telemetry.record(started, String(status));
      if (allowed(call, status)) return { status };
      throw new DownstreamStatusError(this.telemetry.service, status);
    }
    if (!call.expect) {
      await res.body.dump().catch(() => undefined);
      this.telemetry.record(started, String(status));
      return { status };
    }
    const text = await this.readCapped(res);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DownstreamBadResponseError(this.telemetry.service, 'not JSON');
    }
    if (!call.expect(parsed)) throw new ShapeError(call.expect.explain(parsed));
    this.telemetry.record(started, String(status));
    return { status, body: parsed };
  }

  /** Headers came within the attempt limit; the body (piped at the client's pace) may use what is left of the deadline, not more. */
  private streamed(call: TransportCall, res: Dispatcher.ResponseData, started: AttemptStart): Answer {
    const left = call.deadline - Date.now();
    if (Number.isFinite(left)) {
      const service = this.telemetry.service;
      const cutoff = setTimeout(() => res.body.destroy(new DownstreamTimeoutError(service, 'deadline')), Math.max(0, left));
      res.body.once('close', () => clearTimeout(cutoff));
    }
    const status = res.statusCode;
    this.telemetry.record(started, String(status));
    if (status >= 300 && !allowed(call, status)) {
      res.body.dump().catch(() => undefined);
      throw new DownstreamStatusError(this.telemetry.service, status);
    }
    return { status, headers: res.headers, stream: res.body };
  }

  private dispatch(call: TransportCall, signal: EventEmitter, at: AttemptStart): Promise<Dispatcher.ResponseData> {
    const instance = call.instance!;
    const ctx = RequestContextStore.current();
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (ctx) {
      headers['x-request-id'] = ctx.requestId;
      if (at.span) headers.traceparent = traceparentOf(at.span.trace);
      else if (ctx.trace) headers.traceparent = childTraceparent(ctx.trace);
    }
    if (call.relayAuth && ctx?.authorization) headers.authorization = ctx.authorization;
    let body: string | Readable | undefined;
    if (call.body instanceof Readable) body = call.body;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    return instance.pool.request({
      method: call.method,
      path: instance.prefix + call.path,
      headers,
      body,
      signal,
      ...(call.bodyPauseMs ? { bodyTimeout: call.bodyPauseMs } : {}),
    } as Dispatcher.RequestOptions);
  }

  /**
   * An EventEmitter rather than an AbortController: making an AbortSignal and listening on it cost
   * ≈ 3 % of the busy time on the bench mix (one per attempt), and nothing but undici sees it.
   */
  private limit(call: TransportCall): Limit {
    const signal = new EventEmitter();
    let cut: Cut | undefined;
    let timer: NodeJS.Timeout | undefined;
    const abort = (why: Cut) => {
      if (cut) return;
      cut = why;
      signal.emit('abort');
    };
    const endsAt = Date.now() + this.options.attemptTimeoutMs;
    const arm = () => {
      const now = Date.now();
      const untilDeadline = call.deadline - DEADLINE_MARGIN_MS - now;
      const untilLimit = endsAt - now;
      if (untilDeadline <= 0) return abort('deadline');
      if (untilLimit <= 0) return abort('attempt');
      timer = setTimeout(arm, Math.min(untilDeadline, untilLimit));
    };
    arm();
    const outer = call.signal;
    const onOuter = () => abort('cancelled');
    if (outer?.aborted) onOuter();
    else outer?.addEventListener('abort', onOuter, { once: true });
    return {
      signal,
      cut: () => cut,
      done: () => {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuter);
      },
    };
  }

  /**
   * The body as text, refused past maxBodyBytes. Events and one promise rather than `for await`, which
   * makes several promises per chunk (each one tracked by AsyncLocalStorage on the hot path).
   */
  private readCapped(res: Dispatcher.ResponseData): Promise<string> {
    const max = this.options.maxBodyBytes;
    const body = res.body;
    const service = this.telemetry.service;
    if (Number(res.headers['content-length']) > max) {
      discardBody(body);
      return Promise.reject(new DownstreamBadResponseError(service, 'body too large'));
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= max) return void chunks.push(chunk);
        tooLarge = true;
        body.off('data', onData);
        discardBody(body);
      };
      body.on('data', onData);
      // finished() reports end, error (an abort included) and a close before the end alike.
      finished(body, (err) => {
        if (tooLarge) reject(new DownstreamBadResponseError(service, 'body too large'));
        else if (err) reject(err);
        else resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
      });
    });
  }

  private mapError(err: unknown, limit: Limit, started: AttemptStart): DownstreamError {
    const service = this.telemetry.service;
    const cut = limit.cut();
    let mapped: DownstreamError;
    if (err instanceof DownstreamError) mapped = err;
    else if (cut === 'cancelled') mapped = new DownstreamCancelledError(service);
    else if (cut) mapped = new DownstreamTimeoutError(service, cut);
    else if (err instanceof ShapeError) mapped = contractMismatch(service, err.message);
    else {
      const code = (err as { code?: string }).code;
      mapped =
        code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? new DownstreamTimeoutError(service)
          : new DownstreamConnectionError(service, code);
    }
    if (!(err instanceof DownstreamStatusError)) this.telemetry.record(started, cut === 'cancelled' ? 'cancelled' : mapped.name);
    return mapped;
  }
}

/** Is this non-2xx status one the caller handles itself? */
export function allowed(call: TransportCall, status: number): boolean {
  const allow = call.allow;
  return allow === undefined ? false : typeof allow === 'function' ? allow(status) : allow.includes(status);
}

/** Drops an answer body and frees its socket; the abort error undici then emits is expected, not a fault. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}
