// Command line, shaped like redis-server's: `redis-ts [config-file] [--<directive> <value...>]...`.
// commander handles --help and --version; every other --flag is a config directive,
// turned into config text exactly as redis-server does and read after the file.

import { Command as Commander } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Config } from './config/config.js';
import { assembleConfigText, FatalConfigError, loadConfigText, optionsToConfigText } from './config/parse-file.js';
import { Logger } from './log.js';
import { Server } from './server/server.js';
import { CommandTable } from './commands/table.js';
import { attachScripting } from './scripting/scripting.js';
import { ALL_COMMANDS } from './commands/all.js';
import { VERSION } from './version.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

const HELP_EPILOG = `
Every redis.conf directive is also a flag: --<directive> <value...>

Examples:
  redis-ts                                  (run with default configuration)
  redis-ts /etc/redis/6379.conf
  redis-ts --port 7777
  redis-ts --port 7777 --replicaof 127.0.0.1 8888
  redis-ts /etc/myredis.conf --loglevel verbose --save 60 1000
  redis-ts --save ""                        (no snapshots)
`;

/** Parses argv into a Config, or exits 1 with redis-server's fatal config report. */
export function buildConfig(argv: readonly string[]): Config {
  const config = new Config();
  const cl = optionsToConfigText(argv);
  try {
    // Redis keeps the absolute path: `dir` changes the working directory later.
    if (cl.configFile !== null) config.configFile = resolve(cl.configFile);
    loadConfigText(config, assembleConfigText(cl));
    const logErr = Logger.checkFile(config.str('logfile'));
    if (logErr !== null) throw new FatalConfigError(0, '', logErr);
  } catch (e) {
    if (e instanceof FatalConfigError) {
      if (e.logOnly) {
        const log = new Logger({ level: 'notice', file: '', format: 'redis' });
        log.role = 'C';
        log.warning(e.reason);
      } else {
        process.stderr.write(e.report(VERSION));
      }
      process.exit(1);
    }
    throw e;
  }
  return config;
}

/** The command table with the config's rename-command lines applied; exits as Redis does on an unknown name. */
function commandTableFor(config: Config): CommandTable {
  const table = new CommandTable(ALL_COMMANDS);
  for (const r of config.renamedCommands) {
    if (!table.rename(r.from, r.to)) {
      process.stderr.write(new FatalConfigError(r.lineNumber, r.lineText, 'No such command in rename-command').report(VERSION));
      process.exit(1);
    }
  }
  return table;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Commander('redis-ts')
    .usage('[/path/to/redis.conf] [options] [-]')
    .description('A Redis-compatible server (Redis 7.0 semantics) in TypeScript')
    .version(`redis-ts ${packageVersion()} (Redis ${VERSION} compatible), Node.js ${process.version}`, '-v, --version')
    .helpOption('-h, --help')
    .addHelpText('after', HELP_EPILOG)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument('[args...]');
  // Only --help and --version are commander's, and only as the first argument (as
  // redis-server): anywhere else they are directive values or directives.
  const first = argv[0];
  if (first === '-h' || first === '--help' || first === '-v' || first === '--version') {
    program.parse(['node', 'redis-ts', first]);
    return;
  }
  const config = buildConfig(argv);
  const server = new Server(config, commandTableFor(config));
  let exiting = false;
  server.onShutdown = (code) => {
    exiting = true;
    // Let the last log lines and replies reach their destinations.
    setImmediate(() => process.exit(code));
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (exiting) return;
    server.log.warning(`Received ${sig} scheduling shutdown...`);
    const words = server.config.words(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
    // A shutdown already waiting for replicas goes on; otherwise one starts (and may wait).
    if (server.shutdownSequence.initiated) return;
    const flags = { save: words.includes('save'), nosave: words.includes('nosave'), force: words.includes('force'), now: words.includes('now') };
    if (!server.shutdownSequence.request(flags, null) && !server.shutdownSequence.initiated) {
      server.log.warning(`${sig} received but errors trying to shut down the server, check the logs for more information`);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (e) => {
    server.log.warning(`=== REDIS-TS BUG REPORT: uncaught exception: ${e.stack ?? e.message}`);
    process.exit(1);
  });
  try {
    await attachScripting(server);
    await server.start();
  } catch (e) {
    // An empty message: the reason was logged where it was found.
    if ((e as Error).message !== '') server.log.warning((e as Error).message);
    process.exit(1);
  }
}
