import { DownstreamUnavailableError } from '../downstream.errors';
import type { Answer, Next, Policy, TransportCall } from './policy';
import type { Telemetry } from './telemetry';
import type { TransportStats } from './transport-stats';

/**
 * At most `max` calls in flight to one downstream; more fail at once with 503 (not counted as the
 * downstream's failure). A streamed answer (picture, passthrough) holds its slot until its body is done.
 */
export class BulkheadPolicy implements Policy {
  constructor(
    private readonly max: number,
    private readonly stats: TransportStats,
    private readonly telemetry: Telemetry,
  ) {}

  execute(call: TransportCall, next: Next): Promise<Answer> {
    const stats = this.stats;
    if (stats.inFlight >= this.max) {
      stats.shed++;
      this.telemetry.reject('shed');
      return Promise.reject(new DownstreamUnavailableError(this.telemetry.service, 1));
    }
    stats.inFlight++;
    stats.calls++;
    let held = true;
    const release = () => {
      if (held) stats.inFlight--;
      held = false;
    };
    let pending: Promise<Answer>;
    try {
      pending = next(call);
    } catch (err) {
      release();
      throw err;
    }
    return pending.then(
      (res) => {
        if (res.stream && !res.stream.destroyed && !res.stream.readableEnded) res.stream.once('close', release);
        else release();
        return res;
      },
      (err: unknown) => {
        release();
        throw err;
      },
    );
  }
}
