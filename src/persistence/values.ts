// Maps values read from an RDB to keyspace values. Strings and the collection
// classes come out of the reader ready to store; streams arrive as the codec's
// plain StreamData and are laid out into nodes with the configured limits.

import type { Value } from '../keyspace/database.js';
import { StreamValue, type NodeLimits } from '../keyspace/types/stream.js';
import type { StreamData } from '../keyspace/types/stream-data.js';
import type { RdbValue } from './rdb/reader.js';

export function toKeyspaceValue(v: RdbValue, streamLimits: NodeLimits): Value {
  if (typeof v === 'string') return v;
  if (v.type === 'stream' && !('encoding' in v)) return StreamValue.fromStreamData(v as StreamData, streamLimits);
  return v as Value;
}
