// Reads what a server propagates: attaches as a replica with SYNC (works against
// redis-server and redis-ts alike), skips the RDB payload and decodes the command
// stream that follows. Plus small INFO pollers used by blocking-command tests.

import { connect, type Socket } from 'node:net';
import { RawClient } from './raw-client.js';
import { startServer, type ServerProcess } from './server.js';

/** Decodes complete multibulk commands from buf into out; returns the undecoded rest. */
export function decodeCommands(buf: Buffer, out: string[][]): Buffer {
  let p = 0;
  for (;;) {
    while (p < buf.length && buf[p] === 0x0a) p++; // keep-alive newlines
    if (p >= buf.length || buf[p] !== 0x2a) break;
    const nl = buf.indexOf('\r\n', p);
    if (nl < 0) break;
    const n = Number(buf.toString('latin1', p + 1, nl));
    let q = nl + 2;
    const argv: string[] = [];
    let complete = true;
    for (let i = 0; i < n; i++) {
      const e = buf.indexOf('\r\n', q);
      if (e < 0 || buf[q] !== 0x24) {
        complete = false;
        break;
      }
      const len = Number(buf.toString('latin1', q + 1, e));
      if (buf.length < e + 2 + len + 2) {
        complete = false;
        break;
      }
      argv.push(buf.toString('latin1', e + 2, e + 2 + len));
      q = e + 2 + len + 2;
    }
    if (!complete) break;
    out.push(argv);
    p = q;
  }
  return buf.subarray(p);
}

/** What a server propagates, as commands (PING and SELECT left out). */
export interface StreamTap {
  take(): Promise<string[][]>;
  close(): void;
}

/** Attaches to the server as a replica with SYNC and decodes the stream after the RDB payload. */
export async function tapReplicationStream(port: number): Promise<StreamTap> {
  const sock: Socket = connect({ port, host: '127.0.0.1' });
  let buf: Buffer = Buffer.alloc(0);
  let rdbLeft = -1;
  const cmds: string[][] = [];
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (rdbLeft < 0) {
      let p = 0;
      while (p < buf.length && buf[p] === 0x0a) p++;
      const nl = buf.indexOf('\r\n', p);
      if (nl < 0) return;
      rdbLeft = Number(buf.toString('latin1', p + 1, nl));
      buf = buf.subarray(nl + 2);
    }
    if (rdbLeft > 0) {
      const skip = Math.min(rdbLeft, buf.length);
      rdbLeft -= skip;
      buf = buf.subarray(skip);
    }
    if (rdbLeft === 0) buf = decodeCommands(buf, cmds);
  });
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  sock.write('SYNC\r\n');
  const deadline = Date.now() + 10000;
  while (rdbLeft !== 0) {
    if (Date.now() > deadline) throw new Error('no RDB payload from SYNC');
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    async take() {
      // Let the stream catch up with a marker write we can recognise.
      const c = await RawClient.connect(port);
      await c.call('SET', '__mark__', '1');
      c.close();
      const until = Date.now() + 5000;
      while (!cmds.some((a) => a[0] === 'SET' && a[1] === '__mark__')) {
        if (Date.now() > until) throw new Error(`stream marker not seen: ${JSON.stringify(cmds)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return cmds.splice(0).filter((a) => a[0] !== 'PING' && a[0] !== 'SELECT' && a[1] !== '__mark__');
    },
    close() {
      sock.destroy();
    },
  };
}

/** A redis-ts server with its replication stream tapped. */
export async function startTappedServer(args: string[] = []): Promise<{ server: ServerProcess; port: number; tap: StreamTap; stop(): Promise<void> }> {
  const server = await startServer({ args: ['--repl-diskless-sync-delay', '0', ...args] });
  const tap = await tapReplicationStream(server.port);
  return {
    server,
    port: server.port,
    tap,
    async stop() {
      tap.close();
      await server.stop();
    },
  };
}

export async function blockedClients(admin: RawClient): Promise<number> {
  const m = /blocked_clients:(\d+)/.exec(await admin.call('INFO', 'clients'));
  return m === null ? -1 : Number(m[1]);
}

export async function waitBlocked(admin: RawClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await blockedClients(admin)) !== n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** rdb_changes_since_last_save: the change counter a command moved. */
export async function changes(admin: RawClient): Promise<number> {
  const m = /rdb_changes_since_last_save:(\d+)/.exec(await admin.call('INFO', 'persistence'));
  return m === null ? -1 : Number(m[1]);
}

/** A plain command; { block } from a new client that must block; { serve } a command serving every waiter. */
export type Step = string[] | { block: string[] } | { serve: string[] };

/**
 * Runs steps on one server: plain commands from one client; { block } from a new client
 * that is expected to block; { serve } a command that serves every waiter, whose replies
 * follow its own. Returns every reply, the change-counter delta of each step and what
 * was propagated.
 */
export async function runSteps(port: number, tap: StreamTap, steps: Step[]): Promise<{ replies: string[]; dirty: number[]; stream: string[][] }> {
  const admin = await RawClient.connect(port);
  const c = await RawClient.connect(port);
  const waiters: RawClient[] = [];
  try {
    await c.call('FLUSHALL');
    await tap.take();
    const replies: string[] = [];
    const dirty: number[] = [];
    for (const step of steps) {
      const before = await changes(admin);
      if (Array.isArray(step)) {
        replies.push(await c.call(...step));
      } else if ('serve' in step) {
        replies.push(await c.call(...step.serve));
        for (const w of waiters.splice(0)) {
          replies.push(await w.reply());
          w.close();
        }
        await waitBlocked(admin, 0);
      } else {
        const w = await RawClient.connect(port);
        waiters.push(w);
        w.send(...step.block);
        await waitBlocked(admin, waiters.length);
      }
      dirty.push((await changes(admin)) - before);
    }
    return { replies, dirty, stream: await tap.take() };
  } finally {
    for (const w of waiters) w.close();
    c.close();
    admin.close();
  }
}
