// The C libraries Redis links into its Lua VM (deps/lua: lua_cjson.c, lua_cmsgpack.c,
// lua_struct.c, lua_bit.c), written here in TypeScript over the same C API.

import type { LuaVM } from '../lua-vm.js';
import { installBit } from './bit.js';
import { installCjson } from './cjson.js';
import { installCmsgpack } from './cmsgpack.js';
import { installStruct } from './struct.js';

/** Registers cjson, struct, cmsgpack and bit as globals of the VM's main state, in Redis's order. */
export function installLibraries(vm: LuaVM): void {
  installCjson(vm);
  installStruct(vm);
  installCmsgpack(vm);
  installBit(vm);
}
