import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthUnavailableError, InvalidTokenError, MissingTokenError } from '@app/auth';
import { PartTimeoutError } from '@app/aggregate';
import { DownstreamError, DownstreamUnavailableError } from '@app/downstream';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle, type ProblemDetails } from './problem';

interface Mapped {
  status: number;
  detail: string;
  errors?: ProblemDetails['errors'];
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}

/**
 * Turns every error into application/problem+json. Messages come only from our own errors;
 * anything unexpected becomes a bare 500 (logged here, never echoed), so no stack trace,
 * downstream body or host name can reach a client.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = this.map(exception);
    if (mapped.status >= 500) {
      const cause = exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
      this.logger.warn(`${req.method} ${req.url} → ${mapped.status} (${cause}) [${req.id}]`);
      if (!(exception instanceof DownstreamError) && !(exception instanceof HttpException) && !(exception instanceof PartTimeoutError)) {
        this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      }
    }
    sendProblem(reply, req, mapped.status, mapped.detail, mapped.errors, mapped.headers, mapped.extra);
  }

  private map(exception: unknown): Mapped {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null) {
        const b = body as { message?: unknown; errors?: ProblemDetails['errors']; detail?: string; details?: unknown };
        // Terminus' readiness failure: keep the per-check states (names and up/down only).
        if (b.details !== undefined) return { status, detail: 'Not ready', extra: { checks: b.details } };
        const detail = b.detail ?? (Array.isArray(b.message) ? b.message.join('; ') : String(b.message ?? statusTitle(status)));
        return { status, detail, errors: b.errors };
      }
      return { status, detail: String(body) };
    }
    if (exception instanceof InvalidTokenError) {
      const challenge = exception instanceof MissingTokenError ? 'Bearer' : 'Bearer error="invalid_token"';
      return { status: 401, detail: exception.message, headers: { 'www-authenticate': challenge } };
    }
    if (exception instanceof AuthUnavailableError) {
      return { status: 503, detail: 'Tokens cannot be checked right now', headers: { 'retry-after': '5' } };
    }
    if (exception instanceof DownstreamUnavailableError) {
      return { status: 503, detail: exception.message, headers: { 'retry-after': String(exception.retryAfterSec) } };
    }
    if (exception instanceof DownstreamError) return { status: exception.clientStatus, detail: exception.message };
    if (exception instanceof PartTimeoutError) return { status: 504, detail: exception.message };
    // Fastify's own errors (body too large, bad JSON, wrong media type) carry a 4xx statusCode.
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { status: statusCode, detail: fastifyDetail(exception as { code?: string; message?: string }, statusCode) };
    }
    if (exception instanceof SyntaxError) return { status: 400, detail: 'The request body is not valid JSON' };
    return { status: 500, detail: 'An unexpected error occurred' };
  }
}

function fastifyDetail(err: { code?: string }, status: number): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than allowed';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Request bodies must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty but declared as JSON';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case undefined:
      return status === 400 ? 'The request body is not valid JSON' : statusTitle(status);
    default:
      return statusTitle(status);
  }
}

/** The filter's view of a request handled outside Nest's router (Fastify hooks, gateway routes). */
export function httpHost(req: FastifyRequest, reply: FastifyReply): ArgumentsHost {
  return { switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }) } as unknown as ArgumentsHost;
}

/** Writes one problem+json answer; shared by the filter and the Fastify-level handlers. */
export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  detail: string,
  errors?: ProblemDetails['errors'],
  headers?: Record<string, string>,
  extra?: Record<string, unknown>,
): void {
  const body: ProblemDetails = {
    type: problemType(status),
    title: statusTitle(status),
    status,
    detail,
    instance: (req.url ?? '').split('?')[0],
    requestId: String(req.id),
    ...(errors ? { errors } : {}),
    ...extra,
  };
  if (headers) reply.headers(headers);
  reply.status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
