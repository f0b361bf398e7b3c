// Reads redis.conf text: comments, quoting, `include`, and command-line
// `--directive value` options appended as extra lines, as loadServerConfig and
// server.c's main() do. Errors are reported the way redis-server reports them, then
// the process exits 1.

import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { splitArgs } from '../protocol/split-args.js';
import { globMatch } from '../keyspace/glob.js';
import { Config, ConfigError } from './config.js';
import { quoteArg } from '../util/repr.js';

export class FatalConfigError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly lineText: string,
    readonly reason: string,
    /** A file that cannot be opened: Redis logs one warning line instead of the report. */
    readonly logOnly = false,
  ) {
    super(reason);
  }

  /** The report redis-server prints on stderr before exiting 1. */
  report(version: string): string {
    let s = `\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\n`;
    if (this.lineNumber > 0) {
      s += `Reading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n`;
    }
    return s + this.reason + '\n';
  }
}

export interface CommandLine {
  /** The config file named first, or null. */
  configFile: string | null;
  /** `-` given first or last: config text is read from standard input too. */
  fromStdin: boolean;
  /** The options as config lines, read after the file and stdin. */
  text: string;
}

/**
 * Turns command-line arguments into config text as redis-server does:
 * `--port 7000 --save "" --replicaof h 1` becomes `port "7000" \nsave "" \nreplicaof "h" "1" `.
 * A name not yet followed by a value takes the next argument even if it starts with
 * `--`, except that a bare `--save` means `save ""`.
 */
export function optionsToConfigText(argv: readonly string[]): CommandLine {
  let j = 0;
  let configFile: string | null = null;
  let fromStdin = false;
  if (argv.length > 0 && argv[0][0] !== '-') {
    configFile = argv[0];
    j = 1;
  }
  let options = '';
  let handledLastArg = true;
  const last = argv.length - 1;
  for (; j < argv.length; j++) {
    const a = argv[j];
    if (a === '-' && (j === 0 || j === last)) {
      fromStdin = true;
    } else if (handledLastArg && a.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += a.slice(2) + ' ';
      const words = splitArgs(a);
      if (words !== null && words.length === 1) {
        handledLastArg = false;
        const nextIsOption = j !== last && argv[j + 1].startsWith('--');
        if (a.toLowerCase() === '--save' && (nextIsOption || j === last)) {
          options += '""';
          handledLastArg = true;
        } else if (a.toLowerCase() === '--sentinel' && nextIsOption) {
          handledLastArg = true;
        }
      } else {
        // "--port 6380" as one argument carries its value.
        handledLastArg = true;
      }
    } else {
      options += quoteArg(a) + ' ';
      handledLastArg = true;
    }
  }
  return { configFile, fromStdin, text: options };
}

/** Names Redis 7.0 still accepts and ignores, with the argument counts it accepts. */
const DEPRECATED = new Map<string, number>([
  ['list-max-ziplist-entries', 2],
  ['list-max-ziplist-value', 2],
  ['lua-replicate-commands', 2],
]);

/** The most nested includes followed before giving up (Redis recurses without a limit). */
const MAX_INCLUDE_DEPTH = 32;

/** Applies config text to `config`; `include` directives read further files. Throws FatalConfigError. */
export function loadConfigText(config: Config, text: string, depth = 0): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line[0] === '#') continue;
    const argv = splitArgs(line);
    if (argv === null) throw new FatalConfigError(i + 1, line, 'Unbalanced quotes in configuration line');
    if (argv.length === 0) continue;
    const name = argv[0].toLowerCase();
    if (DEPRECATED.get(name) === argv.length) continue;
    if (name === 'include' && argv.length === 2) {
      if (depth >= MAX_INCLUDE_DEPTH) throw new FatalConfigError(i + 1, line, 'Too many nested includes');
      for (const path of expandInclude(argv[1])) loadConfigText(config, readConfigFile(path), depth + 1);
      continue;
    }
    if (name === 'rename-command') {
      if (argv.length !== 3) throw new FatalConfigError(i + 1, line, 'wrong number of arguments');
      config.renamedCommands.push({ from: argv[1], to: argv[2], lineNumber: i + 1, lineText: line });
      continue;
    }
    try {
      config.setFromLine(name, argv.slice(1));
    } catch (e) {
      if (e instanceof ConfigError) throw new FatalConfigError(i + 1, line, e.message);
      throw e;
    }
  }
}

/**
 * The files an include names. With wildcards in its last component it is a glob: the
 * sorted matches, possibly none (so an empty conf.d is fine); otherwise the path itself.
 */
function expandInclude(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (/[*?[]/.test(dir)) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => !e.startsWith('.') && globMatch(base, e, false))
    .sort()
    .map((e) => (dir === '.' && !pattern.startsWith('./') ? e : join(dir, e)));
}

/** Reads a config file (or '-' for stdin). */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'latin1');
  } catch (e) {
    throw new FatalConfigError(0, '', `Fatal error, can't open config file '${path}': ${strerror(e)}`, true);
  }
}

/** C's strerror text for a Node.js system error ("No such file or directory"). */
export function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const m = /^[A-Z0-9]+: ([^,]+)/.exec(err.message ?? '');
  if (err.code !== undefined && m !== null) return m[1].charAt(0).toUpperCase() + m[1].slice(1);
  return err.message ?? String(e);
}

/**
 * The whole config text as Redis assembles it: the file, stdin, then a newline and the
 * options, so line numbers in errors match redis-server's.
 */
export function assembleConfigText(cl: CommandLine, readStdin: () => string = () => readConfigFile('-')): string {
  let text = '';
  if (cl.configFile !== null) text += readConfigFile(cl.configFile);
  if (cl.fromStdin) text += readStdin();
  return text + '\n' + cl.text;
}
