import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Check } from '@app/contracts';
import type { Instance } from './instances';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * One call as it travels down the pipeline. Policies read it and may adjust what they own
 * (coalescing moves the deadline later, the balancer sets the instance, hedging forks it).
 */
export interface TransportCall {
  method: HttpMethod;
  /** Path and query, already encoded, starting with `/` (the instance's base path is prepended). */
  path: string;
  /** A JSON body (serialized by the attempt) or a stream relayed as is (gateway passthrough). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Relay the caller's Authorization header from the request context. */
  relayAuth?: boolean;
  /** `json`: read, size-capped and checked against `expect`. `stream`: headers only, the body is the caller's to pipe. */
  mode: 'json' | 'stream';
  expect?: Check<unknown>;
  /** Non-2xx statuses the caller handles itself; others become DownstreamStatusError. */
  allow?: readonly number[] | ((status: number) => boolean);
  /** Reads of data shared by every user (catalog GETs): coalesced, cached, served stale, hedged. */
  shared: boolean;
  /** `full`: retries with backoff inside the budget; `failover`: only a connection that never carried the request is retried, at once, elsewhere. */
  retry: 'full' | 'failover';
  /** Epoch ms: the request deadline. Coalescing may move it later (the longest waiting caller's). */
  deadline: number;
  /** Aborts the call from outside (hedge loser, client gone); such an attempt is not the instance's failure. */
  signal?: AbortSignal;
  /** Per-chunk limit on a streamed answer body (passthrough); default: none beyond the deadline. */
  bodyPauseMs?: number;
  /** Instances this call already tried: a retry or hedge goes elsewhere when it can. */
  tried: Set<Instance>;
  /** Set by the balancer for the attempt under way. */
  instance?: Instance;
  /** Set by stale-if-error when a stale copy is there: a late retry is then worth less than it. */
  fallbackReady?: boolean;
  /** A lookup by id that the batch policy may merge with concurrent ones of the same kind into one call. */
  batch?: BatchMember;
}

/**
 * How lookups of one kind (catalog items by id) merge: the one call that answers for many ids,
 * and each id's answer out of it. The transport knows no paths; the typed client supplies this.
 */
export interface BatchKind {
  /** Path and query of the one call for these ids (distinct, in arrival order). */
  path(ids: readonly number[]): string;
  /** Shape of that call's 2xx body, as far as splitting it needs; each id's part is then checked with its own lookup's `expect`. */
  expect: Check<unknown>;
  /** Each id's answer body out of the merged answer; an id it lacks is answered 404, as its own call would be. */
  split(body: unknown): Map<number, unknown>;
}

export interface BatchMember {
  kind: BatchKind;
  id: number;
}

/** What the pipeline answers. */
export interface Answer {
  status: number;
  /** The checked body of a 2xx `json` call with `expect`. */
  body?: unknown;
  /** Served from the stale-if-error copy. */
  stale?: boolean;
  /** `stream` calls: the answer's headers and its unread body. */
  headers?: IncomingHttpHeaders;
  stream?: Readable;
}

export type Next = (call: TransportCall) => Promise<Answer>;

/** One concern of the transport, in the style of Polly/cockatiel policies and Envoy filters. */
export interface Policy {
  execute(call: TransportCall, next: Next): Promise<Answer>;
}

/** Chains policies, outermost first, in front of the terminal step. */
export function compose(policies: readonly Policy[], terminal: Next): Next {
  return policies.reduceRight<Next>((next, policy) => (call) => policy.execute(call, next), terminal);
}
