import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BffEnv } from './bff-env.dto';

export type BffName = 'web-bff' | 'mobile-bff';

/** Typed, validated configuration one BFF runs with. */
export interface BffConfig {
  app: BffName;
  port: number;
  host: string;
  downstreams: { catalog: string[]; basket: string[]; ordering: string[] };
  /** clockSkewSec: tolerance on exp/nbf for tokens minted by a server whose clock is slightly off. */
  auth: { jwksUrl: string; issuer: string; audience: string; clockSkewSec: number };
  redisUrl?: string;
  corsOrigins: string[];
  logLevel: string;
  requestTimeoutMs: number;
  downstreamTimeoutMs: number;
  downstreamMaxBodyBytes: number;
  downstreamConnections: number;
  cacheTtlMs: number;
  /** Catalog item lookups of concurrent requests merged into one `?ids=` call: longest wait (0: off) and most ids per call. */
  catalogBatch: { delayMs: number; maxIds: number };
  rateLimit: { max: number; windowMs: number };
  ipAllowlist: string[];
  /** Peers whose X-Forwarded-For is believed (IPs/CIDRs); empty: the socket peer is the client. */
  trustedProxies: string[];
  bodyLimitBytes: number;
  /** Deepest object/array nesting accepted in a JSON body (deeper: 400 before validation). */
  jsonMaxDepth: number;
  /** Limits on slow or silent clients: headers, whole request, idle keep-alive connection. */
  clientTimeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** Key that signs paging cursors. */
  cursorSecret: Buffer;
  resilience: {
    maxConcurrency: number;
    breaker: { errorThresholdPercentage: number; volumeThreshold: number; windowMs: number; resetTimeoutMs: number };
    retry: { maxRetries: number; budgetRatio: number; minPerSec: number; budgetTtlMs: number };
    staleIfErrorMs: number;
    /** HEDGE_AFTER_MS; undefined: the catalog's recent p95 (at least 20 ms); 0: off. */
    hedgeAfterMs?: number;
  };
  shutdownGraceMs: number;
  /** /metrics and /docs: on the main port (`main`), on a separate port, or not served (`off`). */
  admin: { mode: 'main' } | { mode: 'port'; port: number } | { mode: 'off' };
  /** OpenTelemetry export: OTLP/HTTP endpoint and service name; off when no endpoint. */
  otel?: { endpoint: string; serviceName: string };
  /** Where JSON log lines go (tests capture them); stdout when unset. Not an environment variable. */
  logStream?: { write(line: string): void };
  /** Wait between readiness turning 503 and closing the listener (load balancers notice meanwhile). */
  shutdownDelayMs: number;
}

/** Thrown at start; main prints it and exits non-zero. The message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const SAMPLE_DEFAULTS = {
  HOST: '0.0.0.0',
  CATALOG_URL: 'http://localhost:5101',
  ORDERING_URL: 'http://localhost:5102',
  BASKET_URL: 'http://localhost:5103',
  AUTH_JWKS_URL: 'http://localhost:5105/.well-known/jwks.json',
  AUTH_ISSUER: 'http://localhost:5105',
  LOG_LEVEL: 'info',
  REQUEST_TIMEOUT_MS: '3000',
  DOWNSTREAM_TIMEOUT_MS: '1000',
  CACHE_TTL_MS: '5000',
  CATALOG_BATCH_DELAY_MS: '2',
  CATALOG_BATCH_MAX_IDS: '50',
  RATE_LIMIT_MAX: '300',
  RATE_LIMIT_WINDOW_MS: '60000',
  BODY_LIMIT_BYTES: '65536',
  DOWNSTREAM_MAX_BODY_BYTES: String(2 * 1024 * 1024),
  DOWNSTREAM_CONNECTIONS: '64',
  DOWNSTREAM_MAX_CONCURRENCY: '256',
  BREAKER_ERROR_PERCENT: '50',
  BREAKER_MIN_CALLS: '10',
  BREAKER_WINDOW_MS: '10000',
  BREAKER_RESET_MS: '5000',
  RETRY_MAX: '2',
  RETRY_BUDGET_PERCENT: '20',
  RETRY_MIN_PER_SEC: '10',
  RETRY_BUDGET_TTL_MS: '10000',
  STALE_IF_ERROR_MS: '300000',
  SHUTDOWN_GRACE_MS: '10000',
  SHUTDOWN_DELAY_MS: '0',
  HEADERS_TIMEOUT_MS: '10000',
  CLIENT_REQUEST_TIMEOUT_MS: '30000',
  // Above the 60 s idle timeout of common load balancers, so the balancer, not the BFF, closes first.
  KEEP_ALIVE_TIMEOUT_MS: '65000',
  JSON_MAX_DEPTH: '32',
  AUTH_CLOCK_SKEW_SEC: '5',
};

const PER_APP_DEFAULTS: Record<BffName, Record<string, string>> = {
  'web-bff': { PORT: '4000', AUTH_AUDIENCE: 'web-bff', CORS_ORIGINS: 'http://localhost:3000' },
  'mobile-bff': { PORT: '4001', AUTH_AUDIENCE: 'mobile-bff', CORS_ORIGINS: '' },
};

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** `10.0.0.7`, `10.0.0.0/8`, `::1`, `fd00::/8`: what Fastify's trustProxy (proxy-addr) takes, checked here so a typo names the variable. */
function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash < 0) return true;
  const bits = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Reads and validates the run contract for one BFF. An empty variable counts as unset. */
export function loadBffConfig(app: BffName, env: NodeJS.ProcessEnv = process.env): BffConfig {
  const raw: Record<string, string> = { ...SAMPLE_DEFAULTS, ...PER_APP_DEFAULTS[app] };
  for (const key of BFF_ENV_KEYS) {
    const value = env[key];
    if (value !== undefined && (value !== '' || key === 'CORS_ORIGINS')) raw[key] = value;
  }
  const dto = plainToInstance(BffEnv, raw);
  const errors = validateSync(dto, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const shown = e.property in env ? ` (got ${JSON.stringify(env[e.property])})` : '';
        const messages = Object.values(e.constraints ?? {});
        const text = messages.length > 0 ? messages.join('; ') : `${e.property} is invalid`;
        return `${text.startsWith(e.property) ? '' : `${e.property}: `}${text}${shown}`;
      }),
    );
  }
  const trustedProxies = list(dto.TRUSTED_PROXIES);
  const badProxies = trustedProxies.filter((entry) => !isAddressOrCidr(entry));
  if (badProxies.length > 0) {
    throw new ConfigError([`TRUSTED_PROXIES: ${badProxies.map((e) => `"${e}"`).join(', ')} is not an IP address or CIDR`]);
  }
  if (dto.DOWNSTREAM_TIMEOUT_MS > dto.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['DOWNSTREAM_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS']);
  }
  return {
    app,
    port: dto.PORT,
    host: dto.HOST,
    downstreams: {
      catalog: list(dto.CATALOG_URL).map(trimSlash),
      basket: list(dto.BASKET_URL).map(trimSlash),
      ordering: list(dto.ORDERING_URL).map(trimSlash),
    },
    auth: { jwksUrl: dto.AUTH_JWKS_URL, issuer: dto.AUTH_ISSUER, audience: dto.AUTH_AUDIENCE, clockSkewSec: dto.AUTH_CLOCK_SKEW_SEC },
    redisUrl: dto.REDIS_URL || undefined,
    corsOrigins: list(dto.CORS_ORIGINS),
    logLevel: dto.LOG_LEVEL,
    requestTimeoutMs: dto.REQUEST_TIMEOUT_MS,
    downstreamTimeoutMs: dto.DOWNSTREAM_TIMEOUT_MS,
    downstreamMaxBodyBytes: dto.DOWNSTREAM_MAX_BODY_BYTES,
    downstreamConnections: dto.DOWNSTREAM_CONNECTIONS,
    cacheTtlMs: dto.CACHE_TTL_MS,
    catalogBatch: { delayMs: dto.CATALOG_BATCH_DELAY_MS, maxIds: dto.CATALOG_BATCH_MAX_IDS },
    rateLimit: { max: dto.RATE_LIMIT_MAX, windowMs: dto.RATE_LIMIT_WINDOW_MS },
    ipAllowlist: list(dto.IP_ALLOWLIST),
    trustedProxies,
    bodyLimitBytes: dto.BODY_LIMIT_BYTES,
    jsonMaxDepth: dto.JSON_MAX_DEPTH,
    // The headers are part of the request: a shorter whole-request limit bounds them too (Node also requires it).
    clientTimeouts: {
      headersMs: Math.min(dto.HEADERS_TIMEOUT_MS, dto.CLIENT_REQUEST_TIMEOUT_MS),
      requestMs: dto.CLIENT_REQUEST_TIMEOUT_MS,
      keepAliveMs: dto.KEEP_ALIVE_TIMEOUT_MS,
    },
    cursorSecret: dto.CURSOR_SECRET ? Buffer.from(dto.CURSOR_SECRET, 'utf8') : randomBytes(32),
    resilience: {
      maxConcurrency: dto.DOWNSTREAM_MAX_CONCURRENCY,
      breaker: {
        errorThresholdPercentage: dto.BREAKER_ERROR_PERCENT,
        volumeThreshold: dto.BREAKER_MIN_CALLS,
        windowMs: dto.BREAKER_WINDOW_MS,
        resetTimeoutMs: dto.BREAKER_RESET_MS,
      },
      retry: {
        maxRetries: dto.RETRY_MAX,
        budgetRatio: dto.RETRY_BUDGET_PERCENT / 100,
        minPerSec: dto.RETRY_MIN_PER_SEC,
        budgetTtlMs: dto.RETRY_BUDGET_TTL_MS,
      },
      staleIfErrorMs: dto.STALE_IF_ERROR_MS,
      hedgeAfterMs: dto.HEDGE_AFTER_MS === undefined || dto.HEDGE_AFTER_MS === '' ? undefined : Number(dto.HEDGE_AFTER_MS),
    },
    shutdownGraceMs: dto.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: dto.SHUTDOWN_DELAY_MS,
    otel: dto.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: dto.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: dto.OTEL_SERVICE_NAME || app }
      : undefined,
    admin: !dto.ADMIN_PORT ? { mode: 'main' } : dto.ADMIN_PORT === 'off' ? { mode: 'off' } : { mode: 'port', port: Number(dto.ADMIN_PORT) },
  };
}

/** The run contract's variable names (CONTRACTS.md §2) plus the README's extra ones. */
export const BFF_ENV_KEYS = [
  'PORT',
  'HOST',
  'CATALOG_URL',
  'BASKET_URL',
  'ORDERING_URL',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'REDIS_URL',
  'CORS_ORIGINS',
  'LOG_LEVEL',
  'REQUEST_TIMEOUT_MS',
  'DOWNSTREAM_TIMEOUT_MS',
  'CACHE_TTL_MS',
  'RATE_LIMIT_MAX',
  'RATE_LIMIT_WINDOW_MS',
  'IP_ALLOWLIST',
  'BODY_LIMIT_BYTES',
  'DOWNSTREAM_MAX_BODY_BYTES',
  'DOWNSTREAM_CONNECTIONS',
  'CURSOR_SECRET',
  'DOWNSTREAM_MAX_CONCURRENCY',
  'BREAKER_ERROR_PERCENT',
  'BREAKER_MIN_CALLS',
  'BREAKER_WINDOW_MS',
  'BREAKER_RESET_MS',
  'RETRY_MAX',
  'RETRY_BUDGET_PERCENT',
  'STALE_IF_ERROR_MS',
  'SHUTDOWN_GRACE_MS',
  'SHUTDOWN_DELAY_MS',
  'TRUSTED_PROXIES',
  'ADMIN_PORT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'HEADERS_TIMEOUT_MS',
  'CLIENT_REQUEST_TIMEOUT_MS',
  'KEEP_ALIVE_TIMEOUT_MS',
  'JSON_MAX_DEPTH',
  'AUTH_CLOCK_SKEW_SEC',
  'RETRY_MIN_PER_SEC',
  'RETRY_BUDGET_TTL_MS',
  'HEDGE_AFTER_MS',
  'CATALOG_BATCH_DELAY_MS',
  'CATALOG_BATCH_MAX_IDS',
] as const;

/** Injection token for the BffConfig. */
export const BFF_CONFIG = Symbol('BFF_CONFIG');
