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

/** The attempt limit or the request deadline passed before the whole answer arrived. */
export class DownstreamTimeoutError extends DownstreamError {
  readonly clientStatus = 504;
  constructor(service: string) {
    super(service, `The ${service} service did not answer in time`);
  }
}

/** Connection refused or reset, or any other transport failure. */
export class DownstreamConnectionError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(service: string, readonly code?: string) {
    super(service, `The ${service} service could not be reached`);
  }
}

/** The answer was not JSON, did not fit the contract's shape, or was larger than allowed. */
export class DownstreamBadResponseError extends DownstreamError {
  readonly clientStatus = 502;
  constructor(service: string, readonly reason: string) {
    super(service, `The ${service} service sent an invalid answer`);
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
