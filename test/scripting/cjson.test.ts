// cjson against real Redis 7.0.15: every case below is a script body whose result
// (a string) was recorded by running the same script with EVAL on redis-server 7.0.15.
// The scripts share one VM, as Redis's do; each run restores the default settings.
import { beforeAll, describe, expect, it } from 'vitest';
import { installCjson } from '../../src/lua/libs/cjson.js';
import { LuaVM, loadLuaModule } from '../../src/lua/lua-vm.js';

/** [name, script body returning a string, what Redis 7.0.15 returned]. */
const CASES: [string, string, string][] = [
  [
    'array with nested object',
    'return cjson.encode({1,2,{a=1}})',
    '[1,2,{"a":1}]',
  ],
  [
    'empty table is an object',
    'return cjson.encode({})',
    '{}',
  ],
  [
    'nested objects',
    'return cjson.encode({a={b={c={}}}})',
    '{"a":{"b":{"c":{}}}}',
  ],
  [
    'holes become null',
    'return cjson.encode({1,nil,3})',
    '[1,null,3]',
  ],
  [
    'array with a gap',
    'return cjson.encode({[1]=1,[2]=2,[4]=4})',
    '[1,2,null,4]',
  ],
  [
    'mixed keys make an object',
    'return cjson.encode({1,2,a=3})',
    '{"1":1,"2":2,"a":3}',
  ],
  [
    'string keys order',
    'return cjson.encode({alpha=1,beta=2,gamma=3,delta=4,epsilon=5})',
    '{"beta":2,"epsilon":5,"delta":4,"alpha":1,"gamma":3}',
  ],
  [
    'zero key',
    'return cjson.encode({[0]=1})',
    '{"0":1}',
  ],
  [
    'fractional key',
    'return cjson.encode({[1.5]=\'x\'})',
    '{"1.5":"x"}',
  ],
  [
    'negative key',
    'return cjson.encode({[-1]=true})',
    '{"-1":true}',
  ],
  [
    'huge integer key',
    'return cjson.encode({[2^31]=1})',
    '{"2147483648":1}',
  ],
  [
    'safe sparse array',
    'local t={} t[10]=1 return cjson.encode(t)',
    '[null,null,null,null,null,null,null,null,null,1]',
  ],
  [
    'sparse array error',
    'local t={} t[20]=1 local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise table: excessively sparse array',
  ],
  [
    'sparse ratio',
    'local t={1,2,3,4,5,6} t[12]=1 return cjson.encode(t)',
    '[1,2,3,4,5,6,null,null,null,null,null,1]',
  ],
  [
    'sparse ratio error',
    'local t={1,2,3,4,5} t[12]=1 local ok, e = pcall(cjson.encode, t) return e',
    '[1,2,3,4,5,null,null,null,null,null,null,1]',
  ],
  [
    'booleans and null',
    'return cjson.encode({true,false,cjson.null})',
    '[true,false,null]',
  ],
  [
    'scalar values',
    'return cjson.encode(\'x\')..cjson.encode(1)..cjson.encode(true)..cjson.encode(cjson.null)..cjson.encode(nil)',
    '"x"1truenullnull',
  ],
  [
    'escapes',
    'return cjson.encode("a/b\\"c\\\\d\\n\\r\\t\\b\\f")',
    '"a\\/b\\"c\\\\d\\n\\r\\t\\b\\f"',
  ],
  [
    'control and binary bytes',
    'local s = \'\' for i = 0, 255 do s = s .. string.char(i) end return cjson.encode(s)',
    '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f !\\"#$%&\'()*+,-.\\/0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\u007f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff"',
  ],
  [
    'string keys are escaped',
    'return cjson.encode({["a/\\0b"]=1})',
    '{"a\\/\\u0000b":1}',
  ],
  [
    'numbers',
    'local z = 0 return cjson.encode({1/3, 1e300, -z, 0, 100, -1.5, 2^53, 1e14, 1e15, 123456789012345, 0.1, 1e-5, 1e-4, 2^63, -2^31})',
    '[0.33333333333333,1e+300,-0,0,100,-1.5,9.007199254741e+15,1e+14,1e+15,1.2345678901234e+14,0.1,1e-05,0.0001,9.2233720368548e+18,-2147483648]',
  ],
  [
    'number rounding ties',
    'return cjson.encode({12345678901234.5, 0.5, 2.5, 1234567890123.25})',
    '[12345678901234,0.5,2.5,1234567890123.2]',
  ],
  [
    'number ties at low precision',
    'local r = {} for _, p in ipairs({1, 2, 3, 13}) do cjson.encode_number_precision(p) r[#r+1] = cjson.encode({0.25, 0.35, 2.5, 3.5, -2.5, 0.125, 9.5, 1.125, -0.375, 95, 250, 1e22, 1.5e-7, 4503599627370495.5, 2^-20, 1234567890123.5}) end return table.concat(r, \'|\')',
    '[0.2,0.3,2,4,-2,0.1,1e+01,1,-0.4,1e+02,2e+02,1e+22,1e-07,5e+15,1e-06,1e+12]|[0.25,0.35,2.5,3.5,-2.5,0.12,9.5,1.1,-0.38,95,2.5e+02,1e+22,1.5e-07,4.5e+15,9.5e-07,1.2e+12]|[0.25,0.35,2.5,3.5,-2.5,0.125,9.5,1.12,-0.375,95,250,1e+22,1.5e-07,4.5e+15,9.54e-07,1.23e+12]|[0.25,0.35,2.5,3.5,-2.5,0.125,9.5,1.125,-0.375,95,250,1e+22,1.5e-07,4.50359962737e+15,9.536743164062e-07,1234567890124]',
  ],
  [
    'inf is rejected',
    'local ok, e = pcall(cjson.encode, 1/0) return e',
    'Cannot serialise number: must not be NaN or Inf',
  ],
  [
    'nan is rejected',
    'local ok, e = pcall(cjson.encode, {x=0/0}) return e',
    'Cannot serialise number: must not be NaN or Inf',
  ],
  [
    'inf key is rejected',
    'local ok, e = pcall(cjson.encode, {[1/0]=1}) return e',
    'Cannot serialise number: must not be NaN or Inf',
  ],
  [
    'function',
    'local ok, e = pcall(cjson.encode, tostring) return e',
    'Cannot serialise function: type not supported',
  ],
  [
    'function in table',
    'local ok, e = pcall(cjson.encode, {f=tostring}) return e',
    'Cannot serialise function: type not supported',
  ],
  [
    'thread',
    'local ok, e = pcall(cjson.encode, coroutine.create(function() end)) return e',
    'Cannot serialise thread: type not supported',
  ],
  [
    'boolean key',
    'local ok, e = pcall(cjson.encode, {[true]=1}) return e',
    'Cannot serialise boolean: table key must be a number or string',
  ],
  [
    'table key',
    'local ok, e = pcall(cjson.encode, {[{}]=1}) return e',
    'Cannot serialise table: table key must be a number or string',
  ],
  [
    'no argument via pcall',
    'local ok, e = pcall(cjson.encode) return e',
    'bad argument #1 to \'?\' (expected 1 argument)',
  ],
  [
    'no argument named',
    'local ok, e = pcall(function() local x = cjson.encode() return x end) return e',
    'user_script:1: bad argument #1 to \'encode\' (expected 1 argument)',
  ],
  [
    'two arguments',
    'local ok, e = pcall(function() local x = cjson.encode(1, 2) return x end) return e',
    'user_script:1: bad argument #1 to \'encode\' (expected 1 argument)',
  ],
  [
    'nesting 1000 ok',
    'local t={} local c=t for i=1,999 do c[1]={} c=c[1] end return tostring(#cjson.encode(t))',
    '2000',
  ],
  [
    'nesting 1001 error',
    'local t={} local c=t for i=1,1000 do c[1]={} c=c[1] end local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise, excessive nesting (1001)',
  ],
  [
    'nested objects 1001 error',
    'local t={} local c=t for i=1,1000 do c.k={} c=c.k end local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise, excessive nesting (1001)',
  ],
  [
    'self reference',
    'local t={} t[1]=t local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise, excessive nesting (1001)',
  ],
  [
    'numeric decoding',
    'return table.concat(cjson.decode("[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]"), " ")',
    '0 -5000 -1 0.0003 1023.2 0',
  ],
  [
    'string decoding',
    'local d = cjson.decode(\'{"keya": "a", "keyb": "b"}\') return d.keya .. d.keyb',
    'ab',
  ],
  [
    'round trip',
    'return cjson.encode(cjson.decode(\'{"a":[1,2,{"b":null}],"c":"x","d":true,"e":false,"f":[]}\'))',
    '{"a":[1,2,{"b":null}],"c":"x","e":false,"d":true,"f":{}}',
  ],
  [
    'null is cjson.null',
    'local v = cjson.decode(\'null\') return tostring(v == cjson.null) .. \' \' .. type(v) .. \' \' .. tostring(cjson.decode(\'[null]\')[1] == cjson.null)',
    'true userdata true',
  ],
  [
    'unicode escapes',
    'return cjson.decode(\'"\\\\u0041\\\\u00e9\\\\u20ac\\\\ud83d\\\\ude00\\\\u0000\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\\"\\\\\\\\"\')',
    'A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x00/\x08\x0c\n\x0d\x09"\\',
  ],
  [
    'raw bytes pass through',
    'return cjson.decode(\'"\' .. string.char(1, 9, 127, 128, 255) .. \'"\')',
    '\x01\x09\x7f\x80\xff',
  ],
  [
    'whitespace',
    'return cjson.encode(cjson.decode(\' \\t\\r\\n[ 1 , { "a" : 2 } ] \\n\'))',
    '[1,{"a":2}]',
  ],
  [
    'numbers decoded',
    'local t = cjson.decode(\'[1e400, -1e400, 1e-400, 0x1F, -0x10, 0x1.8p1, +1, 01, -0, 1.5E+2, 123456789012345678]\') local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, \' \')',
    'inf -inf 0 31 -16 3 1 1 -0 150 1.2345678901235e+17',
  ],
  [
    'inf and nan decoded',
    'local t = cjson.decode(\'[inf, -Infinity, NaN, nan(123), Inf]\') local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, \' \')',
    'inf -inf nan nan inf',
  ],
  [
    'decode number argument',
    'return tostring(cjson.decode(123))',
    '123',
  ],
  [
    'duplicate keys',
    'return tostring(cjson.decode(\'{"a":1,"a":2}\').a)',
    '2',
  ],
  [
    'text after NUL ignored',
    'return cjson.encode(cjson.decode(\'[1]\\0garbage\'))',
    '[1]',
  ],
  [
    'decode error 0: \'\'',
    'local ok, e = pcall(cjson.decode, \'\') return e',
    'Expected value but found T_END at character 1',
  ],
  [
    'decode error 1: \'x\'',
    'local ok, e = pcall(cjson.decode, \'x\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 2: \'[1,]\'',
    'local ok, e = pcall(cjson.decode, \'[1,]\') return e',
    'Expected value but found T_ARR_END at character 4',
  ],
  [
    'decode error 3: \'{"a" 1}\'',
    'local ok, e = pcall(cjson.decode, \'{"a" 1}\') return e',
    'Expected colon but found T_NUMBER at character 6',
  ],
  [
    'decode error 4: \'{1:2}\'',
    'local ok, e = pcall(cjson.decode, \'{1:2}\') return e',
    'Expected object key string but found T_NUMBER at character 2',
  ],
  [
    'decode error 5: \'[1 2]\'',
    'local ok, e = pcall(cjson.decode, \'[1 2]\') return e',
    'Expected comma or array end but found T_NUMBER at character 4',
  ],
  [
    'decode error 6: \'{"a":1,}\'',
    'local ok, e = pcall(cjson.decode, \'{"a":1,}\') return e',
    'Expected object key string but found T_OBJ_END at character 8',
  ],
  [
    'decode error 7: \'"abc\'',
    'local ok, e = pcall(cjson.decode, \'"abc\') return e',
    'Expected value but found unexpected end of string at character 5',
  ],
  [
    'decode error 8: \'"\\\\x"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\x"\') return e',
    'Expected value but found invalid escape code at character 2',
  ],
  [
    'decode error 9: \'"\\\\ud800"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\ud800"\') return e',
    'Expected value but found invalid unicode escape code at character 2',
  ],
  [
    'decode error 10: \'"\\\\udc00"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\udc00"\') return e',
    'Expected value but found invalid unicode escape code at character 2',
  ],
  [
    'decode error 11: \'"\\\\ud800\\\\u0041"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\ud800\\\\u0041"\') return e',
    'Expected value but found invalid unicode escape code at character 2',
  ],
  [
    'decode error 12: \'"\\\\u12"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\u12"\') return e',
    'Expected value but found invalid unicode escape code at character 2',
  ],
  [
    'decode error 13: \'[1] x\'',
    'local ok, e = pcall(cjson.decode, \'[1] x\') return e',
    'Expected the end but found invalid token at character 5',
  ],
  [
    'decode error 14: \'tru\'',
    'local ok, e = pcall(cjson.decode, \'tru\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 15: \'nul\'',
    'local ok, e = pcall(cjson.decode, \'nul\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 16: \'-\'',
    'local ok, e = pcall(cjson.decode, \'-\') return e',
    'Expected value but found invalid number at character 1',
  ],
  [
    'decode error 17: \'-x\'',
    'local ok, e = pcall(cjson.decode, \'-x\') return e',
    'Expected value but found invalid number at character 1',
  ],
  [
    'decode error 18: \'.5\'',
    'local ok, e = pcall(cjson.decode, \'.5\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 19: \'0x\'',
    'local ok, e = pcall(cjson.decode, \'0x\') return e',
    'Expected the end but found invalid token at character 2',
  ],
  [
    'decode error 20: \'  \'',
    'local ok, e = pcall(cjson.decode, \'  \') return e',
    'Expected value but found T_END at character 3',
  ],
  [
    'decode error 21: \'{"a":}\'',
    'local ok, e = pcall(cjson.decode, \'{"a":}\') return e',
    'Expected value but found T_OBJ_END at character 6',
  ],
  [
    'decode error 22: \'{\'',
    'local ok, e = pcall(cjson.decode, \'{\') return e',
    'Expected object key string but found T_END at character 2',
  ],
  [
    'decode error 23: \'[\'',
    'local ok, e = pcall(cjson.decode, \'[\') return e',
    'Expected value but found T_END at character 2',
  ],
  [
    'decode error 24: \']\'',
    'local ok, e = pcall(cjson.decode, \']\') return e',
    'Expected value but found T_ARR_END at character 1',
  ],
  [
    'decode error 25: \'"a\\0b"\'',
    'local ok, e = pcall(cjson.decode, \'"a\\0b"\') return e',
    'Expected value but found unexpected end of string at character 3',
  ],
  [
    'decode error 26: \'\\0a\'',
    'local ok, e = pcall(cjson.decode, \'\\0a\') return e',
    'JSON parser does not support UTF-16 or UTF-32',
  ],
  [
    'decode error 27: \'a\\0\'',
    'local ok, e = pcall(cjson.decode, \'a\\0\') return e',
    'JSON parser does not support UTF-16 or UTF-32',
  ],
  [
    'decode error 28: \'"\\\\\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\\') return e',
    'Expected value but found invalid escape code at character 2',
  ],
  [
    'decode error 29: \'{"a":1 "b":2}\'',
    'local ok, e = pcall(cjson.decode, \'{"a":1 "b":2}\') return e',
    'Expected comma or object end but found T_STRING at character 8',
  ],
  [
    'decode error 30: \'nil\'',
    'local ok, e = pcall(cjson.decode, \'nil\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 31: \'i\'',
    'local ok, e = pcall(cjson.decode, \'i\') return e',
    'Expected value but found invalid token at character 1',
  ],
  [
    'decode error 32: \'[true false]\'',
    'local ok, e = pcall(cjson.decode, \'[true false]\') return e',
    'Expected comma or array end but found T_BOOLEAN at character 7',
  ],
  [
    'decode error 33: \'1.2.3\'',
    'local ok, e = pcall(cjson.decode, \'1.2.3\') return e',
    'Expected the end but found invalid token at character 4',
  ],
  [
    'decode error 34: \'"\\\\u"\'',
    'local ok, e = pcall(cjson.decode, \'"\\\\u"\') return e',
    'Expected value but found invalid unicode escape code at character 2',
  ],
  [
    'decode without arguments',
    'local ok, e = pcall(function() local x = cjson.decode() return x end) return e',
    'user_script:1: bad argument #1 to \'decode\' (expected 1 argument)',
  ],
  [
    'decode of a table',
    'local ok, e = pcall(cjson.decode, {}) return e',
    'bad argument #1 to \'?\' (string expected, got table)',
  ],
  [
    'decode nesting 1000 ok',
    'local d = cjson.decode(string.rep(\'[\', 1000) .. string.rep(\']\', 1000)) return type(d)',
    'table',
  ],
  [
    'decode nesting 1001 error',
    'local ok, e = pcall(cjson.decode, string.rep(\'[\', 1001)) return e',
    'Found too many nested data structures (1001) at character 1001',
  ],
  [
    'decode nested objects error',
    'local ok, e = pcall(cjson.decode, \' \' .. string.rep(\'{"a":\', 1001)) return e',
    'Found too many nested data structures (1001) at character 5002',
  ],
  [
    'defaults',
    'local a, b, c = cjson.encode_sparse_array() return table.concat({tostring(a), b, c, cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_invalid_numbers()), tostring(cjson.decode_invalid_numbers())}, \' \')',
    'false 2 10 1000 1000 14 true false true',
  ],
  [
    'names',
    'return cjson._NAME .. \' \' .. cjson._VERSION .. \' \' .. type(cjson.new) .. \' \' .. type(cjson.null)',
    'cjson 2.1.0 function userdata',
  ],
  [
    'sparse convert',
    'cjson.encode_sparse_array(true) local t={} t[20]=1 return cjson.encode(t)',
    '{"20":1}',
  ],
  [
    'sparse ratio 0',
    'cjson.encode_sparse_array(nil, 0) local t={} t[15]=1 return cjson.encode(t)',
    '[null,null,null,null,null,null,null,null,null,null,null,null,null,null,1]',
  ],
  [
    'sparse safe',
    'local a, b, c = cjson.encode_sparse_array(\'on\', 3, 1) local t={1} t[5]=1 return tostring(a)..b..c..cjson.encode(t)',
    'true31[1,null,null,null,1]',
  ],
  [
    'sparse option errors',
    'local r = {} local calls = {function() local x = cjson.encode_sparse_array(1, 2, 3, 4) return x end, function() local x = cjson.encode_sparse_array(\'on\', -1) return x end, function() local x = cjson.encode_sparse_array(nil, nil, \'x\') return x end, function() local x = cjson.encode_sparse_array(\'maybe\') return x end, function() local x = cjson.encode_sparse_array({}) return x end, function() local x = cjson.encode_sparse_array(nil, 2^32 + 3) return x end} for _, f in ipairs(calls) do local ok, e = pcall(f) r[#r+1] = tostring(e) end return table.concat(r, \'|\')',
    'user_script:1: bad argument #4 to \'encode_sparse_array\' (found too many arguments)|user_script:1: bad argument #1 to \'encode_sparse_array\' (expected integer between 0 and 2147483647)|user_script:1: bad argument #3 to \'encode_sparse_array\' (number expected, got string)|user_script:1: bad argument #1 to \'encode_sparse_array\' (invalid option \'maybe\')|user_script:1: bad argument #1 to \'encode_sparse_array\' (string expected, got table)|true',
  ],
  [
    'direct error has position',
    'local ok, e = pcall(function() local x = cjson.encode({f=tostring}) return x end) return e',
    'user_script:1: Cannot serialise function: type not supported',
  ],
  [
    'encode_max_depth',
    'local r = {cjson.encode_max_depth(3)} local ok, e = pcall(cjson.encode, {{{{}}}}) r[2] = e r[3] = cjson.encode({{{}}}) return table.concat(r, \'|\')',
    '3|Cannot serialise, excessive nesting (4)|[[{}]]',
  ],
  [
    'max depth odd values',
    'return table.concat({cjson.encode_max_depth(2.7), cjson.encode_max_depth(\'5\'), cjson.encode_max_depth(4294967297)}, \' \')',
    '2 5 1',
  ],
  [
    'max depth errors',
    'local r = {} for _, v in ipairs({0, -1, \'x\', 2^31, 2^63, 0/0}) do local ok, e = pcall(function() local x = cjson.encode_max_depth(v) return x end) r[#r+1] = e end local ok, e = pcall(function() local x = cjson.decode_max_depth(1, 2) return x end) r[#r+1] = e return table.concat(r, \'|\')',
    'user_script:1: bad argument #1 to \'encode_max_depth\' (expected integer between 1 and 2147483647)|user_script:1: bad argument #1 to \'encode_max_depth\' (expected integer between 1 and 2147483647)|user_script:1: bad argument #1 to \'encode_max_depth\' (number expected, got string)|user_script:1: bad argument #1 to \'encode_max_depth\' (expected integer between 1 and 2147483647)|user_script:1: bad argument #1 to \'encode_max_depth\' (expected integer between 1 and 2147483647)|user_script:1: bad argument #1 to \'encode_max_depth\' (expected integer between 1 and 2147483647)|user_script:1: bad argument #2 to \'decode_max_depth\' (found too many arguments)',
  ],
  [
    'decode_max_depth',
    'cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, \'[[[1]]]\') return cjson.encode(cjson.decode(\'[[1]]\')) .. e',
    '[[1]]Found too many nested data structures (3) at character 3',
  ],
  [
    'precision',
    'local r = {} for _, p in ipairs({1, 3, 10, 14}) do cjson.encode_number_precision(p) r[#r+1] = cjson.encode({1/3, 123456, 0.000123456, 2/3}) end local ok, e = pcall(function() local x = cjson.encode_number_precision(15) return x end) r[#r+1] = e return table.concat(r, \'|\')',
    '[0.3,1e+05,0.0001,0.7]|[0.333,1.23e+05,0.000123,0.667]|[0.3333333333,123456,0.000123456,0.6666666667]|[0.33333333333333,123456,0.000123456,0.66666666666667]|user_script:1: bad argument #1 to \'encode_number_precision\' (expected integer between 1 and 14)',
  ],
  [
    'keep buffer',
    'local r = {tostring(cjson.encode_keep_buffer(false)), cjson.encode({1}), tostring(cjson.encode_keep_buffer(\'on\')), tostring(cjson.encode_keep_buffer(\'off\'))} local ok, e = pcall(function() local x = cjson.encode_keep_buffer(\'bogus\') return x end) r[#r+1] = e ok, e = pcall(function() local x = cjson.encode_keep_buffer(1) return x end) r[#r+1] = e return table.concat(r, \'|\')',
    'false|[1]|true|false|user_script:1: bad argument #1 to \'encode_keep_buffer\' (invalid option \'bogus\')|user_script:1: bad argument #1 to \'encode_keep_buffer\' (invalid option \'1\')',
  ],
  [
    'invalid numbers null',
    'local r = {tostring(cjson.encode_invalid_numbers(\'null\')), cjson.encode({1/0, -1/0, 0/0, 1}), cjson.encode({[1/0]=1})} return table.concat(r, \'|\')',
    'null|[null,null,null,1]|{"null":1}',
  ],
  [
    'invalid numbers on',
    'local r = {tostring(cjson.encode_invalid_numbers(true)), cjson.encode({1/0, -1/0, 0/0, -(0/0)})} r[3] = tostring(cjson.encode_invalid_numbers(\'off\')) local ok, e = pcall(function() local x = cjson.encode_invalid_numbers(\'nul\') return x end) r[4] = e return table.concat(r, \'|\')',
    'true|[inf,-inf,nan,nan]|false|user_script:1: bad argument #1 to \'encode_invalid_numbers\' (invalid option \'nul\')',
  ],
  [
    'decode invalid numbers off',
    'local r = {tostring(cjson.decode_invalid_numbers(false))} for _, j in ipairs({\'0x10\', \'nan\', \'Inf\', \'-inf\', \'+1\', \'01\', \'-01\', \'1\', \'-0.5\', \'0\'}) do local ok, e = pcall(cjson.decode, j) r[#r+1] = tostring(e) end return table.concat(r, \'|\')',
    'false|Expected value but found invalid number at character 1|Expected value but found invalid token at character 1|Expected value but found invalid token at character 1|Expected value but found invalid number at character 1|Expected value but found invalid token at character 1|Expected value but found invalid number at character 1|Expected value but found invalid number at character 1|1|-0.5|0',
  ],
  [
    'deep encode hits the Lua stack limit',
    'cjson.encode_max_depth(100000) local t={} local c=t for i=1,20000 do c[1]={} c=c[1] end local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise, excessive nesting (7998)',
  ],
  [
    'deep object encode hits the Lua stack limit',
    'cjson.encode_max_depth(100000) local t={} local c=t for i=1,20000 do c.a={} c=c.a end local ok, e = pcall(cjson.encode, t) return e',
    'Cannot serialise, excessive nesting (4000)',
  ],
  [
    'deep decode hits the Lua stack limit',
    'cjson.decode_max_depth(100000) local ok, e = pcall(cjson.decode, string.rep(\'[\', 20000)) local ok2, e2 = pcall(cjson.decode, string.rep(\'{"a":\', 20000)) return e .. \'|\' .. e2',
    'Found too many nested data structures (7999) at character 7999|Found too many nested data structures (4000) at character 19996',
  ],
  [
    'new is independent',
    'local c2 = cjson.new() c2.encode_max_depth(1) local ok, e = pcall(c2.encode, {{}}) return e .. \'|\' .. cjson.encode({{}}) .. \'|\' .. c2._NAME .. \'|\' .. tostring(c2.null == cjson.null) .. \'|\' .. c2.encode_max_depth()',
    'Cannot serialise, excessive nesting (2)|[{}]|cjson|true|1',
  ],
];

const RESET = 'cjson.encode_sparse_array(false, 2, 10) cjson.encode_max_depth(1000) cjson.decode_max_depth(1000) cjson.encode_number_precision(14) cjson.encode_keep_buffer(true) cjson.encode_invalid_numbers(false) cjson.decode_invalid_numbers(true)';

let vm: LuaVM;

/** Runs a script body the way the recording did; failures come back as 'ERR:<message>'. */
function run(body: string): string {
  const L = vm.L;
  const code = `local r = {pcall(function() ${body} end)} ${RESET} if r[1] then return r[2] else return 'ERR:' .. tostring(r[2]) end`;
  if (vm.load(L, code, '@user_script') !== 0 || vm.pcall(L, 0, 1, 0) !== 0) {
    const msg = vm.toString(L, -1);
    vm.setTop(L, 0);
    throw new Error(`script failed: ${msg}`);
  }
  const out = vm.toString(L, -1);
  vm.setTop(L, 0);
  return out ?? '(not a string)';
}

beforeAll(async () => {
  await loadLuaModule();
  vm = new LuaVM();
  vm.openLibrary('base');
  vm.openLibrary('string');
  vm.openLibrary('table');
  vm.openLibrary('math');
  installCjson(vm);
});

describe('cjson matches Redis 7.0.15', () => {
  for (const [name, body, want] of CASES) {
    it(name, () => {
      expect(run(body)).toBe(want);
    });
  }
});

describe('cjson', () => {
  it('decodes what it encodes for every byte string', () => {
    expect(run(`local s = '' for i = 0, 255 do s = s .. string.char(i) end return tostring(cjson.decode(cjson.encode(s)) == s)`)).toBe('true');
    expect(run(`return cjson.decode('"' .. string.rep('a', 100000) .. '"')`)).toBe('a'.repeat(100000));
  });

  it('survives garbage collection of extra module tables', () => {
    expect(run(`for i = 1, 200 do local c = cjson.new() c.encode({i}) end collectgarbage() return cjson.encode({1})`)).toBe('[1]');
  });
});
