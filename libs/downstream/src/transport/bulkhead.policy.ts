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

  async execute(call: TransportCall, next: Next): Promise<Answer> {
    const stats = this.stats;
    if (stats.inFlight >= this.max) {
      stats.shed++;
      this.telemetry.reject('shed');
      throw new DownstreamUnavailableError(this.telemetry.service, 1);
    }
    stats.inFlight++;
    stats.calls++;
    let held = true;
    const release = () => {
      if (held) stats.inFlight--;
      held = false;
    };
    try {
      const res = await next(call);
      if (res.stream && !res.stream.destroyed && !res.stream.readableEnded) {
        res.stream.once('close', release);
        return res;
      }
      release();
      return res;
    } catch (err) {
      release();
      throw err;
    }
  }
}
