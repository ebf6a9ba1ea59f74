/** Where tokens come from. The audience accepts either BFF: both relay user tokens here. */
export interface AuthOptions {
  jwksUrl: string;
  issuer: string;
  /** Default: `['web-bff', 'mobile-bff']`. */
  audience?: string | string[];
}

export const DEFAULT_AUDIENCES = ['web-bff', 'mobile-bff'];
