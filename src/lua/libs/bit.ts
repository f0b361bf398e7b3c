// LuaBitOp 1.0.2, the bit library Redis links into its Lua VM (deps/lua/src/lua_bit.c),
// rewritten over the C API: 32-bit operations on Lua numbers, results signed.

import { LuaType, type LuaVM } from '../lua-vm.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * barg: the number's low 32 bits, taken the way the C does it (add 2^52+2^51 and
 * keep the low word of the double), so fractions round to nearest-even and values
 * wrap modulo 2^32. A non-number (lua_tonumber giving 0) is a type error.
 */
function barg(vm: LuaVM, L: number, idx: number): number {
  f64[0] = vm.toNumber(L, idx) + 6755399441055744.0;
  const b = u32[0];
  if (b === 0 && !vm.isNumber(L, idx)) vm.typeError(L, idx, 'number');
  return b;
}

/** Creates the global table `bit` in the VM's main state. */
export function installBit(vm: LuaVM): void {
  const L0 = vm.L;
  const ret = (L: number, b: number): number => {
    vm.pushNumber(L, b | 0);
    return 1;
  };
  const fold = (op: (a: number, b: number) => number) => (L: number): number => {
    let b = barg(vm, L, 1);
    for (let i = vm.top(L); i > 1; i--) b = op(b, barg(vm, L, i));
    return ret(L, b);
  };
  const shift = (op: (b: number, n: number) => number) => (L: number): number => {
    const b = barg(vm, L, 1);
    const n = barg(vm, L, 2) & 31;
    return ret(L, op(b, n));
  };

  const funcs: [string, (L: number) => number][] = [
    ['tobit', (L) => ret(L, barg(vm, L, 1))],
    ['bnot', (L) => ret(L, ~barg(vm, L, 1))],
    ['band', fold((a, b) => a & b)],
    ['bor', fold((a, b) => a | b)],
    ['bxor', fold((a, b) => a ^ b)],
    ['lshift', shift((b, n) => b << n)],
    ['rshift', shift((b, n) => b >>> n)],
    ['arshift', shift((b, n) => (b | 0) >> n)],
    ['rol', shift((b, n) => (b << n) | (b >>> (32 - n)))],
    ['ror', shift((b, n) => (b << (32 - n)) | (b >>> n))],
    [
      'bswap',
      (L) => {
        const b = barg(vm, L, 1);
        return ret(L, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
      },
    ],
    [
      'tohex',
      (L) => {
        let b = barg(vm, L, 1);
        let n = vm.type(L, 2) === LuaType.none ? 8 : barg(vm, L, 2) | 0;
        let digits = '0123456789abcdef';
        if (n < 0) {
          // -INT_MIN overflows in C; Redis's build treats it as large: 8 uppercase digits.
          n = -n;
          digits = '0123456789ABCDEF';
        }
        if (n > 8) n = 8;
        let s = '';
        for (let i = n; --i >= 0; ) {
          s = digits[b & 15] + s;
          b >>>= 4;
        }
        vm.pushString(L, s);
        return 1;
      },
    ],
  ];

  vm.newTable(L0);
  for (const [name, fn] of funcs) {
    vm.pushCFunction(L0, vm.cfunction(fn));
    vm.setField(L0, -2, name);
  }
  vm.setGlobal(L0, 'bit');
}
