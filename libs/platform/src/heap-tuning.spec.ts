import { execFileSync } from 'node:child_process';
import { capYoungGeneration, HEAP_GROWING_PERCENT, tuneHeap, YOUNG_GENERATION_BYTES } from './heap-tuning';

describe('tuneHeap', () => {
  it('sets V8 heap growing percent when the operator did not', () => {
    const applied: string[] = [];
    expect(tuneHeap(['--enable-source-maps'], (f) => applied.push(f))).toBe(true);
    expect(applied).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('leaves a value from the node command line alone, in either spelling', () => {
    const applied: string[] = [];
    expect(tuneHeap(['--heap-growing-percent=80'], (f) => applied.push(f))).toBe(false);
    expect(tuneHeap(['--heap_growing_percent=80'], (f) => applied.push(f))).toBe(false);
    expect(applied).toEqual([]);
  });
});

describe('capYoungGeneration', () => {
  it('holds growth from the start, then sets the factor that lands on the cap and holds it there', () => {
    const MiB = 1024 * 1024;
    const applied: string[] = [];
    let young = 1 * MiB;
    const cap = capYoungGeneration(
      8 * MiB,
      [],
      (f) => applied.push(f),
      () => young,
    )!;
    try {
      expect(applied).toEqual(['--semi-space-growth-factor=1']);
      cap.check();
      expect(applied.at(-1)).toBe('--semi-space-growth-factor=8');
      young = 4 * MiB;
      cap.check();
      expect(applied.at(-1)).toBe('--semi-space-growth-factor=2');
      cap.check();
      expect(applied).toHaveLength(3); // set only when it changes
      young = 8 * MiB;
      cap.check();
      expect(applied.at(-1)).toBe('--semi-space-growth-factor=1');
      young = 2 * MiB; // V8 shrank it while idle: it may grow back, to the cap
      cap.check();
      expect(applied.at(-1)).toBe('--semi-space-growth-factor=4');
    } finally {
      cap.stop();
    }
  });

  it("leaves an operator's semi-space flag alone (command line or NODE_OPTIONS, either spelling)", () => {
    const applied: string[] = [];
    expect(capYoungGeneration(YOUNG_GENERATION_BYTES, ['--max-semi-space-size=16'], (f) => applied.push(f))).toBeUndefined();
    expect(capYoungGeneration(YOUNG_GENERATION_BYTES, ['--max_semi_space_size=16'], (f) => applied.push(f))).toBeUndefined();
    expect(applied).toEqual([]);
  });

  it('names flags this V8 has (setFlagsFromString ignores unknown ones)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain('--heap-growing-percent');
    expect(options).toContain('--semi-space-growth-factor');
  });

  it('relies on what this V8 does: a growth factor set at run time holds a real young generation', () => {
    // A child process, so this one's heap is left alone; the same two flags the cap sets, then churn.
    const script = `
      const v8 = require('node:v8');
      const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      const keep = [];
      for (let r = 0; r < 150; r++) { keep.push(Array.from({ length: 20000 }, (_, i) => ({ i }))); if (keep.length > 20) keep.shift(); }
      process.stdout.write(String(young()));`;
    const held = Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    const free = Number(
      execFileSync(process.execPath, ['-e', script.replace("'--semi-space-growth-factor=1'", "'--semi-space-growth-factor=2'")], {
        encoding: 'utf8',
      }),
    );
    expect(held).toBeLessThan(YOUNG_GENERATION_BYTES);
    expect(free).toBeGreaterThan(YOUNG_GENERATION_BYTES);
  });
});
