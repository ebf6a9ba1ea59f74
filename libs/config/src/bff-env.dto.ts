import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

const URL_LIST = /^https?:\/\/[^\s,/]+(\/[^\s,]*)?(,\s*https?:\/\/[^\s,/]+(\/[^\s,]*)?)*$/;
const URL_ONE = /^https?:\/\/[^\s,/]+(\/[^\s,]*)?$/;
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The run contract (CONTRACTS.md §2), checked once at start. Names must not change. */
export class BffEnv {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;

  @IsString()
  @Matches(/^[0-9a-fA-F.:]+$|^[A-Za-z0-9.-]+$/, { message: 'HOST must be an address or host name' })
  HOST: string;

  @Matches(URL_LIST, { message: 'CATALOG_URL must be an http(s) URL or a comma-separated list of them' })
  CATALOG_URL: string;

  @Matches(URL_LIST, { message: 'BASKET_URL must be an http(s) URL or a comma-separated list of them' })
  BASKET_URL: string;

  @Matches(URL_LIST, { message: 'ORDERING_URL must be an http(s) URL or a comma-separated list of them' })
  ORDERING_URL: string;

  @Matches(URL_ONE, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL: string;

  @IsString()
  @Matches(/\S/, { message: 'AUTH_ISSUER must not be empty' })
  AUTH_ISSUER: string;

  @IsString()
  @Matches(/\S/, { message: 'AUTH_AUDIENCE must not be empty' })
  AUTH_AUDIENCE: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsString()
  @Matches(/^$|^https?:\/\/[^\s,]+(,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins (never *)',
  })
  CORS_ORIGINS: string;

  @IsIn(LOG_LEVELS as unknown as string[], { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: string;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(120_000)
  REQUEST_TIMEOUT_MS: number;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(120_000)
  DOWNSTREAM_TIMEOUT_MS: number;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  CACHE_TTL_MS: number;

  /** Longest a catalog item lookup waits to share a `?ids=` call with concurrent ones; 0 turns batching off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  CATALOG_BATCH_DELAY_MS: number;

  /** Most distinct ids in one `?ids=` call (bounds the URL: some servers refuse lines over 8 KiB). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  CATALOG_BATCH_MAX_IDS: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_MAX: number;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  RATE_LIMIT_WINDOW_MS: number;

  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @Matches(/^[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*$/, { message: 'IP_ALLOWLIST must be comma-separated IPs or CIDRs' })
  IP_ALLOWLIST?: string;

  /** Proxies (load balancer, ingress) whose X-Forwarded-For is believed; checked address by address in bff-config. */
  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @Matches(/^[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*$/, { message: 'TRUSTED_PROXIES must be comma-separated IPs or CIDRs' })
  TRUSTED_PROXIES?: string;

  @Transform(toInt)
  @IsInt()
  @Min(64)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES: number;

  /** Largest downstream answer read before the part fails (not in the contract table; README lists it). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  DOWNSTREAM_MAX_BODY_BYTES: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  DOWNSTREAM_MAX_CONCURRENCY: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  BREAKER_ERROR_PERCENT: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  BREAKER_MIN_CALLS: number;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  BREAKER_WINDOW_MS: number;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  BREAKER_RESET_MS: number;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5)
  RETRY_MAX: number;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  RETRY_BUDGET_PERCENT: number;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  STALE_IF_ERROR_MS: number;

  /** Retries per second always allowed by the retry budget, however little traffic there is. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  RETRY_MIN_PER_SEC: number;

  /** How long a call's deposit in the retry budget counts. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  RETRY_BUDGET_TTL_MS: number;

  /** Hedge a catalog read after this many ms; unset: the recent p95 (≥ 20 ms); 0: off. */
  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @Matches(/^(0|[1-9][0-9]{0,5})$/, { message: 'HEDGE_AFTER_MS must be a whole number of milliseconds (0 turns hedging off)' })
  HEDGE_AFTER_MS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS: number;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_DELAY_MS: number;

  /** Where /metrics and /docs are served: unset → the main port, a port number → a separate admin listener, `off` → nowhere. */
  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @Matches(/^(off|[0-9]{1,5})$/, { message: 'ADMIN_PORT must be a port number or "off"' })
  ADMIN_PORT?: string;

  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @Matches(URL_ONE, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;

  /** HMAC key for paging cursors; replicas must share it (unset: random per process). */
  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @IsString()
  @Matches(/^.{16,}$/, { message: 'CURSOR_SECRET must be at least 16 characters' })
  CURSOR_SECRET?: string;

  /** Keep-alive connections per downstream origin. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  DOWNSTREAM_CONNECTIONS: number;

  /** Time a client gets to send a request's headers (slowloris; also a connection that never sends a byte). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HEADERS_TIMEOUT_MS: number;

  /** Time a client gets to send a whole request, body included (not the answer's deadline: REQUEST_TIMEOUT_MS). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CLIENT_REQUEST_TIMEOUT_MS: number;

  /** How long an idle keep-alive connection stays open. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  KEEP_ALIVE_TIMEOUT_MS: number;

  /** Deepest nesting of objects/arrays accepted in a JSON body. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  JSON_MAX_DEPTH: number;

  /** Seconds of clock difference tolerated on a token's exp/nbf/iat. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_SKEW_SEC: number;
}
