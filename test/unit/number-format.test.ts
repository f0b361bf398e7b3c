// %.17g formatting and int64 parsing as Redis does them.
import { describe, expect, it } from 'vitest';
import { formatDouble, doubleToString } from '../../src/util/number-format.js';
import { addInt64, parseInt64 } from '../../src/util/int64.js';

describe('formatDouble (%.17g)', () => {
  it('matches C printf', () => {
    expect(formatDouble(1.1)).toBe('1.1000000000000001');
    expect(formatDouble(0.1)).toBe('0.10000000000000001');
    expect(formatDouble(3)).toBe('3');
    expect(formatDouble(-2.5)).toBe('-2.5');
    expect(formatDouble(1e21)).toBe('1e+21');
    expect(formatDouble(1e17)).toBe('1e+17');
    expect(formatDouble(12345678901234567)).toBe('12345678901234568');
    expect(formatDouble(0.0001)).toBe('0.0001');
    expect(formatDouble(0.00001)).toBe('1.0000000000000001e-05');
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(-0)).toBe('-0');
    expect(formatDouble(5e-324)).toBe('4.9406564584124654e-324');
  });

  it('d2string prints integral doubles as integers', () => {
    expect(doubleToString(10)).toBe('10');
    expect(doubleToString(1.5)).toBe('1.5');
  });
});

describe('int64 (string2ll)', () => {
  it('parses strictly', () => {
    expect(parseInt64('0')).toBe(0);
    expect(parseInt64('-1')).toBe(-1);
    expect(parseInt64('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseInt64('-9223372036854775808')).toBe(-9223372036854775808n);
    for (const bad of ['', '-', '01', '-0', '+1', ' 1', '1 ', '9223372036854775808', '1.0', '0x10']) {
      expect(parseInt64(bad), bad).toBeNull();
    }
  });

  it('adds with overflow detection', () => {
    expect(addInt64(9007199254740991, 1)).toBe(9007199254740992n);
    expect(addInt64(9223372036854775807n, 1)).toBeNull();
    expect(addInt64(-9223372036854775808n, -1)).toBeNull();
    expect(addInt64(9223372036854775806n, 1)).toBe(9223372036854775807n);
  });
});
