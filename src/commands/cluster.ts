// CLUSTER: redis-ts runs as a standalone server, as redis-server does with
// cluster-enabled no; every subcommand answers that cluster support is disabled. The
// table entries still carry Redis's flags, which decide, for instance, that a script
// may not run CLUSTER RESET.

import type { Client } from '../server/client.js';
import type { CommandSpec } from './types.js';

function clusterDisabled(c: Client): void {
  c.error('ERR This instance has cluster support disabled');
}

export const clusterCommands: CommandSpec[] = [
  {
    name: 'cluster',
    arity: -2,
    flags: [],
    group: 'cluster',
    subcommands: [
    { name: 'slots', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'info', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'set-config-epoch', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'flushslots', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'addslots', arity: -3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'getkeysinslot', arity: 4, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'countkeysinslot', arity: 3, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'saveconfig', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'slaves', arity: 3, flags: ['admin', 'stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'delslotsrange', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'bumpepoch', arity: 2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'keyslot', arity: 3, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'replicas', arity: 3, flags: ['admin', 'stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'delslots', arity: -3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'links', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'reset', arity: -2, flags: ['admin', 'noscript', 'stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'forget', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'addslotsrange', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'meet', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'myid', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'setslot', arity: -4, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'replicate', arity: 3, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'nodes', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'shards', arity: 2, flags: ['stale'], group: 'cluster', handler: clusterDisabled },
    { name: 'failover', arity: -2, flags: ['admin', 'stale', 'no_async_loading'], group: 'cluster', handler: clusterDisabled },
    { name: 'count-failure-reports', arity: 3, flags: ['admin', 'stale'], group: 'cluster', handler: clusterDisabled },
    ],
  },
];
