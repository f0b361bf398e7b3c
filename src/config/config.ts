// The live configuration: values by directive, set from redis.conf lines, command
// line flags and CONFIG SET, with apply hooks for directives that act on change
// (config.c's standardConfig interface: set, get, apply).

import { splitArgs } from '../protocol/split-args.js';
import { DIRECTIVES, lookupDirective, type Directive, type ServerControls } from './schema.js';
import type { ConfigValue, OutputBufferLimits, ReplicaOf, SavePoint } from './types.js';
import type { BoolDirective, NumericDirective, StringDirective } from './names.js';

export class ConfigError extends Error {}

export class Config {
  /** Current values by canonical directive name. */
  readonly v: Record<string, ConfigValue> = Object.create(null);
  /** The running server, once bound: directives' apply hooks act on it. */
  private controls: ServerControls | null = null;
  /** Directives set to a non-default value that is accepted but has no effect. */
  readonly ignoredSettings: string[] = [];
  /** rename-command lines, applied to the command table once it exists (empty `to`: removed). */
  readonly renamedCommands: { from: string; to: string; lineNumber: number; lineText: string }[] = [];
  /** The config file the server started from (absolute), for CONFIG REWRITE and INFO. */
  configFile = '';
  /** A save line was read already: further ones add points (setConfigSaveOption). */
  private saveLoaded = false;

  constructor() {
    for (const d of DIRECTIVES) {
      const r = d.type.parse(d.defaultArgs);
      if (!r.ok) throw new Error(`bad default for ${d.name}: ${r.error}`);
      this.v[d.name] = r.value;
    }
  }

  num(name: NumericDirective): number {
    return this.v[name] as number;
  }

  bool(name: BoolDirective): boolean {
    return this.v[name] as boolean;
  }

  str(name: StringDirective): string {
    return this.v[name] as string;
  }

  /** replicaof: the master we follow, or null. */
  replicaOf(): ReplicaOf | null {
    return this.v['replicaof'] as ReplicaOf | null;
  }

  /** save: the snapshot points. */
  savePoints(): readonly SavePoint[] {
    return this.v['save'] as readonly SavePoint[];
  }

  /** Multi-word directives (bind, shutdown-on-sigterm/-sigint ...). */
  words(name: 'bind' | 'shutdown-on-sigint' | 'shutdown-on-sigterm' | 'latency-tracking-info-percentiles'): readonly string[] {
    return this.v[name] as readonly string[];
  }

  outputBufferLimits(): OutputBufferLimits {
    return this.v['client-output-buffer-limit'] as OutputBufferLimits;
  }

  /**
   * Records a value the server itself decided (REPLICAOF changing replicaof, a value an
   * apply hook raised to its floor), so CONFIG GET and REWRITE show what is in force.
   */
  record(name: 'replicaof' | 'repl-backlog-size', value: ConfigValue): void {
    this.v[name] = value;
  }

  /** Binds the running server: from now on runtime changes call the table's apply hooks on it. */
  bindServer(controls: ServerControls): void {
    this.controls = controls;
  }

  /** Runs d's apply hook on the bound server: an error message, null, or undefined when there is none. */
  private apply(d: Directive, value: ConfigValue): string | null | undefined {
    return this.controls !== null && d.apply !== null ? d.apply(this.controls, value) : undefined;
  }


  /** The value as CONFIG GET prints it. `dir` is the working directory, as Redis reads getcwd(). */
  format(d: Directive): string {
    if (d.name === 'dir') return process.cwd();
    return d.type.format(this.v[d.name] as never);
  }

  /** The default value, parsed from the table. */
  defaultValue(d: Directive): ConfigValue {
    const r = d.type.parse(d.defaultArgs);
    if (!r.ok) throw new Error(`bad default for ${d.name}: ${r.error}`);
    return r.value;
  }

  isDefault(d: Directive): boolean {
    return d.type.format(this.defaultValue(d) as never) === d.type.format(this.v[d.name] as never);
  }

  /**
   * Parses a directive's arguments as a config line gives them; returns the value or throws
   * ConfigError with Redis's message. Does not store anything. A multi-argument directive
   * given one argument splits it: quote-aware for config lines, on single spaces for CONFIG
   * SET (performInterfaceSet).
   */
  parseArgs(d: Directive, args: readonly string[], split: 'line' | 'spaces' = 'line'): ConfigValue {
    if (!d.type.multiArg && args.length !== 1) throw new ConfigError('wrong number of arguments');
    if (d.type.multiArg && args.length === 1 && args[0] !== '') {
      if (split === 'spaces') args = args[0].split(' ');
      else {
        const words = splitArgs(args[0]);
        if (words === null) throw new ConfigError('Unbalanced quotes in configuration line');
        args = words;
      }
    }
    // Given nothing, a flags directive says which flags it takes and `save` empties the
    // save points (their own checks, as Redis's MULTI_ARG configs).
    if (args.length === 0 && d.type.kind !== 'flags' && d.type.kind !== 'save') throw new ConfigError('wrong number of arguments');
    // Classes a client-output-buffer-limit line does not name keep their current limits.
    const r = d.type.parse(args, this.v[d.name] as never);
    if (!r.ok) throw new ConfigError(r.error);
    if (d.support === 'refused') {
      const def = d.type.format(this.defaultValue(d) as never);
      const formatted = d.type.format(r.value as never);
      if (def !== formatted) {
        throw new ConfigError(`'${d.name} ${args.join(' ')}' is not supported by redis-ts (only '${d.name} ${def}' is accepted)`);
      }
    }
    return r.value;
  }

  /** A config-file or command-line line: `name args...`. Throws ConfigError. */
  setFromLine(name: string, args: readonly string[]): void {
    const d = lookupDirective(name);
    if (d === undefined) throw new ConfigError('Bad directive or wrong number of arguments');
    let value = this.parseArgs(d, args);
    if (d.name === 'save') {
      // While reading config text, save lines add up (save 900 1 / save 300 10); the
      // first one replaces the defaults and `save ""` empties the list.
      const points = value as SavePoint[];
      if (this.saveLoaded && points.length > 0) value = [...(this.v.save as SavePoint[]), ...points];
      this.saveLoaded = true;
    }
    this.v[d.name] = value;
    if (d.support === 'ignored' && !this.isDefault(d) && !this.ignoredSettings.includes(d.name)) this.ignoredSettings.push(d.name);
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing, as Redis. The first problem
   * found while scanning the names wins (unknown, immutable, protected, duplicate); then
   * values are parsed in order and apply hooks run. Returns null or the error reply text.
   */
  setAtRuntime(pairs: readonly string[], allowProtected: boolean): string | null {
    const n = pairs.length >> 1;
    const targets: Directive[] = [];
    // The name each entry answers to in errors: an alias stays the alias (lower case).
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const given = pairs[2 * i];
      const d = lookupDirective(given);
      if (d === undefined) return `ERR Unknown option or number of arguments for CONFIG SET - '${given}'`;
      if (!d.mutable || (d.protectedConfig && !allowProtected)) {
        const why = !d.mutable ? "can't set immutable config" : "can't set protected config";
        return `ERR CONFIG SET failed (possibly related to argument '${given}') - ${why}`;
      }
      const entry = given.toLowerCase();
      // Redis keeps an alias and its primary as separate entries: only the same spelling is a duplicate.
      for (let j = 0; j < i; j++) {
        if (names[j] === entry) return `ERR CONFIG SET failed (possibly related to argument '${given}') - duplicate parameter`;
      }
      targets.push(d);
      names.push(entry);
    }
    const old = targets.map((d) => this.v[d.name]);
    const changed: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const d = targets[i];
      let value: ConfigValue;
      try {
        value = this.parseArgs(d, [pairs[2 * i + 1]], 'spaces');
      } catch (e) {
        for (let j = i - 1; j >= 0; j--) this.v[targets[j].name] = old[j];
        return `ERR CONFIG SET failed (possibly related to argument '${names[i]}') - ${(e as Error).message}`;
      }
      changed.push(d.type.format(value as never) !== d.type.format(this.v[d.name] as never));
      this.v[d.name] = value;
    }
    const applied = new Set<Directive>();
    for (let i = 0; i < n; i++) {
      const d = targets[i];
      if (!changed[i] || applied.has(d)) continue;
      const err = this.apply(d, this.v[d.name]);
      if (err === undefined) continue;
      if (err !== null) {
        for (let j = n - 1; j >= 0; j--) this.v[targets[j].name] = old[j];
        for (const a of applied) this.apply(a, this.v[a.name]);
        return `ERR CONFIG SET failed (possibly related to argument '${names[i]}') - ${err}`;
      }
      applied.add(d);
    }
    return null;
  }
}
