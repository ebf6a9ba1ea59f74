import { markPartStale } from '@app/context';
import type { Answer, Next, Policy, TransportCall } from './policy';

/**
 * Concurrent identical shared reads become one downstream call. The call runs under the longest
 * waiting caller's deadline: a follower that joins with more time left moves it later, so the
 * leader's deadline never cuts short an answer someone else still waits for.
 */
export class CoalescePolicy implements Policy {
  private readonly inflight = new Map<string, { call: TransportCall; answer: Promise<Answer> }>();

  execute(call: TransportCall, next: Next): Promise<Answer> {
    if (!call.shared) return next(call);
    const running = this.inflight.get(call.path);
    if (running) {
      if (call.deadline > running.call.deadline) running.call.deadline = call.deadline;
      return running.answer.then(follow);
    }
    const entry = { call, answer: next(call) };
    this.inflight.set(call.path, entry);
    const forget = () => {
      if (this.inflight.get(call.path) === entry) this.inflight.delete(call.path);
    };
    entry.answer.then(forget, forget);
    return entry.answer;
  }
}

/** Every request that shared a stale answer lists the part as degraded, not just the leader. */
function follow(res: Answer): Answer {
  if (res.stale) markPartStale();
  return res;
}
