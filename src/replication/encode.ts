// Encodes a command as RESP multibulk bytes, as the replication stream carries it.

export function encodeCommand(argv: readonly string[]): Buffer {
  let len = 1 + String(argv.length).length + 2;
  for (const a of argv) len += 1 + String(a.length).length + 2 + a.length + 2;
  const buf = Buffer.allocUnsafe(len);
  let p = buf.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    p += buf.latin1Write(`$${a.length}\r\n`, p);
    p += buf.latin1Write(a, p);
    buf[p++] = 13;
    buf[p++] = 10;
  }
  return buf;
}
