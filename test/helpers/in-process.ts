// An in-process redis-ts for command tests: a Server without listener or cron, one
// client whose reply bytes are read back, the effects it propagates, and a command
// clock a test can move instead of sleeping.

import type { Socket } from 'node:net';
import { Config } from '../../src/config/config.js';
import { Server } from '../../src/server/server.js';
import { CommandTable } from '../../src/commands/table.js';
import { ALL_COMMANDS } from '../../src/commands/all.js';
import type { Client } from '../../src/server/client.js';
import { processCommand } from '../../src/server/dispatch.js';

/** The command time (server.hooks.now): the wall clock, until a test sets it. */
export interface CommandClock {
  /** The time the last command ran at, or the time set. */
  now(): number;
  /** Commands see `ms` from now on, until the next set or advance. */
  set(ms: number): void;
  /** Moves the command time forward by `ms` (from the wall clock if it was never set). */
  advance(ms: number): void;
}

export interface InProcess {
  server: Server;
  client: Client;
  /** Runs one command as the client (processCommand) and returns its reply bytes as latin1. */
  run(...argv: string[]): string;
  /** Propagated effects, oldest first, each as [`db<n>`, ...argv]; tests may clear it. */
  effects: string[][];
  /** The effects recorded so far, removed from `effects`. */
  take(): string[][];
  clock: CommandClock;
}

/** A fresh server with default config; its client is connected to a socket that only records. */
export function inProcess(): InProcess {
  const server = new Server(new Config(), new CommandTable(ALL_COMMANDS));
  const effects: string[][] = [];
  server.replication.propagate = (db: number, argv: string[]) => {
    effects.push([`db${db}`, ...argv]);
  };
  const written: Buffer[] = [];
  const client = server.createClient(recordingSocket(written));
  const run = (...argv: string[]): string => {
    processCommand(server, client, argv);
    // What the server does at the end of an event-loop turn: replies go to the socket.
    server.flushAll();
    const reply = Buffer.concat(written).toString('latin1');
    written.length = 0;
    return reply;
  };
  return { server, client, run, effects, take: () => effects.splice(0), clock: commandClock(server) };
}

/**
 * Makes server.hooks.now settable from the test: dispatch stores Date.now() there before
 * each command, and once the test set a time that store is ignored.
 */
function commandClock(server: Server): CommandClock {
  const hooks = server.hooks;
  let stored = hooks.now;
  let manual: number | null = null;
  Object.defineProperty(hooks, 'now', {
    get: () => manual ?? stored,
    set: (ms: number) => {
      stored = ms;
    },
    enumerable: true,
    configurable: true,
  });
  return {
    now: () => hooks.now,
    set(ms) {
      manual = ms;
    },
    advance(ms) {
      manual = (manual ?? Date.now()) + ms;
    },
  };
}

/** The socket members a Client and the Server use, writing into `sink` and never closing anything real. */
function recordingSocket(sink: Buffer[]): Socket {
  const socket = {
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    localAddress: '127.0.0.1',
    localPort: 6379,
    writableLength: 0,
    write(chunk: Buffer | string): boolean {
      // A string goes out as a net.Socket sends it by default: UTF-8.
      sink.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      return true;
    },
    cork(): void {},
    uncork(): void {},
    pause: () => socket,
    end(cb?: () => void) {
      cb?.();
      return socket;
    },
    destroy: () => socket,
  };
  return socket as unknown as Socket;
}
