import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle, type ProblemDetails } from './problem';
import { sendProblem } from './problem.filter';

/**
 * What the HTTP parser's refusals mean to a client. These requests never reach Fastify: the socket
 * is answered directly and closed, since nothing after a request the parser could not frame
 * (smuggling attempts, bare CR, NUL bytes) can be trusted.
 */
type ParserError = NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number };

function parserRefusal(err: ParserError): { status: number; detail: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, detail: 'The request was not received in time' };
    case 'HPE_HEADER_OVERFLOW':
      return overflowInRequestLine(err)
        ? { status: 414, detail: 'The request URL is longer than allowed' }
        : { status: 431, detail: 'The request headers are larger than allowed' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, detail: 'The chunk extensions are larger than allowed' };
    default:
      return { status: 400, detail: 'The request is not valid HTTP/1.1' };
  }
}

const REQUEST_LINE_START = /^[A-Z]{1,16} \//;

/** The header-size limit counts the request line too: overflowing before its end means the URL is too long. */
function overflowInRequestLine(err: ParserError): boolean {
  const raw = err.rawPacket;
  if (!raw || !REQUEST_LINE_START.test(raw.subarray(0, 18).toString('latin1'))) return false;
  const lineEnd = raw.indexOf('\n');
  return lineEnd < 0 || lineEnd >= (err.bytesParsed ?? raw.length);
}

const SAFE_PATH = /^[A-Z]{1,16} (\/[\x21-\x22\x24-\x3e\x40-\x7e]{0,512})[ ?#]/;

/** The path of the request line when it is plain printable ASCII; else `/` (never echo raw bytes). */
function instanceOf(raw: Buffer | undefined): string {
  const line = raw?.subarray(0, 600).toString('latin1') ?? '';
  return SAFE_PATH.exec(line)?.[1] ?? '/';
}

/**
 * Fastify's `clientErrorHandler`: problem+json with the usual headers (`x-request-id`, the security headers),
 * `Connection: close`, then the socket is closed. Also answers Node's header/request timeouts (408).
 */
export function clientErrorHandler(securityHeaders: Record<string, string>) {
  const fixed = Object.entries(securityHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (err: ParserError, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already under way on this socket cannot be followed by another one.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const { status, detail } = parserRefusal(err);
      const requestId = randomUUID();
      const problem: ProblemDetails = {
        type: problemType(status),
        title: statusTitle(status),
        status,
        detail,
        instance: instanceOf(err.rawPacket),
        requestId,
      };
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${status} ${statusTitle(status)}\r\n` +
          `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
          `x-request-id: ${requestId}\r\n${fixed}cache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    // Flush the answer, then close; never wait long on a client that does not read.
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

const FRAMEWORK_DETAILS: Record<string, { status: number; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, detail: 'The request URL is not valid (malformed percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, detail: 'A segment of the request URL is longer than allowed' },
};

/**
 * Fastify's `frameworkErrors`: errors raised while routing (bad percent-encoding, a path parameter
 * over the length limit) become problem+json. These requests skip the onRequest hooks, so the
 * usual headers are set here; the connection closes as the request was malformed.
 */
export function frameworkErrorHandler(securityHeaders: Record<string, string>) {
  return (error: { code?: string }, req: FastifyRequest, reply: FastifyReply): void => {
    const { status, detail } = FRAMEWORK_DETAILS[error.code ?? ''] ?? { status: 500, detail: 'An unexpected error occurred' };
    reply.headers(securityHeaders);
    sendProblem(reply, req, status, detail, undefined, { 'x-request-id': String(req.id), connection: 'close' });
  };
}
