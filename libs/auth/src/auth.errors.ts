/** The token is missing, malformed, expired, for someone else or signed by a key we do not trust: 401. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** The JWKS could not be fetched, so no token can be checked right now: 503, not 401. */
export class AuthUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthUnavailableError';
  }
}

/** No bearer token at all (RFC 6750: the challenge then carries no error code): 401. */
export class MissingTokenError extends InvalidTokenError {
  constructor(message = 'A bearer token is required') {
    super(message);
    this.name = 'MissingTokenError';
  }
}
