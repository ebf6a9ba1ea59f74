import { RequestContextStore } from '@app/context';
import { DownstreamStatusError } from '@app/downstream';
import { aggregate, fixed, optional, PartTimeoutError, required } from './aggregate';

// unref: parts left running past a deadline must not keep jest alive.
const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms).unref());
const failAfter = (ms: number, err: Error) => new Promise<never>((_, rej) => setTimeout(() => rej(err), ms));
const inRequest = <T>(deadlineMs: number, fn: () => Promise<T>) =>
  RequestContextStore.run({ requestId: 't', deadline: Date.now() + deadlineMs, timings: [] }, fn);

describe('aggregate', () => {
  it('runs parts in parallel and answers values with an empty degraded list', async () => {
    const started = Date.now();
    const res = await inRequest(1000, () =>
      aggregate({ a: required(() => after(100, 1)), b: optional(() => after(100, 'x')), c: optional(() => after(100, true)) }),
    );
    expect(Date.now() - started).toBeLessThan(190);
    expect(res.values).toEqual({ a: 1, b: 'x', c: true });
    expect(res.degraded).toEqual([]);
  });

  it('degrades a failing optional part to its fallback and names it', async () => {
    const res = await inRequest(1000, () =>
      aggregate({
        a: required(() => after(5, 1)),
        b: optional(() => failAfter(5, new DownstreamStatusError('catalog', 500))),
        c: optional(() => Promise.reject(new Error('x')), []),
      }),
    );
    expect(res.values).toEqual({ a: 1, b: null, c: [] });
    expect(res.degraded).toEqual(['b', 'c']);
    expect(res.failures.map((f) => f.part).sort()).toEqual(['b', 'c']);
  });

  it('treats a part that throws synchronously like a rejected one', async () => {
    const res = await inRequest(1000, () =>
      aggregate({
        a: optional(() => {
          throw new Error('sync');
        }),
      }),
    );
    expect(res.degraded).toEqual(['a']);
  });

  it('rejects at once with the error of a failing required part', async () => {
    const started = Date.now();
    const err = new DownstreamStatusError('basket', 503);
    await expect(
      inRequest(1000, () => aggregate({ slow: optional(() => after(500, 1)), basket: required(() => failAfter(20, err)) })),
    ).rejects.toBe(err);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('degrades optional parts still running at the deadline, and answers on time', async () => {
    const started = Date.now();
    const res = await inRequest(150, () => aggregate({ a: required(() => after(10, 'ok')), late: optional(() => after(5000, 'never')) }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(250);
    expect(res.values.late).toBeNull();
    expect(res.degraded).toEqual(['late']);
  });

  it('fails with a timeout naming the required part that missed the deadline', async () => {
    const started = Date.now();
    const promise = inRequest(100, () => aggregate({ catalog: required(() => after(5000, 1)) }));
    await expect(promise).rejects.toBeInstanceOf(PartTimeoutError);
    await expect(promise).rejects.toMatchObject({ part: 'catalog', clientStatus: 504 });
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('never lists a fixed part as degraded', async () => {
    const res = await inRequest(1000, () => aggregate({ basket: fixed(null), a: required(() => after(1, 2)) }));
    expect(res.values).toEqual({ basket: null, a: 2 });
    expect(res.degraded).toEqual([]);
  });

  it('answers an empty aggregate immediately', async () => {
    await expect(aggregate({})).resolves.toEqual({ values: {}, degraded: [], failures: [] });
  });
});
