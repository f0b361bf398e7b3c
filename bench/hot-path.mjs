// In-process cost of the command path (dispatch -> handler -> reply) for GET, SET
// and INCR, without sockets: for comparing two builds of the same hot path.
//
//   node bench/hot-path.mjs [root]      root: a checkout with dist/ built (default: this one)

const root = process.argv[2] ?? new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { Server } = await import(root + '/dist/server/server.js');
const { Config } = await import(root + '/dist/config/config.js');
const { CommandTable } = await import(root + '/dist/commands/table.js');
const { ALL_COMMANDS } = await import(root + '/dist/commands/all.js');
const { processCommand } = await import(root + '/dist/server/dispatch.js');
const server = new Server(new Config(), new CommandTable(ALL_COMMANDS));
try { const m = await import(root + '/dist/scripting/scripting.js'); await m.attachScripting(server); } catch {}
const sock = { write(){return true}, cork(){}, uncork(){}, remoteAddress:'127.0.0.1', remotePort: 1, localAddress:'127.0.0.1', localPort: 2, writableLength: 0, on(){}, once(){}, end(){}, destroy(){} };
const c = server.createClient(sock);
const run = (argv) => { processCommand(server, c, argv); c.dropOutput(); };
run(['set', 'foo', 'bar']);
const N = 1000000;
for (const argv of [['get','foo'], ['set','foo','bar'], ['incr','n']]) {
  for (let i = 0; i < 100000; i++) run(argv);
  let best = Infinity;
  for (let r = 0; r < 3; r++) { const t0 = performance.now(); for (let i = 0; i < N; i++) run(argv); best = Math.min(best, performance.now() - t0); }
  console.log(argv[0], (best * 1000 / N).toFixed(3), 'us/op');
}
process.exit(0);
