import { stringFromEnv, urlFromEnv } from './env';

/** Where tokens come from. The audience accepts either BFF: both relay user tokens here. */
export interface SampleAuthOptions {
  jwksUrl: string;
  issuer: string;
  /** Default: `['web-bff', 'mobile-bff']`. */
  audience?: string | string[];
}

export const DEFAULT_AUDIENCES = ['web-bff', 'mobile-bff'];

/** AUTH_JWKS_URL and AUTH_ISSUER, defaulting to the sample identity service's local port. */
export function sampleAuthFromEnv(): SampleAuthOptions {
  const jwksUrl = urlFromEnv('AUTH_JWKS_URL', 'http://localhost:5105/.well-known/jwks.json');
  const issuer = stringFromEnv('AUTH_ISSUER', 'http://localhost:5105');
  return { jwksUrl, issuer };
}
