// Reads redis.conf text: comments, quoting, `include`, and command-line
// `--directive value` options appended as extra lines, as loadServerConfig does.
// Errors are reported the way redis-server reports them, then the process exits 1.

import { readFileSync } from 'node:fs';
import { splitArgs } from '../protocol/split-args.js';
import { Config, ConfigError } from './config.js';
import { quoteArg } from '../util/repr.js';

export class FatalConfigError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly lineText: string,
    readonly reason: string,
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

/**
 * Turns command-line options into config text: `--port 7000 --save "" --replicaof h 1`
 * becomes `port "7000"\nsave ""\nreplicaof "h" "1"`. Returns the leading config file
 * name (if any) separately.
 */
export function optionsToConfigText(argv: readonly string[]): { configFile: string | null; text: string } {
  let i = 0;
  let configFile: string | null = null;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    configFile = argv[0];
    i = 1;
  }
  const lines: string[] = [];
  let cur: string | null = null;
  let curArgs = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      if (cur !== null) lines.push(curArgs === 0 && cur === 'save' ? 'save ""' : cur);
      cur = a.slice(2);
      curArgs = 0;
    } else if (cur === null) {
      // Words before any --option after the config file: redis-server treats them as a config line too.
      cur = a;
    } else {
      cur += ' ' + quoteArg(a);
      curArgs++;
    }
  }
  if (cur !== null) lines.push(curArgs === 0 && cur === 'save' ? 'save ""' : cur);
  return { configFile, text: lines.join('\n') };
}

interface Source {
  text: string;
  /** For `include` paths and error messages. */
  name: string;
}

/** Applies config text to `config`; `include` directives read further files. Throws FatalConfigError. */
export function loadConfigText(config: Config, src: Source, depth = 0): void {
  const lines = src.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line[0] === '#') continue;
    const argv = splitArgs(line);
    if (argv === null) throw new FatalConfigError(i + 1, line, 'Unbalanced quotes in configuration line');
    if (argv.length === 0) continue;
    const name = argv[0].toLowerCase();
    if (name === 'include' && argv.length === 2) {
      if (depth > 16) throw new FatalConfigError(i + 1, line, 'Too many nested includes');
      let text: string;
      try {
        text = readFileSync(argv[1], 'latin1');
      } catch (e) {
        throw new FatalConfigError(i + 1, line, `Fatal error, can't open config file '${argv[1]}': ${(e as Error).message}`);
      }
      loadConfigText(config, { text, name: argv[1] }, depth + 1);
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

/** Reads the config file (or '-' for stdin) named on the command line. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'latin1');
  } catch (e) {
    throw new FatalConfigError(0, '', `Fatal error, can't open config file '${path}': ${(e as NodeJS.ErrnoException).message}`);
  }
}
