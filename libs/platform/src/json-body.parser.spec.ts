import { jsonDeeperThan } from './json-body.parser';

describe('jsonDeeperThan', () => {
  it('counts object and array nesting', () => {
    expect(jsonDeeperThan('{"a":1}', 1)).toBe(false);
    expect(jsonDeeperThan('{"a":[1]}', 1)).toBe(true);
    expect(jsonDeeperThan('[[[]]]', 3)).toBe(false);
    expect(jsonDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(jsonDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(jsonDeeperThan('{"a":"\\"[[[[\\\\"}', 1)).toBe(false);
    expect(jsonDeeperThan('{"a":"\\\\","b":[[1]]}', 2)).toBe(true);
  });
});
