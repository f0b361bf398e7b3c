// Maps values read from an RDB to keyspace values. Strings and the collection
// classes come out of the reader ready to store; streams arrive as the codec's
// plain StreamData and become StreamValue objects once that type exists.

import type { Value } from '../keyspace/database.js';
import type { RdbValue } from './rdb/reader.js';

/** Converts stream data to the keyspace's stream type; set by the stream module. */
export let streamFromRdb: ((data: Extract<RdbValue, { type: 'stream' }>) => Value) | null = null;

export function registerStreamConverter(f: (data: Extract<RdbValue, { type: 'stream' }>) => Value): void {
  streamFromRdb = f;
}

export function toKeyspaceValue(v: RdbValue): Value {
  if (typeof v === 'string') return v;
  if (v.type === 'stream' && !('encoding' in v)) {
    if (streamFromRdb === null) throw new Error('Stream values cannot be loaded: the stream type is not available in this build');
    return streamFromRdb(v as Extract<RdbValue, { type: 'stream' }>);
  }
  return v as Value;
}
