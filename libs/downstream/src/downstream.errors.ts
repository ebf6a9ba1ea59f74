/**
 * What can go wrong when calling a downstream, as typed errors. Each names the *service* (catalog, basket…),
 * never its host, and says which status the client should see if the part was required.
 */
export abstract class DownstreamError extends Error {
  /** Status for the client when a required part fails this way. */
  abstract readonly clientStatus: 502 | 503 | 504;
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The downstream answered with a non-2xx status the caller did not handle (e.g. 500, or 401 from a relayed token). */
export class DownstreamStatusError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(
    service: string,
    readonly status: number,
  ) {
    super(service, `The ${service} service answered ${status}`);
  }
}

/**
 * The attempt limit or the request deadline passed before the whole answer arrived. Only `attempt`
 * timeouts are the instance's fault; a `deadline` cut (or an attempt never sent for lack of time)
 * says nothing about the instance and is not counted by its breaker.
 */
export class DownstreamTimeoutError extends DownstreamError {
  readonly clientStatus = 504;
  constructor(
    service: string,
    readonly limit: 'attempt' | 'deadline' = 'attempt',
  ) {
    super(service, `The ${service} service did not answer in time`);
  }
}

/** Undici codes of a connection that never carried the request: safe to send elsewhere, whatever the method. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Codes of a connection lost on the way (the request may have arrived): only idempotent calls go elsewhere. */
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

/** Connection refused or reset, or any other transport failure. */
export class DownstreamConnectionError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(
    service: string,
    readonly code?: string,
  ) {
    super(service, `The ${service} service could not be reached`);
  }

  /** Nothing reached the instance (refused, unreachable, connect timeout). */
  get neverSent(): boolean {
    return this.code !== undefined && NEVER_SENT.has(this.code);
  }

  /** The connection itself failed (never sent, or reset): counts towards ejecting the instance. */
  get connectFailure(): boolean {
    return this.neverSent || (this.code !== undefined && RESET.has(this.code));
  }
}

/** The call was abandoned on purpose (a hedge that lost, a client that went away): nobody's fault. */
export class DownstreamCancelledError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(service: string) {
    super(service, `The call to the ${service} service was cancelled`);
  }
}

/** The answer was not JSON, did not fit the contract's shape, or was larger than allowed. */
export class DownstreamBadResponseError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(
    service: string,
    readonly reason: string,
  ) {
    // The reason (e.g. the field path of a shape error) is for logs; clients only see the message.
    super(service, `The ${service} service sent an invalid answer`);
  }

  override toString(): string {
    return `${this.name}: ${this.message} (${this.reason})`;
  }
}

/** We did not call at all: the circuit is open or the service is shedding load. Carries a retry hint. */
export class DownstreamUnavailableError extends DownstreamError {
  readonly clientStatus = 503;
  constructor(
    service: string,
    readonly retryAfterSec = 5,
  ) {
    super(service, `The ${service} service is unavailable`);
  }
}

/** Does this failure say something about the instance (and so count in its breaker)? */
export function isInstanceFault(err: unknown): boolean {
  if (err instanceof DownstreamStatusError) return err.status >= 500;
  if (err instanceof DownstreamTimeoutError) return err.limit === 'attempt';
  if (err instanceof DownstreamCancelledError || err instanceof DownstreamUnavailableError) return false;
  return true;
}
