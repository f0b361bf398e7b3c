// The typed accessor name lists (src/config/names.ts) match the directive table:
// every directive of a kind is listed under that kind, and nothing else is.
import { describe, expect, it } from 'vitest';
import { DIRECTIVES } from '../../src/config/schema.js';
import { BOOL_DIRECTIVES, NUMERIC_DIRECTIVES, STRING_DIRECTIVES } from '../../src/config/names.js';
import { Config } from '../../src/config/config.js';

const ofKind = (...kinds: string[]) => DIRECTIVES.filter((d) => kinds.includes(d.type.kind)).map((d) => d.name);

describe('config accessor names', () => {
  it('list every directive under its value kind', () => {
    expect([...NUMERIC_DIRECTIVES]).toEqual(ofKind('int', 'memory', 'octal'));
    expect([...BOOL_DIRECTIVES]).toEqual(ofKind('bool'));
    expect([...STRING_DIRECTIVES]).toEqual(ofKind('string', 'enum'));
  });

  it('read values of the listed kind', () => {
    const c = new Config();
    for (const n of NUMERIC_DIRECTIVES) expect(typeof c.num(n)).toBe('number');
    for (const n of BOOL_DIRECTIVES) expect(typeof c.bool(n)).toBe('boolean');
    for (const n of STRING_DIRECTIVES) expect(typeof c.str(n)).toBe('string');
  });
});
