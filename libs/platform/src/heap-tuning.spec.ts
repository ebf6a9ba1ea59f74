import { execFileSync } from 'node:child_process';
import { HEAP_GROWING_PERCENT, tuneHeap } from './heap-tuning';

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

  it('names a flag this V8 has (setFlagsFromString ignores unknown ones)', () => {
    expect(execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' })).toContain('--heap-growing-percent');
  });
});
