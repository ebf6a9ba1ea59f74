import { RequestContextStore, type RequestContext } from '@app/context';
import type { Check } from '@app/contracts';
import { DownstreamBadResponseError, DownstreamStatusError, DownstreamTimeoutError } from '../downstream.errors';
import { contractMismatch } from '../shape';
import { allowed } from './attempt.policy';
import type { Instance } from './instances';
import type { Answer, BatchKind, Next, Policy, TransportCall } from './policy';
import type { Telemetry } from './telemetry';
import { DEADLINE_MARGIN_MS } from './transport-stats';

export interface BatchOptions {
  /** CATALOG_BATCH_DELAY_MS: the longest a lookup waits for others while a call of its kind is in flight; 0: off. */
  delayMs: number;
  /** CATALOG_BATCH_MAX_IDS: a window holding this many distinct ids goes at once. */
  maxIds: number;
}

interface Waiter {
  call: TransportCall;
  resolve: (answer: Answer) => void;
  reject: (err: unknown) => void;
  settled: boolean;
}

/** The lookups collected for one downstream call. */
interface Window {
  waiters: Waiter[];
  ids: Set<number>;
  /** The first lookup's request context: the merged call carries its request id and its timings. */
  context: RequestContext | undefined;
  next: Next;
  timer: NodeJS.Timeout | undefined;
  immediate: NodeJS.Immediate | undefined;
}

/** Per kind: the window collecting ids, and how many calls of the kind are in flight. */
interface Lane {
  open: Window | undefined;
  inFlight: number;
}

/**
 * Lookups by id of different callers (catalog items) arriving close together become one call for
 * all their ids (`?ids=a,b,c`), each caller answered with its own item — or 404, as its own call
 * would have been, when the answer lacks its id.
 *
 * When a window closes, Nagle-style, so that batching costs nothing when it would not help:
 * - nothing of the kind in flight: at the end of the current event-loop turn (setImmediate), so
 *   only lookups made in the same turn go together and an idle BFF adds no delay;
 * - calls in flight (load): when the last of them answers, or after `delayMs`, whichever is first
 *   — lookups then wait at most as long as the downstream is busy anyway, never more than `delayMs`;
 * - at once when it holds `maxIds` distinct ids.
 * A window of one id is sent as that lookup's own call, exactly as without batching.
 *
 * Sits below cache and stale-if-error, so those keep working per id (a cached item costs no call;
 * each item answered is cached and remembered under its own path; a failed batch lets each caller
 * fall back to its own stale copy) and above the bulkhead, so the merged call takes one slot and
 * goes through retry, hedging, breakers and telemetry like any other. It runs until the longest
 * waiting caller's deadline; a caller whose own deadline passes first gets its timeout alone.
 */
export class BatchPolicy implements Policy {
  private readonly lanes = new Map<BatchKind, Lane>();

  constructor(
    private readonly options: BatchOptions,
    private readonly telemetry: Telemetry,
  ) {}

  execute(call: TransportCall, next: Next): Promise<Answer> {
    const member = call.batch;
    if (!member) return next(call);
    let lane = this.lanes.get(member.kind);
    if (!lane) this.lanes.set(member.kind, (lane = { open: undefined, inFlight: 0 }));
    const window = lane.open ?? this.open(member.kind, lane, next);
    const answer = new Promise<Answer>((resolve, reject) => window.waiters.push({ call, resolve, reject, settled: false }));
    window.ids.add(member.id);
    if (window.ids.size >= this.options.maxIds) this.flush(member.kind, lane, window);
    return answer;
  }

  private open(kind: BatchKind, lane: Lane, next: Next): Window {
    const window: Window = {
      waiters: [],
      ids: new Set(),
      context: RequestContextStore.current(),
      next,
      timer: undefined,
      immediate: undefined,
    };
    lane.open = window;
    const flush = () => this.flush(kind, lane, window);
    if (lane.inFlight === 0) window.immediate = setImmediate(flush);
    else window.timer = setTimeout(flush, this.options.delayMs);
    return window;
  }

  private flush(kind: BatchKind, lane: Lane, window: Window): void {
    if (lane.open !== window) return;
    lane.open = undefined;
    clearTimeout(window.timer);
    if (window.immediate) clearImmediate(window.immediate);
    const send = () => {
      try {
        this.send(kind, lane, window);
      } catch (err) {
        // Nobody may be left waiting on a window that could not be sent (a kind that cannot build its path).
        for (const w of window.waiters) fail(w, err);
      }
    };
    if (window.context && window.context !== RequestContextStore.current()) RequestContextStore.run(window.context, send);
    else send();
  }

  private send(kind: BatchKind, lane: Lane, window: Window): void {
    // Callers whose deadline passed while the window was open get their timeout now, not a call.
    const stopCutting = this.cutAtOwnDeadlines(window.waiters);
    const live = window.waiters.filter((w) => !w.settled);
    if (live.length === 0) return stopCutting();
    const ids = [...new Set(live.map((w) => w.call.batch!.id))];
    this.telemetry.batch(ids.length);
    let call: TransportCall;
    if (ids.length === 1) {
      // A lone id goes as its own call, as without batching. (Several waiters for one id only happen
      // without coalescing in front: they share that call, under the longest deadline.)
      call = live[0].call;
      for (const w of live) if (w.call.deadline > call.deadline) call.deadline = w.call.deadline;
    } else {
      call = new MergedCall(kind.path(ids), kind.expect, live);
    }
    lane.inFlight++;
    const done = () => {
      stopCutting();
      // The downstream is no longer busy with this kind: a window waiting for that goes now.
      if (--lane.inFlight === 0 && lane.open) this.flush(kind, lane, lane.open);
    };
    let pending: Promise<Answer>;
    try {
      pending = window.next(call);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (res) => {
        done();
        if (ids.length === 1) for (const w of live) settle(w, res);
        else this.distribute(kind, res, live);
      },
      (err: unknown) => {
        done();
        for (const w of live) fail(w, err);
      },
    );
  }

  private distribute(kind: BatchKind, res: Answer, waiters: readonly Waiter[]): void {
    let found: Map<number, unknown>;
    try {
      found = kind.split(res.body);
    } catch {
      const err = new DownstreamBadResponseError(this.telemetry.service, 'batch answer could not be split');
      for (const w of waiters) fail(w, err);
      return;
    }
    for (const w of waiters) {
      const body = found.get(w.call.batch!.id);
      const expect = w.call.expect;
      if (body !== undefined && expect && !expect(body)) {
        // As its own call would have: this lookup gets a bad answer, the others their items.
        fail(w, contractMismatch(this.telemetry.service, expect.explain(body)));
      } else if (body !== undefined) settle(w, { status: 200, body });
      else if (allowed(w.call, 404)) settle(w, { status: 404 });
      else fail(w, new DownstreamStatusError(this.telemetry.service, 404));
    }
  }

  /**
   * Each caller's own deadline, less the margin every attempt keeps (so stale-if-error can still
   * answer): one timer for the soonest, re-armed for the next; the call goes on for the others.
   * A lone caller needs none: the call itself runs under its deadline.
   */
  private cutAtOwnDeadlines(waiters: readonly Waiter[]): () => void {
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      const now = Date.now();
      let soonest = Number.POSITIVE_INFINITY;
      for (const w of waiters) {
        if (w.settled) continue;
        const cut = w.call.deadline - DEADLINE_MARGIN_MS;
        if (cut <= now) fail(w, new DownstreamTimeoutError(this.telemetry.service, 'deadline'));
        else if (cut < soonest) soonest = cut;
      }
      timer = Number.isFinite(soonest) && waiters.length > 1 ? setTimeout(check, soonest - now) : undefined;
    };
    check();
    return () => clearTimeout(timer);
  }
}

function settle(w: Waiter, answer: Answer): void {
  if (w.settled) return;
  w.settled = true;
  w.resolve(answer);
}

function fail(w: Waiter, err: unknown): void {
  if (w.settled) return;
  w.settled = true;
  w.reject(err);
}

/**
 * The one call for a window's ids: a shared GET, retried and hedged like any catalog read. Its
 * deadline is read live — the longest of the callers still waiting — because coalescing may move
 * a caller's later while the call runs; once all have given up, nothing holds it open.
 */
class MergedCall implements TransportCall {
  readonly method = 'GET';
  readonly mode = 'json';
  readonly shared = true;
  readonly retry = 'full';
  body = undefined;
  headers = undefined;
  relayAuth = undefined;
  allow = undefined;
  signal = undefined;
  bodyPauseMs = undefined;
  readonly tried = new Set<Instance>();
  instance: Instance | undefined = undefined;
  /** A late retry is worth less than the stale copies only when every caller has one. */
  fallbackReady: boolean;
  batch = undefined;
  private floor = 0;

  constructor(
    readonly path: string,
    readonly expect: Check<unknown>,
    private readonly waiters: readonly Waiter[],
  ) {
    this.fallbackReady = waiters.every((w) => w.call.fallbackReady === true);
  }

  get deadline(): number {
    let latest = this.floor;
    for (const w of this.waiters) if (!w.settled && w.call.deadline > latest) latest = w.call.deadline;
    return latest;
  }

  set deadline(value: number) {
    this.floor = value;
  }
}
