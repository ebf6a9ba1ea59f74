import { noteCachedRead } from '@app/context';
import type { ResponseCache } from '../response-cache';
import type { Answer, Next, Policy, TransportCall } from './policy';
import type { Telemetry } from './telemetry';

/** Fresh answers of shared reads, for CACHE_TTL_MS (in process or Redis); a stale-if-error answer is never cached. */
export class CachePolicy implements Policy {
  constructor(
    private readonly store: ResponseCache,
    private readonly ttlMs: number,
    private readonly telemetry: Telemetry,
  ) {}

  execute(call: TransportCall, next: Next): Promise<Answer> {
    return call.shared ? this.lookup(call, next) : next(call);
  }

  // Each read also tells the answer cache (request context) until when it would be served from here.
  private async lookup(call: TransportCall, next: Next): Promise<Answer> {
    const hit = await this.store.get(call.path);
    this.telemetry.cache(hit !== undefined);
    if (hit !== undefined) {
      noteCachedRead(this.telemetry.service, this.store.expiresAt?.(call.path));
      return { status: 200, body: hit };
    }
    const res = await next(call);
    if (res.status === 200 && !res.stale) {
      this.store.set(call.path, res.body, this.ttlMs);
      noteCachedRead(this.telemetry.service, this.store.expiresAt ? Date.now() + this.ttlMs : undefined);
    }
    return res;
  }
}
