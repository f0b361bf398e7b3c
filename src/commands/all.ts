// Every command group, in the order COMMAND lists them.

import type { CommandSpec } from './types.js';
import { connectionCommands } from './connection.js';
import { transactionCommands } from './transactions.js';
import { pubsubCommands } from './pubsub.js';
import { keyCommands } from './keys.js';
import { dbCommands } from './db.js';
import { stringCommands } from './string.js';
import { bitmapCommands } from './bitmap.js';
import { hashCommands } from './hash.js';
import { setCommands } from './set.js';
import { listCommands } from './list.js';
import { serverCommands } from './server-admin.js';
import { configCommands } from './config-cmd.js';
import { clientCommands } from './client-cmd.js';
import { debugCommands } from './debug.js';
import { zsetCommands } from './zset.js';
import { geoCommands } from './geo.js';
import { replicationCommands } from './replication.js';
import { persistenceCommands } from './persistence.js';
import { migrateCommands } from './migrate.js';
import { streamCommands } from './stream.js';
import { hyperloglogCommands } from './hyperloglog.js';
import { sortCommands } from './sort.js';
import { scriptingCommands } from './scripting.js';
import { functionCommands } from './functions.js';
import { clusterCommands } from './cluster.js';
import { memoryCommands } from './memory.js';
import { latencyCommands } from './latency.js';
import { aclCommands } from './acl.js';

export const ALL_COMMANDS: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  transactionCommands,
  pubsubCommands,
  keyCommands,
  dbCommands,
  stringCommands,
  bitmapCommands,
  hashCommands,
  setCommands,
  listCommands,
  serverCommands,
  configCommands,
  clientCommands,
  debugCommands,
  zsetCommands,
  geoCommands,
  replicationCommands,
  persistenceCommands,
  migrateCommands,
  scriptingCommands,
  functionCommands,
  clusterCommands,
  aclCommands,
  memoryCommands,
  latencyCommands,
  streamCommands,
  hyperloglogCommands,
  sortCommands,
];
