#!/usr/bin/env node
// Generates redis.conf.example from the directive table (dist/config/schema.js, so run
// it after a build: `npm run gen:conf`). Usage: node scripts/gen-conf-example.mjs [output]
// (default: redis.conf.example at the package root).

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { DIRECTIVES } = await import(join(ROOT, 'dist/config/schema.js'));
const { directiveLines } = await import(join(ROOT, 'dist/config/rewrite.js'));

const HEADER = `# redis-ts configuration file example.
#
# Generated from the directive table (src/config/schema.ts) by
# scripts/gen-conf-example.mjs: do not edit by hand, run \`npm run gen:conf\`.
# Every directive is shown with its default value.
#
# NOTE: the append-only file (AOF) is not supported by redis-ts: only
# "appendonly no" is accepted and the other AOF directives have no effect.
# Persistence is by RDB snapshots (save, dbfilename, dir).
#
# Start the server with the file as first argument:
#
#   redis-ts /path/to/redis.conf [--directive value ...]
#
# Command-line flags are read after the file and override it.
#
# Memory sizes may take a unit, case-insensitively:
#   1k => 1000 bytes    1kb => 1024 bytes
#   1m => 1000000 bytes 1mb => 1024*1024 bytes
#   1g => 1000000000 bytes 1gb => 1024*1024*1024 bytes
#
# Other files can be included with "include /path/to/other.conf" (wildcards allowed
# in the file name: "include /etc/redis-ts/conf.d/*.conf").
#
# Directives marked "accepted, no effect in redis-ts" are kept (CONFIG GET shows
# them) but do nothing; a non-default value logs a warning at start.
# Directives marked "only the default is accepted" refuse any other value.
`;

function banner(section) {
  const title = ` ${section.toUpperCase()} `;
  const left = 32;
  return '#'.repeat(left) + title + '#'.repeat(Math.max(4, 78 - left - title.length));
}

function valueLines(d) {
  const r = d.type.parse(d.defaultArgs);
  if (!r.ok) throw new Error(`bad default for ${d.name}: ${r.error}`);
  if (d.name === 'dir') return ['dir ./'];
  const lines = directiveLines(d, r.value, r.value, 'needed');
  if (lines !== null) return lines.map((l) => l.line);
  if (d.name === 'bind') return [`bind ${r.value.join(' ')}`];
  if (d.type.kind === 'replicaof') return [`# ${d.name} <masterip> <masterport>`];
  return [`# ${d.name} <value>`];
}

let out = HEADER;
let section = null;
for (const d of DIRECTIVES) {
  // Test knobs stay out of the example, as they stay out of Redis's redis.conf.
  if (d.hidden) continue;
  if (d.section !== section) {
    section = d.section;
    out += `\n${banner(section)}\n`;
  }
  out += '\n';
  out += `# ${d.doc}\n`;
  const notes = [];
  if (d.aliases.length > 0) notes.push(`Also accepted as: ${d.aliases.join(', ')}.`);
  if (!d.mutable) notes.push('Cannot be changed with CONFIG SET.');
  if (d.protectedConfig) notes.push('CONFIG SET needs enable-protected-configs.');
  if (d.support === 'ignored') notes.push('(accepted, no effect in redis-ts)');
  if (d.support === 'refused') notes.push('(only the default is accepted: not supported yet)');
  if (notes.length > 0) out += `# ${notes.join(' ')}\n`;
  for (const l of valueLines(d)) out += l + '\n';
}

const target = process.argv[2] ?? join(ROOT, 'redis.conf.example');
writeFileSync(target, out);
