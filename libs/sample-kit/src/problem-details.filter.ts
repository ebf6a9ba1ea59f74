import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** The error body of every sample service: `{ title, status }`, plus `detail` when there is something safe to say. */
export interface ProblemBody {
  title: string;
  status: number;
  detail?: string;
}

/**
 * Catches everything (route errors, Fastify body-parser errors, unknown routes) so that every
 * error leaves the service in the same JSON shape. 5xx details are logged, never sent.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, detail } = describe(exception);
    if (status >= 500 && !(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (reply.sent) return;
    const body: ProblemBody = { title: STATUS_CODES[status] ?? 'Error', status };
    if (detail !== undefined && detail !== body.title) body.detail = detail;
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

function describe(exception: unknown): { status: number; detail?: string } {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return { status: exception.getStatus(), detail: response };
    const message = (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
    return { status: exception.getStatus(), detail };
  }
  // Fastify's own errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode
  // and a message written for clients.
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, detail: (exception as Error).message };
  }
  return { status: 500 };
}
