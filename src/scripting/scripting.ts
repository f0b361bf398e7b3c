// The scripting subsystem the Server owns: the EVAL engine and its script cache,
// the script driver, and the client scripts run commands as. SCRIPT FLUSH replaces
// the engine, as Redis's scriptingReset does.

import { aclDenial } from '../server/dispatch.js';
import type { Server } from '../server/server.js';
import { bytesToHuman } from '../server/info.js';
import { LuaEngine, type EngineHost } from './lua-engine.js';
import { loadLuaModule } from '../lua/lua-vm.js';
import { ScriptClient } from './script-client.js';
import { ScriptDriver } from './script-run.js';
import { EvalScripts } from './eval-scripts.js';
import { Functions } from './functions.js';

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

export class Scripting {
  readonly driver: ScriptDriver;
  readonly client: ScriptClient;
  readonly eval: EvalScripts;
  readonly functions: Functions;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may run noscript commands. */
  allowNoscriptCommands = false;
  private readonly host: EngineHost;

  constructor(private readonly server: Server) {
    this.driver = new ScriptDriver(server);
    this.client = new ScriptClient(-1, server, null, server.dbs[0], 'lua');
    this.host = {
      log: (level, msg) => server.log[LOG_LEVELS[level]](msg),
      verbosity: () => LOG_LEVELS.indexOf(server.config.str('loglevel') as (typeof LOG_LEVELS)[number]),
      aclCheck: (argv) => {
        const cmd = server.commands.lookup(argv);
        if (cmd === undefined) return null;
        const user = this.driver.current?.caller.aclUser;
        return user === undefined || user.unrestricted || aclDenial(user, cmd, argv) === null;
      },
    };
    this.eval = new EvalScripts(server, this.newEngine('eval'), this.driver, this.client);
    this.functions = new Functions(server, () => this.newEngine('function'), this.driver, this.client);
  }

  newEngine(mode: 'eval' | 'function'): LuaEngine {
    return new LuaEngine(this.host, mode);
  }

  /** SCRIPT FLUSH: a fresh engine and an empty cache. */
  flushEval(): void {
    const old = this.eval.engine;
    this.driver.forget(old);
    this.eval.engine = this.newEngine('eval');
    this.eval.scripts.clear();
    this.eval.bodyBytes = 0;
    old.close();
  }

  /** INFO memory's scripting fields, in Redis's order. */
  memoryInfo(): [string, number | string][] {
    const vmEval = this.eval.engine.memoryBytes();
    const vmFunctions = this.functions.memoryBytes();
    const scriptsEval = this.eval.bodyBytes;
    const functionsBytes = this.functions.cacheBytes();
    return [
      ['used_memory_lua', vmEval],
      ['used_memory_vm_eval', vmEval],
      ['used_memory_lua_human', bytesToHuman(vmEval)],
      ['used_memory_scripts_eval', scriptsEval],
      ['number_of_cached_scripts', this.eval.scripts.size],
      ['number_of_functions', this.functions.functions.size],
      ['number_of_libraries', this.functions.libraries.size],
      ['used_memory_vm_functions', vmFunctions],
      ['used_memory_vm_total', vmEval + vmFunctions],
      ['used_memory_vm_total_human', bytesToHuman(vmEval + vmFunctions)],
      ['used_memory_functions', functionsBytes],
      ['used_memory_scripts', scriptsEval + functionsBytes],
      ['used_memory_scripts_human', bytesToHuman(scriptsEval + functionsBytes)],
    ];
  }
}

/** Loads the Lua VM and gives the server its scripting subsystem; once, before listening. */
export async function attachScripting(server: Server): Promise<void> {
  await loadLuaModule();
  server.scripting = new Scripting(server);
}
