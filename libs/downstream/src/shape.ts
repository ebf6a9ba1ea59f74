import { Logger } from '@nestjs/common';
import { RequestContextStore } from '@app/context';
import { DownstreamBadResponseError } from './downstream.errors';

/** A downstream answer that does not fit its contract schema (see @app/contracts); the message names the field path. */
export class ShapeError extends Error {}

const logger = new Logger('Downstream');

/**
 * What an answer that does not fit the contract becomes, wherever it is found (one attempt's body,
 * one item of a merged batch answer): a warning naming the field path and the request id, and a bad
 * answer (502) for the caller.
 */
export function contractMismatch(service: string, where: string): DownstreamBadResponseError {
  logger.warn(`${service} answer does not fit the contract at ${where} [${RequestContextStore.current()?.requestId ?? '-'}]`);
  return new DownstreamBadResponseError(service, where);
}
