// Replication faults: a master that sends garbage, a truncated payload, a link cut
// in the middle of the RDB transfer, and a replica that stops reading until its
// output buffer limit trips. The replica logs, reconnects and converges; nothing is
// corrupted; other clients keep being served.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { startServer, type ServerProcess } from '../helpers/server.js';
import { replInfo, statsInfo, waitFor, waitInSync } from '../helpers/replication.js';
import { RdbWriter, BufferSink } from '../../src/persistence/rdb/writer.js';
import { RawClient } from '../helpers/raw-client.js';

const started: ServerProcess[] = [];
const fakes: NetServer[] = [];
async function start(opts: Parameters<typeof startServer>[0]): Promise<ServerProcess> {
  const s = await startServer(opts);
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  for (const f of fakes.splice(0)) f.close();
});

const REPLID = 'a'.repeat(40);

/** An RDB image holding `keys` string keys in db 0. */
function rdbImage(keys: Record<string, string>): Buffer {
  const sink = new BufferSink();
  const w = new RdbWriter(sink, {});
  w.writeHeader([['redis-ver', '7.0.15']]);
  w.writeSelectDb(0);
  for (const [k, v] of Object.entries(keys)) w.writeKey(k, v);
  w.writeEof();
  w.flush();
  return sink.toBuffer();
}

/**
 * A scripted master: answers the handshake, then lets `onPsync(socket, attempt)` send
 * whatever the scenario needs. Resolves with its port.
 */
async function fakeMaster(onPsync: (sock: Socket, attempt: number, argv: string[]) => void): Promise<number> {
  let attempt = 0;
  const srv = createServer((sock) => {
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (m === null) return;
        // Parse one multibulk request.
        let p = m[0].length;
        const argv: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const h = /^\$(\d+)\r\n/.exec(buf.slice(p));
          if (h === null) return;
          const len = Number(h[1]);
          if (buf.length < p + h[0].length + len + 2) return;
          argv.push(buf.slice(p + h[0].length, p + h[0].length + len));
          p += h[0].length + len + 2;
        }
        buf = buf.slice(p);
        const cmd = argv[0].toUpperCase();
        if (cmd === 'PING') sock.write('+PONG\r\n');
        else if (cmd === 'REPLCONF' && argv[1].toUpperCase() !== 'ACK') sock.write('+OK\r\n');
        else if (cmd === 'PSYNC') onPsync(sock, attempt++, argv);
      }
    });
  });
  fakes.push(srv);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const addr = srv.address();
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}

/** The last attempt sends a good payload followed by a SET in the stream. */
function sendGood(sock: Socket): void {
  const rdb = rdbImage({ good: 'data', other: 'key' });
  sock.write(`+FULLRESYNC ${REPLID} 0\r\n`);
  sock.write(`$${rdb.length}\r\n`);
  sock.write(rdb);
  sock.write('*3\r\n$3\r\nSET\r\n$6\r\nstream\r\n$2\r\nok\r\n');
}

async function expectConverged(replica: ServerProcess): Promise<void> {
  const r = replica.client();
  await waitFor('the replica to load the good payload and apply the stream', async () => (await r.get('stream')) === 'ok');
  expect(await r.get('good')).toBe('data');
  expect(await r.dbsize()).toBe(3);
  const info = await replInfo(r);
  expect(info.master_link_status).toBe('up');
  expect(info.slave_repl_offset).toBe('33');
}

function resp(...argv: string[]): string {
  return `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

describe('replica facing a faulty master', () => {
  it('a link cut inside a MULTI block: resumes from before MULTI, in the db the stream had selected', async () => {
    const applied = resp('SELECT', '9') + resp('SET', 'a', '1');
    const block = resp('MULTI') + resp('SET', 'b', '2') + resp('EXEC');
    let first: Socket | null = null;
    let resumeArgv: string[] = [];
    const port = await fakeMaster((sock, attempt, argv) => {
      if (attempt === 0) {
        first = sock;
        const rdb = rdbImage({});
        sock.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
        sock.write(rdb);
        // Everything of the block but its EXEC, then nothing: the link will be cut here.
        sock.write(applied + block.slice(0, block.length - resp('EXEC').length));
      } else {
        resumeArgv = argv;
        sock.write(`+CONTINUE ${REPLID}\r\n`);
        // The master resends from the requested offset: the whole block, then more, no SELECT.
        sock.write(block + resp('SET', 'c', '3'));
      }
    });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    const r = replica.client();
    await waitFor('the replica to apply what precedes MULTI', async () => (await replInfo(r)).slave_repl_offset === String(applied.length));
    first!.destroy();
    await waitFor('the replica to apply the resent block', async () => (await replInfo(r)).slave_repl_offset === String(applied.length + block.length + resp('SET', 'c', '3').length));
    expect(resumeArgv).toEqual(['PSYNC', REPLID, String(applied.length + 1)]);
    await r.select(9);
    expect(await r.mget('a', 'b', 'c')).toEqual(['1', '2', '3']);
    await r.select(0);
    expect(await r.dbsize()).toBe(0);
  });

  it('garbage instead of an RDB: logs, retries, converges', async () => {
    const port = await fakeMaster((sock, attempt) => {
      if (attempt === 0) {
        sock.write(`+FULLRESYNC ${REPLID} 0\r\n$64\r\n`);
        sock.write(Buffer.alloc(64, 0x5a));
      } else sendGood(sock);
    });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    // Other clients are served throughout.
    const c = await RawClient.connect(replica.port);
    expect(await c.call('PING')).toBe('+PONG\r\n');
    await expectConverged(replica);
    await replica.waitForOutput('Failed trying to load the MASTER synchronization DB');
    c.close();
  });

  it('a truncated payload then a closed link: reconnects and converges', async () => {
    const port = await fakeMaster((sock, attempt) => {
      if (attempt === 0) {
        const rdb = rdbImage({ half: 'transfer' });
        sock.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
        sock.end(rdb.subarray(0, rdb.length >> 1));
      } else sendGood(sock);
    });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    await expectConverged(replica);
    expect(await replica.client().get('half')).toBeNull();
    await replica.waitForOutput('Reconnecting to MASTER');
  });

  it('an EOF-framed transfer cut in the middle: reconnects and converges', async () => {
    const port = await fakeMaster((sock, attempt) => {
      if (attempt === 0) {
        const rdb = rdbImage({ cut: 'midway', more: 'x'.repeat(10000) });
        sock.write(`+FULLRESYNC ${REPLID} 0\r\n$EOF:${'m'.repeat(40)}\r\n`);
        sock.write(rdb.subarray(0, 5000));
        setTimeout(() => sock.destroy(), 50);
      } else sendGood(sock);
    });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port), '--repl-diskless-load', 'swapdb'] });
    await expectConverged(replica);
    expect(await replica.client().get('cut')).toBeNull();
  });

  it('a master stream with a protocol error drops the link without corrupting data', async () => {
    const port = await fakeMaster((sock, attempt) => {
      if (attempt === 0) {
        const rdb = rdbImage({ good: 'data', other: 'key' });
        sock.write(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`);
        sock.write(rdb);
        sock.write('*2\r\n$3\r\nDEL\r\n$4\r\ngood\r\n');
        sock.write('*1\r\n+GARBAGE\r\n');
      } else sendGood(sock);
    });
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(port)] });
    await expectConverged(replica);
    await replica.waitForOutput('Protocol error from MASTER');
  });
});

describe('master facing a replica that stops reading', () => {
  it('disconnects it at the output buffer limit with a log line, and the replica converges later', async () => {
    const master = await start({
      args: ['--repl-diskless-sync-delay', '0', '--repl-backlog-size', '16kb', '--client-output-buffer-limit', 'replica 2mb 1mb 1'],
    });
    const m = master.client();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const r = replica.client();
    await m.set('before', '1');
    await waitInSync(m, r);
    process.kill(replica.pid, 'SIGSTOP');
    try {
      const other = await RawClient.connect(master.port);
      for (let i = 0; i < 40; i++) await m.set(`big${i}`, 'v'.repeat(512 * 1024));
      await waitFor('the slow replica to be dropped', async () => (await replInfo(m)).connected_slaves === '0');
      // Everyone else is still served.
      expect(await other.call('GET', 'before')).toBe('$1\r\n1\r\n');
      other.close();
    } finally {
      process.kill(replica.pid, 'SIGCONT');
    }
    await master.waitForOutput(/overcoming of output buffer limits.*class replica.*client-output-buffer-limit replica/);
    const before = Number((await statsInfo(m)).sync_full);
    await waitInSync(m, r, 60000);
    expect(Number((await statsInfo(m)).sync_full)).toBe(before + 1);
    expect(await r.get('big39')).toHaveLength(512 * 1024);
  });
});
