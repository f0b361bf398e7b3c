// Logging through pino with Redis's levels (debug verbose notice warning) and,
// by default, Redis's line format: "<pid>:<role> 24 Nov 2026 21:56:00.123 * msg".
// `log-format json` writes pino's JSON lines instead. `logfile ''` is stdout.

import { appendFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { pino, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export type LogFormat = 'redis' | 'json';

const LEVELS: Record<LogLevel, number> = { debug: 20, verbose: 25, notice: 30, warning: 40 };
const LEVEL_CHAR: Record<number, string> = { 20: '.', 25: '-', 30: '*', 40: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function redisTimestamp(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
  const ms3 = String(d.getMilliseconds()).padStart(3, '0');
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${ms3}`;
}

/** Where lines go: a file opened per write (so logrotate works, as Redis reopens), or stdout. */
class LineSink {
  private fd: number | null = null;

  constructor(
    private readonly path: string,
    private readonly format: LogFormat,
    private readonly role: () => string,
  ) {
    if (path === '') this.fd = 1;
  }

  write(json: string): void {
    let line = json;
    if (this.format === 'redis') {
      const o = JSON.parse(json) as { level: number; time: number; msg: string; pid: number };
      line = `${o.pid}:${this.role()} ${redisTimestamp(o.time)} ${LEVEL_CHAR[o.level] ?? '*'} ${o.msg}\n`;
    }
    try {
      if (this.fd !== null) writeSync(this.fd, line);
      else appendFileSync(this.path, line);
    } catch {
      // A log that cannot be written must not take the server down.
    }
  }
}

export class Logger {
  private readonly pino: PinoLogger<'verbose' | 'notice' | 'warning', boolean>;
  /** Role character in Redis's format: M master, S replica. */
  role = 'M';

  constructor(opts: { level: LogLevel; file: string; format: LogFormat }) {
    const sink = new LineSink(opts.file, opts.format, () => this.role);
    this.pino = pino(
      {
        level: opts.level,
        customLevels: { verbose: LEVELS.verbose, notice: LEVELS.notice, warning: LEVELS.warning },
        useOnlyCustomLevels: false,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.epochTime,
        formatters: {},
      },
      sink,
    );
  }

  /** Checks that a log file can be opened, as redis-server does before starting. */
  static checkFile(path: string): string | null {
    if (path === '') return null;
    try {
      closeSync(openSync(path, 'a'));
      return null;
    } catch (e) {
      return `Can't open the log file: ${(e as Error).message}`;
    }
  }

  set level(l: LogLevel) {
    this.pino.level = l;
  }

  enabled(l: LogLevel): boolean {
    return this.pino.isLevelEnabled(l);
  }

  debug(msg: string): void {
    this.pino.debug(msg);
  }

  verbose(msg: string): void {
    this.pino.verbose(msg);
  }

  notice(msg: string): void {
    this.pino.notice(msg);
  }

  warning(msg: string): void {
    this.pino.warning(msg);
  }
}
