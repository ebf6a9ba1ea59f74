import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * The shapes of the public API are declared once, as classes with @nestjs/swagger decorators: the
 * composers' return types are these classes and `/docs-json` (and the SDKs generated from it) is
 * derived from the same decorators. No hand-kept YAML.
 */

/** One wrong input of a 400. */
export class ProblemFieldError {
  @ApiProperty({ description: 'The query parameter, header or body field (dotted path)', example: 'quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must be an integer' })
  message: string;
}

/** RFC 9457 problem details: every error answer of both BFFs (CONTRACTS.md §3). */
export class Problem {
  @ApiProperty({ description: 'A stable URI per status; switch on this, not on `detail`', example: 'https://httpstatuses.io/422' })
  type: string;

  @ApiProperty({ example: 'Unprocessable Content' })
  title: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 })
  status: number;

  @ApiProperty({ description: 'What was wrong, in plain words', example: 'Only 3 of product 7 are in stock' })
  detail: string;

  @ApiProperty({ description: 'The path of the request', example: '/api/basket/items' })
  instance: string;

  @ApiProperty({ description: 'Same value as the x-request-id header' })
  requestId: string;

  @ApiPropertyOptional({
    type: [ProblemFieldError],
    description: 'Which inputs were wrong (400; also 422 when a quantity exceeds the stock)',
  })
  errors?: ProblemFieldError[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'GET /health/ready only: the state of each downstream (names and up/down, never hosts)',
  })
  checks?: Record<string, unknown>;
}

/** Why an error status can occur on a route; route-specific causes are given with `ApiProblems`. */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed, or a parameter, header or body field is invalid (`errors[]` names each one)',
  401: 'No valid bearer token (also on optional-auth routes when a token is sent but is not valid)',
  403: 'The caller’s address is not allowed (IP_ALLOWLIST)',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The request body is larger than BODY_LIMIT_BYTES',
  415: 'The request body is not application/json',
  422: 'The request is well-formed but cannot be carried out',
  429: 'Too many requests from this client (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS); see Retry-After',
  502: 'A required downstream failed, answered something malformed or reset the connection',
  503: 'A required downstream is unavailable (circuit open, shedding load) or tokens cannot be checked; see Retry-After',
  504: 'A required part did not answer in time (its attempt limit or the request deadline passed)',
};

/**
 * The success answer of a route: its status (200 unless given) and its body class. Error answers that
 * every route can give (400, 401, 403, 413, 415, 429, 502–504 where they apply) are added to the
 * document from the route's auth and method; give route-specific ones with `ApiProblems`.
 */
export function ApiAnswer(type: Type<unknown>, options: { status?: number; description?: string } = {}): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: options.status ?? 200, type, description: options.description ?? 'OK' });
}

/** Route-specific error answers (application/problem+json, schema Problem): `{ 404: 'no such product' }`. */
export function ApiProblems(causes: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(causes).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: { $ref: getSchemaPath(Problem) } }),
    ),
  );
}

/**
 * The route honours a sparse fieldset (`fields=a,b`): answers then hold only the named properties of
 * the items, so their `required` lists apply to answers without `fields` only.
 */
export const ApiSparseFieldsets = (): MethodDecorator & ClassDecorator => ApiExtension('x-sparse-fieldsets', true);

/**
 * `degraded` of an aggregate: the names of its parts that failed or missed the deadline (optional parts:
 * their value is null or its fallback) or were answered from a stale copy (stale-if-error, required
 * parts too); empty on a complete answer.
 */
export function ApiDegraded(parts: readonly string[]): PropertyDecorator {
  return ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...parts] },
    description:
      'Parts that failed or missed the deadline (their value is then null or its fallback) or were served from a stale copy; ' +
      `empty on a complete answer. Parts: ${parts.join(', ')}`,
  });
}

/** A `{ id, name }` pair (brands, types). */
export class IdName {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  name: string;
}
