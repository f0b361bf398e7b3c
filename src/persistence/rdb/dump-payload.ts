// DUMP payloads read back for RESTORE (cluster.c verifyDumpPayload + rdbLoadObject):
// the 2-byte RDB version and CRC-64 footer checked, then one object decoded.

import { RDB_MAX_READ_VERSION, RdbError, type EncodingLimits } from './constants.js';
import { Crc64 } from './crc64.js';
import { RdbReader, type RdbValue } from './reader.js';

export const DUMP_VERSION_OR_CHECKSUM_ERROR = 'ERR DUMP payload version or checksum are wrong';
export const DUMP_BAD_FORMAT_ERROR = 'ERR Bad data format';

/** A RESTORE payload rejected; `message` is the exact error reply. */
export class DumpPayloadError extends Error {
  constructor(
    message: string,
    /** The codec error behind "Bad data format", for logs. */
    readonly detail?: RdbError,
  ) {
    super(message);
    this.name = 'DumpPayloadError';
  }
}

export interface DumpParseOptions extends Partial<EncodingLimits> {
  /** Highest accepted payload version. Default 12 (Redis 7.0 itself accepts up to 10). */
  maxVersion?: number;
  /** Check the CRC-64 (false = skip-checksum-validation). Default true. */
  verifyChecksum?: boolean;
}

export interface DumpPayload {
  value: RdbValue;
  rdbType: number;
  version: number;
  fieldExpires?: Map<string, number>;
}

/**
 * verifyDumpPayload + rdbLoadObject: the footer is a 2-byte little-endian RDB
 * version and a CRC-64 (little endian) of everything before the CRC. Empty
 * collections and module values are "Bad data format", as in Redis.
 */
export function parseDumpPayload(payload: Buffer, opts: DumpParseOptions = {}): DumpPayload {
  const len = payload.length;
  if (len < 10) throw new DumpPayloadError(DUMP_VERSION_OR_CHECKSUM_ERROR);
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > (opts.maxVersion ?? RDB_MAX_READ_VERSION)) throw new DumpPayloadError(DUMP_VERSION_OR_CHECKSUM_ERROR);
  if (opts.verifyChecksum !== false) {
    const crc = new Crc64().update(payload, 0, len - 8);
    if (!crc.equalsLE(payload, len - 8)) throw new DumpPayloadError(DUMP_VERSION_OR_CHECKSUM_ERROR);
  }
  try {
    const r = RdbReader.readSingleObject(payload.subarray(0, len - 10), opts);
    return { ...r, version };
  } catch (e) {
    if (e instanceof RdbError) throw new DumpPayloadError(DUMP_BAD_FORMAT_ERROR, e);
    throw e;
  }
}

/**
 * FUNCTION RESTORE's payload: the libraries' code, or an error text as Redis words
 * it. Checked like DUMP's; the records are read as an RDB body holding only functions.
 */
export function parseFunctionsPayload(payload: Buffer): string[] | { error: string } {
  const len = payload.length;
  if (len < 10) return { error: DUMP_VERSION_OR_CHECKSUM_ERROR };
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > RDB_MAX_READ_VERSION || !new Crc64().update(payload, 0, len - 8).equalsLE(payload, len - 8)) {
    return { error: DUMP_VERSION_OR_CHECKSUM_ERROR };
  }
  const body = payload.subarray(0, len - 10);
  const image = Buffer.concat([
    Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'),
    body,
    Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0]),
  ]);
  const r = new RdbReader({ verifyChecksum: false });
  try {
    r.feed(image);
    r.end();
    if (r.next() !== null) return { error: 'ERR given type is not a function' };
  } catch {
    return { error: 'ERR failed loading the given functions payload' };
  }
  return r.info.functions;
}
