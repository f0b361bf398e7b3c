// A raw socket client: sends bytes, reads back whole replies as exact bytes.
// Every wait is bounded.

import { connect, type Socket } from 'node:net';
import { encodeCommand, replyEnd } from './resp.js';

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 5000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host });
      const t = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        s.setNoDelay(true);
        resolve(new RawClient(s));
      });
      s.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitData(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  send(...argv: (string | Buffer)[]): void {
    this.write(encodeCommand(argv));
  }

  /** The next complete reply's raw bytes (latin1 string). Rejects after timeoutMs. */
  async reply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buf.length > 0 ? replyEnd(this.buf, 0) : -1;
      if (end !== -1) {
        const r = this.buf.toString('latin1', 0, end);
        this.buf = this.buf.subarray(end);
        return r;
      }
      if (this.closed) throw new Error(`connection closed; pending bytes: ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply within ${timeoutMs} ms; pending bytes: ${JSON.stringify(this.buf.toString('latin1'))}`);
      await this.waitData(left);
    }
  }

  /** Sends one command and returns its raw reply. */
  async call(...argv: (string | Buffer)[]): Promise<string> {
    this.send(...argv);
    return this.reply();
  }

  /** Waits until the server closes the connection; true if it did within timeoutMs. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.waitData(left);
    }
    return true;
  }

  /**
   * Every reply received before the reply to a PING sent now (a subscribed RESP2
   * client's pong included): what the server sent this connection so far, without
   * waiting on time.
   */
  async drain(): Promise<string[]> {
    this.send('PING');
    const got: string[] = [];
    for (;;) {
      const r = await this.reply();
      if (r === '+PONG\r\n' || r === '*2\r\n$4\r\npong\r\n$0\r\n\r\n' || r === '>2\r\n$4\r\npong\r\n$0\r\n\r\n') return got;
      got.push(r);
    }
  }

  /** Bytes received and not yet consumed as replies. */
  pending(): string {
    return this.buf.toString('latin1');
  }

  close(): void {
    this.socket.destroy();
    this.closed = true;
  }
}
