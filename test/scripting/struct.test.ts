// struct (lua_struct.c as Redis 7.0 links it): every expected value below was
// produced by running the same snippet on real Redis 7.0.15 (x86-64) with
//   redis-cli eval "<PRELUDE> return R(function() <snippet> end)" 0
// so binary strings are hex, numbers %.17g, errors "ERR:" plus the raw message.

import { beforeAll, describe, expect, it } from 'vitest';
import { LuaVM, loadLuaModule } from '../../src/lua/lua-vm.js';
import { installStruct } from '../../src/lua/libs/struct.js';

// Four lines, like Redis's chunk, so error positions read user_script:4.
const PRELUDE = [
  "local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end",
  "local function show(...) local t = {} for i=1,select('#',...) do local v = select(i,...) if type(v)=='string' then t[#t+1]='\"'..hex(v)..'\"' elseif type(v)=='number' then t[#t+1]=string.format('%.17g', v) else t[#t+1]=tostring(v) end end return table.concat(t, ',') end",
  "local function res(ok, ...) if ok then return show(...) else return 'ERR:' .. tostring((...)) end end",
  'local function R(f) return res(pcall(f)) end',
].join('\n');

let vm: LuaVM;

beforeAll(async () => {
  await loadLuaModule();
  vm = new LuaVM();
  for (const lib of ['base', 'string', 'table', 'math'] as const) vm.openLibrary(lib);
  installStruct(vm);
});

function run(snippet: string): string {
  const L = vm.L;
  const code = `${PRELUDE} return R(function() ${snippet} end)`;
  if (vm.load(L, code, '@user_script') !== 0 || vm.pcall(L, 0, 1, 0) !== 0) {
    const msg = vm.toString(L, -1);
    vm.setTop(L, 0);
    throw new Error(`snippet failed: ${msg}`);
  }
  const out = vm.toString(L, -1) ?? '<non-string>';
  vm.setTop(L, 0);
  return out;
}

describe('struct pack', () => {
  it.each([
    ["return struct.pack('>I2', 258)", "\"0102\""],
    ["return struct.pack('<I2', 258)", "\"0201\""],
    ["return struct.pack('bBbB', -1, 255, 200, -1)", "\"ffffc8ff\""],
    ["return struct.pack('<h>h', 1, 1)", "\"01000001\""],
    ["return struct.pack('hH', -2, 65535)", "\"feffffff\""],
    ["return struct.pack('>lL', -2, 2^53 + 2)", "\"fffffffffffffffe0020000000000002\""],
    ["return struct.pack('<T', 12345)", "\"3930000000000000\""],
    ["return struct.pack('iI', -3, 3)", "\"fdffffff03000000\""],
    ["return struct.pack('>i3<I3', -3, 0x123456)", "\"fffffd563412\""],
    ["return struct.pack('>I5I1', 2^33 + 5, 511)", "\"0200000005ff\""],
    ["return struct.pack('>I8i8', 2^63, -2^63)", "\"80000000000000008000000000000000\""],
    ["return struct.pack('<i16', -1)", "\"ffffffffffffffff0000000000000000\""],
    ["return struct.pack('>i32', 1)", "\"0000000000000000000000000000000000000000000000000000000000000001\""],
    ["return struct.pack('i0b', 5, 7)", "\"07\""],
    ["return struct.pack('>L', 2^64)", "\"0000000000000000\""],
    ["return struct.pack('>L', 1.5 * 2^64)", "\"0000000000000000\""],
    ["return struct.pack('>l', 1/0)", "\"0000000000000000\""],
    ["return struct.pack('>l', -1/0)", "\"8000000000000000\""],
    ["return struct.pack('>l', -2^64)", "\"8000000000000000\""],
    ["return struct.pack('>l', 2^63 + 2^11)", "\"8000000000000800\""],
    ["return struct.pack('>i', 3.9)", "\"00000003\""],
    ["return struct.pack('>i', -3.9)", "\"fffffffd\""],
    ["return struct.pack('>i', -0.5)", "\"00000000\""],
    ["return struct.pack('>I', -1)", "\"ffffffff\""],
    ["return struct.pack('>I2', 65536 + 258)", "\"0102\""],
    ["return struct.pack('>i', '12')", "\"0000000c\""],
    ["return struct.pack('>i', '0x10')", "\"00000010\""],
    ["return struct.pack('>i', ' 7 ')", "\"00000007\""],
    ["return struct.pack('s', 'abc')", "\"61626300\""],
    ["return struct.pack('s', 'a\\0b')", "\"61006200\""],
    ["return struct.pack('s', 42)", "\"343200\""],
    ["return struct.pack('s', '')", "\"00\""],
    ["return struct.pack('c3', 'abcdef')", "\"616263\""],
    ["return struct.pack('c0', 'hello')", "\"68656c6c6f\""],
    ["return struct.pack('c', 'xyz')", "\"78\""],
    ["return struct.pack('c2c', 'ab', 'c')", "\"616263\""],
    ["return struct.pack('c3', 123)", "\"313233\""],
    ["return struct.pack('bxb', 1, 2)", "\"010002\""],
    ["return struct.pack('b\\0#', 1)", "\"01\""],
    ["return struct.pack('b', 1, 2, 3)", "\"01\""],
    ["return struct.pack('')", "\"\""],
    ["return struct.pack('>c0', 'abc', 'def')", "\"616263\""],
    ["return struct.pack('s', string.rep('x', 9000)):len()", "9001"],
    ["return struct.pack(\"c2c0\", \"ab\", \"cd\")", "\"61626364\""],
    ["return struct.pack('>i', 2^31)", "\"80000000\""],
    ["return struct.pack('>i', 2^32 + 7)", "\"00000007\""],
    ["return struct.pack('<i2', -32769)", "\"ff7f\""],
    ["return struct.pack('B', 0.999)", "\"00\""],
    ["return struct.pack('<I3I3', 2^53, 2^53 - 1)", "\"000000ffffff\""],
    ["return struct.pack('>i8', -2^53 - 2)", "\"ffdffffffffffffe\""],
    ["return struct.pack('>l', -9007199254740993)", "\"ffe0000000000000\""],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct unpack', () => {
  it.each([
    ["return struct.unpack('s', 'abc\\0def\\0')", "\"616263\",5"],
    ["return struct.unpack('ss', 'ab\\0cd\\0')", "\"6162\",\"6364\",7"],
    ["return struct.unpack('s', 'abc\\0', 3)", "\"63\",5"],
    ["return struct.unpack('s', 'abc\\0', 4)", "\"\",5"],
    ["return struct.unpack('c3', 'abcdef')", "\"616263\",4"],
    ["return struct.unpack('c2c2', 'abcd')", "\"6162\",\"6364\",5"],
    ["return struct.unpack('c', 'abcd')", "\"61\",2"],
    ["return struct.unpack('bc0', '\\3abcd')", "\"616263\",5"],
    ["return struct.unpack('bc0b', '\\2abc')", "\"6162\",99,5"],
    ["return struct.unpack('c1c0', '3abcd')", "\"616263\",5"],
    ["return struct.unpack('Bc0', '\\0xyz')", "\"\",2"],
    ["return struct.unpack('bxb', '\\1\\0\\2')", "1,2,4"],
    ["return struct.unpack('>I2', 'xab', 2)", "24930,4"],
    ["return struct.unpack('>L', '\\255\\255\\255\\255\\255\\255\\255\\255')", "1.8446744073709552e+19,9"],
    ["return struct.unpack('>l', '\\255\\255\\255\\255\\255\\255\\255\\255')", "-1,9"],
    ["return struct.unpack('>I7', '\\255\\255\\255\\255\\255\\255\\255')", "72057594037927936,8"],
    ["return struct.unpack('>i7', '\\128\\0\\0\\0\\0\\0\\0')", "-36028797018963968,8"],
    ["return struct.unpack('>i6I6', '\\128\\0\\0\\0\\0\\0\\128\\0\\0\\0\\0\\0')", "-140737488355328,140737488355328,13"],
    ["return struct.unpack('<i5', '\\255\\255\\255\\255\\127')", "549755813887,6"],
    ["return struct.unpack('<i3<I3>i3', '\\255\\255\\255\\255\\255\\255\\255\\255\\128')", "-1,16777215,-128,10"],
    ["return struct.unpack('bBhH', '\\255\\255\\255\\255\\255\\255')", "-1,255,-1,65535,7"],
    ["return struct.unpack('>lLT', string.rep('\\1', 24))", "72340172838076672,72340172838076672,72340172838076672,25"],
    ["return struct.unpack('<i9', string.rep('\\255', 9))", "-1,10"],
    ["return struct.unpack('<i9', '\\128' .. string.rep('\\0', 8))", "-128,10"],
    ["return struct.unpack('<i9', '\\127' .. string.rep('\\0', 8))", "127,10"],
    ["return struct.unpack('<I12', string.rep('\\255', 12))", "1.8446744073709552e+19,13"],
    ["return struct.unpack('>i16', string.rep('\\0', 15) .. '\\1')", "1,17"],
    ["return struct.unpack('>i16', string.rep('\\255', 16))", "-1,17"],
    ["return struct.unpack('>i16', string.rep('\\0', 8) .. '\\128' .. string.rep('\\0', 7))", "-9.2233720368547758e+18,17"],
    ["return struct.unpack('>i32', string.rep('\\0', 31) .. '\\200')", "200,33"],
    ["return struct.unpack('>i0b', 'a')", "0,97,2"],
    ["return struct.unpack('I0', '')", "0,1"],
    ["return struct.unpack('b\\0#', '\\1')", "1,2"],
    ["return struct.unpack('b', 'abc', 3)", "99,4"],
    ["return struct.unpack('', 'abc', 10)", "10"],
    ["return struct.unpack('', 'abc', -5)", "-5"],
    ["return struct.unpack('', 'abc', 1e300)", "-9.2233720368547758e+18"],
    ["return struct.unpack('', 'abc', 2.7)", "2"],
    ["return struct.unpack('b', 'abc', '2')", "98,3"],
    ["return struct.unpack('b', 'abc', nil)", "97,2"],
    ["return struct.unpack(' ', '')", "1"],
    ["return struct.unpack('', '', 5)", "5"],
    ["return struct.unpack(' <>', 'ab', 3)", "3"],
    ["return struct.unpack('b', 12)", "49,2"],
    ["return select('#', struct.unpack(string.rep('b', 7000), string.rep('\\0', 7000)))", "7001"],
    ["return struct.unpack('>i8', '\\128\\0\\0\\0\\0\\0\\0\\1')", "-9.2233720368547758e+18,9"],
    ["return struct.unpack('>I8', '\\128\\0\\0\\0\\0\\0\\4\\1')", "9.2233720368547779e+18,9"],
    ["return struct.unpack('>I8', '\\128\\0\\0\\0\\0\\0\\12\\0')", "9.2233720368547799e+18,9"],
    ["return struct.unpack('>I8', '\\128\\0\\0\\0\\0\\0\\4\\0')", "9.2233720368547758e+18,9"],
    ["return struct.unpack('>I10', '\\1\\2\\255\\255\\255\\255\\255\\255\\255\\255')", "1.8446744073709552e+19,11"],
    ["return struct.unpack('>i10', '\\1\\2\\127\\255\\255\\255\\255\\255\\255\\255')", "-1,11"],
    ["return struct.unpack('>i10', '\\1\\2\\128\\0\\0\\0\\0\\0\\0\\0')", "-32768,11"],
    ["return struct.unpack('<i10', '\\200\\0\\0\\0\\0\\0\\0\\0\\1\\2')", "200,11"],
    ["return struct.unpack('<i12', '\\0\\0\\0\\0\\0\\0\\0\\0\\0\\16\\0\\0')", "0,13"],
    ["return struct.unpack('<i12', '\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\128')", "0,13"],
    ["return struct.unpack('<i4', '\\0\\0\\0\\128')", "-2147483648,5"],
    ["return struct.unpack('s', '\\0')", "\"\",2"],
    ["return struct.unpack('bc0', '\\0', 1)", "\"\",2"],
    ["return struct.unpack('x', 'ab', 2)", "3"],
    ["return struct.unpack('b', 'abc', '0x2')", "98,3"],
    ["return struct.unpack('', 'abc', 2^53 + 2)", "9007199254740994"],
    ["return struct.unpack('', 'abc', -2^63)", "-9.2233720368547758e+18"],
    ["return struct.unpack('', 'abc', 0/0)", "-9.2233720368547758e+18"],
    ["return struct.unpack('', 'abc', -1/0)", "-9.2233720368547758e+18"],
    ["return struct.unpack('', 'abc', 1/0)", "-9.2233720368547758e+18"],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct floats and NaN bits', () => {
  it.each([
    ["return struct.pack('>f', 1.5)", "\"3fc00000\""],
    ["return struct.pack('<f', 0.1)", "\"cdcccc3d\""],
    ["return struct.pack('>d', 0.1)", "\"3fb999999999999a\""],
    ["return struct.pack('<d', -1/0)", "\"000000000000f0ff\""],
    ["return struct.pack('>f', 1e40)", "\"7f800000\""],
    ["return struct.pack('>f', -1e-50)", "\"80000000\""],
    ["return struct.pack('>f', 16777217)", "\"4b800000\""],
    ["local z = 0 return struct.pack('>d', -z)", "\"8000000000000000\""],
    ["return struct.pack('d', -(0/0))", "\"000000000000f87f\""],
    ["return struct.pack('>d', '2.5')", "\"4004000000000000\""],
    ["return struct.unpack('>f', '\\63\\192\\0\\0')", "1.5,5"],
    ["return struct.unpack('<d', struct.pack('<d', 0.1))", "0.10000000000000001,9"],
    ["return struct.unpack('>f', struct.pack('>f', 0.1))", "0.10000000149011612,5"],
    ["return struct.unpack('<d>d', struct.pack('<d>d', 1/0, -1/0))", "inf,-inf,17"],
    ["return struct.unpack('<f', '\\0\\0\\192\\127') ~= struct.unpack('<f', '\\0\\0\\192\\127')", "true"],
    ["return struct.unpack('>dc0', struct.pack('>d', 2.9) .. 'abc')", "\"6162\",11"],
    ["return struct.unpack('>dc0', struct.pack('>d', -0.5) .. 'abc')", "\"\",9"],
    ["return struct.unpack('>dc0', struct.pack('>d', 2^64) .. 'abc')", "\"\",9"],
    ["return struct.pack('>f', 3.4028235677973366e38)", "\"7f800000\""],
    ["return struct.pack('>f', 3.4028235677973366e38 * 1.0000001)", "\"7f800000\""],
    ["return struct.pack('>f', 1.401298464324817e-45)", "\"00000001\""],
    ["return struct.pack('>f', 1e-46)", "\"00000000\""],
    ["return struct.pack('>f', 2^-149 * 0.5000001)", "\"00000001\""],
    ["return struct.unpack('<f', '\\1\\0\\0\\0')", "1.4012984643248171e-45,5"],
    ["return struct.unpack('>d', '\\0\\0\\0\\0\\0\\0\\0\\1')", "4.9406564584124654e-324,9"],
    ["return struct.pack('>d', (struct.unpack('>d', '\\127\\240\\0\\0\\0\\0\\0\\1')))", "\"7ff0000000000001\""],
    ["return struct.pack('>d', (struct.unpack('>d', '\\255\\244\\0\\0\\0\\0\\0\\1')))", "\"fff4000000000001\""],
    ["return struct.pack('>d', (struct.unpack('>f', '\\127\\128\\0\\1')))", "\"7ff8000020000000\""],
    ["return struct.pack('>d', (struct.unpack('>f', '\\255\\192\\0\\7')))", "\"fff80000e0000000\""],
    ["return struct.pack('>f', (struct.unpack('>d', '\\127\\240\\0\\0\\0\\0\\0\\1')))", "\"7fc00000\""],
    ["return struct.pack('>f', (struct.unpack('>d', '\\255\\244\\0\\0\\48\\0\\0\\1')))", "\"ffe00001\""],
    ["return struct.pack('>d', 0/0)", "\"fff8000000000000\""],
    ["return struct.pack('>f', -(0/0))", "\"7fc00000\""],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct alignment', () => {
  it.each([
    ["return struct.size('!d')", "8"],
    ["return struct.size('!4d')", "8"],
    ["return struct.size('b!d')", "16"],
    ["return struct.size('!bd')", "16"],
    ["return struct.size('!2bd')", "10"],
    ["return struct.size('!bh')", "4"],
    ["return struct.size('!bi')", "8"],
    ["return struct.size('!bl')", "16"],
    ["return struct.size('!bf')", "8"],
    ["return struct.size('!bT')", "16"],
    ["return struct.size('!bc3d')", "16"],
    ["return struct.size('!bxd')", "16"],
    ["return struct.size('!1bd')", "9"],
    ["return struct.size('!16bd')", "16"],
    ["return struct.size('!1024 b d')", "16"],
    ["return struct.size('!bi3')", "6"],
    ["return struct.size('!bbi3')", "5"],
    ["return struct.size('!4bi3')", "6"],
    ["return struct.size('!4bbbi6')", "10"],
    ["return struct.size('! b i16')", "24"],
    ["return struct.size('!32 b i32')", "64"],
    ["return struct.pack('!bd', 1, 2)", "\"01000000000000000000000000000040\""],
    ["return struct.pack('!>bhi', 1, 2, 3)", "\"0100000200000003\""],
    ["return struct.pack('!2>bhi', 1, 2, 3)", "\"0100000200000003\""],
    ["return struct.pack('!>bi3b', 1, 2, 3)", "\"01000000000203\""],
    ["return struct.unpack('!<bi', struct.pack('!<bi', 1, 2))", "1,2,9"],
    ["return struct.unpack('!<bd', struct.pack('!<bd', -5, 2.5))", "-5,2.5,17"],
    ["return struct.unpack('!bd', 'abcdefghijklmnop', 2)", "98,3.9038200537988823e+233,17"],
    ["return struct.unpack('!bd', 'abcdefghijklmnop', 3)", "99,3.9038200537988823e+233,17"],
    ["return struct.pack('!>bBhHlLTiIfdsc3xI3i5', -1, 200, -300, 60000, -5e9, 5e9, 123456789, -7, 7, 1.25, -2.5, 'str', 'abc', 12345, -12345)", "\"ffc8fed4ea600000fffffffed5fa0e00000000012a05f20000000000075bcd15fffffff9000000073fa0000000000000c00400000000000073747200616263000000003039ffffffcfc7\""],
    ["return struct.size('!>bBhHlLTiIfdc3xI3i5')", "74"],
    ["return struct.unpack('!4 b i', string.rep('\\1', 8), 3)", "1,16843009,9"],
    ["return struct.unpack('!4 b i', string.rep('\\1', 9), 2)", "1,16843009,9"],
    ["return struct.size('!4i3bi3')", "9"],
    ["return struct.size('!8bi5')", "10"],
    ["return struct.size('!8bi7')", "14"],
    ["return struct.size('!8bi12')", "20"],
    ["return struct.size('!16bi12')", "24"],
    ["return struct.size('!1073741824bd')", "16"],
    ["return struct.size('x!8d')", "16"],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct size', () => {
  it.each([
    ["return struct.size('bhlLTifd')", "43"],
    ["return struct.size('i7I9')", "16"],
    ["return struct.size('c10')", "10"],
    ["return struct.size('c')", "1"],
    ["return struct.size('z')", "0"],
    ["return struct.size('5aq')", "0"],
    ["return struct.size('b\\0#')", "1"],
    ["return struct.size('I32')", "32"],
    ["return struct.size('c2147483647')", "2147483647"],
    ["return struct.size('<>< ')", "0"],
    ["return struct.size(12)", "0"],
    ["return struct.size('I')", "4"],
    ["return struct.size('i0I0')", "0"],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct errors', () => {
  it.each([
    ["return struct.unpack('s', 'abc')", "ERR:user_script:4: unfinished string in data"],
    ["return struct.unpack('s', 'abc\\0', 5)", "ERR:user_script:4: unfinished string in data"],
    ["return struct.pack('c10', 'abc')", "ERR:user_script:4: bad argument #3 to 'pack' (string too short)"],
    ["return struct.pack('bc5', 1, 'ab')", "ERR:user_script:4: bad argument #4 to 'pack' (string too short)"],
    ["return struct.pack('c2147483647', 'a')", "ERR:user_script:4: bad argument #3 to 'pack' (string too short)"],
    ["return struct.pack('c3', nil)", "ERR:user_script:4: bad argument #2 to 'pack' (string expected, got nil)"],
    ["return struct.unpack('c1c0', 'xabcd')", "ERR:user_script:4: format 'c0' needs a previous size"],
    ["return struct.unpack('c0', 'abcd')", "ERR:user_script:4: format 'c0' needs a previous size"],
    ["return struct.unpack('xc0', 'abcd')", "ERR:user_script:4: format 'c0' needs a previous size"],
    ["return struct.unpack('>dc0', struct.pack('>d', -1) .. 'abc')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('>dc0', struct.pack('>d', 0/0) .. 'abc')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('bc0', '\\9abcd')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('c2147483647', 'a')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('c4', 'abc')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('>I2', 'ab', 2)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.size('!3')", "ERR:user_script:4: alignment 3 is not a power of 2"],
    ["return struct.size('!0')", "ERR:user_script:4: alignment 0 is not a power of 2"],
    ["return struct.size('!6d')", "ERR:user_script:4: alignment 6 is not a power of 2"],
    ["return struct.pack('!3b', 1)", "ERR:user_script:4: alignment 3 is not a power of 2"],
    ["return struct.unpack('!12b', 'a')", "ERR:user_script:4: alignment 12 is not a power of 2"],
    ["return struct.size('s')", "ERR:user_script:4: bad argument #1 to 'size' (option 's' has no fixed size)"],
    ["return struct.size('c0')", "ERR:user_script:4: bad argument #1 to 'size' (option 'c0' has no fixed size)"],
    ["return struct.size('bc0')", "ERR:user_script:4: bad argument #1 to 'size' (option 'c0' has no fixed size)"],
    ["return struct.size('#')", "ERR:user_script:4: bad argument #1 to 'size' (invalid format option '#')"],
    ["return struct.size('i33')", "ERR:user_script:4: integral size 33 is larger than limit of 32"],
    ["return struct.size('i99999999999')", "ERR:user_script:4: integral size overflow"],
    ["return struct.size('!99999999999')", "ERR:user_script:4: integral size overflow"],
    ["return struct.size('c2147483648')", "ERR:user_script:4: integral size overflow"],
    ["return struct.size()", "ERR:user_script:4: bad argument #1 to 'size' (string expected, got no value)"],
    ["return struct.size({})", "ERR:user_script:4: bad argument #1 to 'size' (string expected, got table)"],
    ["return (select(2, pcall(struct.size, '\\200'))):byte(-3)", "200"],
    ["return struct.pack('z')", "ERR:user_script:4: bad argument #1 to 'pack' (invalid format option 'z')"],
    ["return struct.pack('b#', 1)", "ERR:user_script:4: bad argument #1 to 'pack' (invalid format option '#')"],
    ["return struct.pack('i')", "ERR:user_script:4: bad argument #2 to 'pack' (number expected, got nil)"],
    ["return struct.pack('i', 'abc')", "ERR:user_script:4: bad argument #2 to 'pack' (number expected, got string)"],
    ["return struct.pack('i', {})", "ERR:user_script:4: bad argument #2 to 'pack' (number expected, got table)"],
    ["return struct.pack('f', true)", "ERR:user_script:4: bad argument #2 to 'pack' (number expected, got boolean)"],
    ["return struct.pack('s', {})", "ERR:user_script:4: bad argument #2 to 'pack' (string expected, got table)"],
    ["return struct.pack('c', nil)", "ERR:user_script:4: bad argument #2 to 'pack' (string expected, got nil)"],
    ["return struct.pack()", "ERR:user_script:4: bad argument #1 to 'pack' (string expected, got no value)"],
    ["return struct.pack('i33', 1)", "ERR:user_script:4: integral size 33 is larger than limit of 32"],
    ["return struct.unpack('i', 'ab')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('b', 'abc', 4)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('', 'abc', 0.5)", "ERR:user_script:4: bad argument #3 to 'unpack' (offset must be 1 or greater)"],
    ["return struct.unpack('b', 'abc', 'x')", "ERR:user_script:4: bad argument #3 to 'unpack' (number expected, got string)"],
    ["return struct.unpack('b', 'abc', -5)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('b', 'abc', 0)", "ERR:user_script:4: bad argument #3 to 'unpack' (offset must be 1 or greater)"],
    ["return struct.unpack('b', 'abc', -0.5)", "ERR:user_script:4: bad argument #3 to 'unpack' (offset must be 1 or greater)"],
    ["return struct.unpack('i4', 'abcd', 2^62)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('b')", "ERR:user_script:4: bad argument #2 to 'unpack' (string expected, got no value)"],
    ["return struct.unpack(nil, 'a')", "ERR:user_script:4: bad argument #1 to 'unpack' (string expected, got nil)"],
    ["return struct.unpack('z', 'abc')", "ERR:user_script:4: bad argument #1 to 'unpack' (invalid format option 'z')"],
    ["return struct.unpack('i33', string.rep('a', 40))", "ERR:user_script:4: integral size 33 is larger than limit of 32"],
    ["return struct.unpack('b', '')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack(' ', '', 2)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack(' <>', 'ab', 4)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack(12, '\\1\\2')", "ERR:user_script:4: bad argument #1 to 'unpack' (invalid format option '1')"],
    ["return (pcall(struct.unpack, string.rep('b', 9000), string.rep('\\0', 9000)))", "false"],
    ["return select(2, pcall(struct.unpack, string.rep('b', 9000), string.rep('\\0', 9000)))", "\"737461636b206f766572666c6f772028746f6f206d616e7920726573756c747329\""],
    ["return select(2, pcall(struct.pack, 'z'))", "\"62616420617267756d656e7420233120746f20273f272028696e76616c696420666f726d6174206f7074696f6e20277a2729\""],
    ["return select(2, pcall(struct.unpack, 'b', ''))", "\"62616420617267756d656e7420233220746f20273f2720286461746120737472696e6720746f6f2073686f727429\""],
    ["return struct:size('i')", "ERR:user_script:4: calling 'size' on bad self (string expected, got table)"],
    ["return struct:unpack('i')", "ERR:user_script:4: calling 'unpack' on bad self (string expected, got table)"],
    ["return struct.pack('bi', 1)", "ERR:user_script:4: bad argument #3 to 'pack' (number expected, got nil)"],
    ["return struct.pack('bs', 1)", "ERR:user_script:4: bad argument #3 to 'pack' (string expected, got nil)"],
    ["return struct.pack('d')", "ERR:user_script:4: bad argument #2 to 'pack' (number expected, got nil)"],
    ["return struct.pack('c0c0', string.rep('1', 8193))", "ERR:user_script:4: bad argument #3 to 'pack' (string expected, got nil)"],
    ["return struct.unpack('>bc0', '\\3ab')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('sb', 'ab\\0')", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('c0', '', 1)", "ERR:user_script:4: format 'c0' needs a previous size"],
    ["return struct.unpack('bc0', '\\0', 2)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.unpack('b', 'abc', 2^53)", "ERR:user_script:4: bad argument #2 to 'unpack' (data string too short)"],
    ["return struct.size('!2147483648')", "ERR:user_script:4: integral size overflow"],
    ["return struct.pack('\\127')", "ERR:user_script:4: bad argument #1 to 'pack' (invalid format option '\u007f')"],
    ["return struct.pack('i\\2', 1)", "ERR:user_script:4: bad argument #1 to 'pack' (invalid format option '\u0002')"],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});

describe('struct round trips', () => {
  it.each([
    ["local t = {struct.unpack('<bBhHlLTiIfdsBc0xI3i5', struct.pack('<bBhHlLTiIfdsBc0xI3i5', -1, 200, -300, 60000, -5e9, 5e9, 123456789, -7, 7, 1.25, -2.5, 'str', 2, 'zz', 12345, -12345))} return unpack(t)", "-1,200,-300,60000,-5000000000,5000000000,123456789,-7,7,1.25,-2.5,\"737472\",\"7a7a\",12345,-12345,67"],
    ["local t = {struct.unpack('!>bBhHlLTiIfdsc3xI3i5', struct.pack('!>bBhHlLTiIfdsc3xI3i5', -1, 200, -300, 60000, -5e9, 5e9, 123456789, -7, 7, 1.25, -2.5, 'str', 'abc', 12345, -12345))} return unpack(t)", "-1,200,-300,60000,-5000000000,5000000000,123456789,-7,7,1.25,-2.5,\"737472\",\"616263\",12345,-12345,75"],
    ["local s = struct.pack('>Hc0', 5, 'hello') return struct.unpack('>Hc0', s)", "\"68656c6c6f\",8"],
    ["local s = struct.pack('i', 7) .. struct.pack('i', 9) return struct.unpack('i', s, 5)", "9,9"],
    ["return type(struct), type(struct.pack), type(struct.unpack), type(struct.size)", "\"7461626c65\",\"66756e6374696f6e\",\"66756e6374696f6e\",\"66756e6374696f6e\""],
    ["local n = 0 for k in pairs(struct) do n = n + 1 end return n", "3"],
  ] as const)('%s', (snippet, expected) => {
    expect(run(snippet)).toBe(expected);
  });
});
