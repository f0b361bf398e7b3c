// The live configuration: values by directive, set from redis.conf lines, command
// line flags and CONFIG SET, with apply hooks for directives that act on change
// (config.c's standardConfig interface: set, get, apply).

import { splitArgs } from '../protocol/split-args.js';
import { DIRECTIVES, lookupDirective, setOutputBufferLimitsSource, type Directive } from './schema.js';
import type { ConfigValue, OutputBufferLimits } from './types.js';

/** Applies a changed value to the running server; returns an error message to roll back. */
export type ApplyHook = (value: ConfigValue, directive: Directive) => string | null;

export class ConfigError extends Error {}

export class Config {
  /** Current values by canonical directive name. */
  readonly v: Record<string, ConfigValue> = Object.create(null);
  private readonly hooks = new Map<Directive, ApplyHook>();
  /** Directives set to a non-default value that is accepted but has no effect. */
  readonly ignoredSettings: string[] = [];
  /** The config file the server started from, for CONFIG REWRITE and INFO. */
  configFile = '';

  constructor() {
    for (const d of DIRECTIVES) {
      const r = d.type.parse(d.defaultArgs);
      if (!r.ok) throw new Error(`bad default for ${d.name}: ${r.error}`);
      this.v[d.name] = r.value;
    }
    setOutputBufferLimitsSource(() => this.v['client-output-buffer-limit'] as OutputBufferLimits);
  }

  num(name: string): number {
    return this.v[name] as number;
  }

  bool(name: string): boolean {
    return this.v[name] as boolean;
  }

  str(name: string): string {
    return this.v[name] as string;
  }

  /** Registers what to do when a directive changes at runtime. */
  onApply(name: string, hook: ApplyHook): void {
    const d = lookupDirective(name);
    if (d === undefined) throw new Error(`no directive ${name}`);
    this.hooks.set(d, hook);
  }

  /** The value as CONFIG GET prints it. */
  format(d: Directive): string {
    return d.type.format(this.v[d.name] as never);
  }

  isDefault(d: Directive): boolean {
    const r = d.type.parse(d.defaultArgs);
    return r.ok && d.type.format(r.value as never) === this.format(d);
  }

  /**
   * Parses a directive's arguments as a config line gives them; returns the value or throws
   * ConfigError with Redis's message. Does not store anything.
   */
  parseArgs(d: Directive, args: readonly string[]): ConfigValue {
    if (!d.type.multiArg && args.length !== 1) throw new ConfigError('wrong number of arguments');
    if (d.type.multiArg && args.length === 1 && args[0] !== '') {
      args = splitArgs(args[0]) ?? args;
    }
    if (args.length === 0) throw new ConfigError('wrong number of arguments');
    const r = d.type.parse(args);
    if (!r.ok) throw new ConfigError(r.error);
    if (d.support === 'refused') {
      const def = d.type.parse(d.defaultArgs);
      if (def.ok && d.type.format(def.value as never) !== d.type.format(r.value as never)) {
        throw new ConfigError(`'${d.name} ${d.type.format(r.value as never)}' is not supported by redis-ts`);
      }
    }
    return r.value;
  }

  /** A config-file or command-line line: `name args...`. Throws ConfigError. */
  setFromLine(name: string, args: readonly string[]): void {
    const d = lookupDirective(name);
    if (d === undefined) throw new ConfigError('Bad directive or wrong number of arguments');
    const value = this.parseArgs(d, args);
    this.v[d.name] = value;
    if (d.support === 'ignored' && !this.isDefault(d) && !this.ignoredSettings.includes(d.name)) this.ignoredSettings.push(d.name);
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing, as Redis. Returns null or the
   * error reply text (without the leading '-').
   */
  setAtRuntime(pairs: readonly string[], allowProtected: boolean): string | null {
    const targets: Directive[] = [];
    const values: ConfigValue[] = [];
    let unknown: string | null = null;
    let refusal: string | null = null;
    for (let i = 0; i < pairs.length; i += 2) {
      const d = lookupDirective(pairs[i]);
      if (d === undefined) {
        unknown ??= pairs[i];
        continue;
      }
      if (unknown !== null || refusal !== null) continue;
      if (!d.mutable || (d.protectedConfig && !allowProtected)) {
        refusal = `CONFIG SET failed (possibly related to argument '${pairs[i]}') - ${!d.mutable ? "can't set immutable config" : "can't set protected config"}`;
        continue;
      }
      if (targets.includes(d)) {
        refusal = `CONFIG SET failed (possibly related to argument '${pairs[i]}') - duplicate parameter`;
        continue;
      }
      targets.push(d);
    }
    if (unknown !== null) return `ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`;
    if (refusal !== null) return 'ERR ' + refusal;
    for (let i = 0; i < targets.length; i++) {
      const d = targets[i];
      try {
        values.push(this.parseArgs(d, [pairs[pairs.findIndex((p, j) => j % 2 === 0 && lookupDirective(p) === d) + 1]]));
      } catch (e) {
        return `ERR CONFIG SET failed (possibly related to argument '${d.name}') - ${(e as Error).message}`;
      }
    }
    const old = targets.map((d) => this.v[d.name]);
    for (let i = 0; i < targets.length; i++) this.v[targets[i].name] = values[i];
    for (let i = 0; i < targets.length; i++) {
      const hook = this.hooks.get(targets[i]);
      if (hook === undefined || old[i] === values[i]) continue;
      const err = hook(values[i], targets[i]);
      if (err !== null) {
        for (let j = 0; j < targets.length; j++) this.v[targets[j].name] = old[j];
        for (let j = 0; j < i; j++) this.hooks.get(targets[j])?.(old[j], targets[j]);
        return `ERR CONFIG SET failed (possibly related to argument '${targets[i].name}') - ${err}`;
      }
    }
    return null;
  }
}
