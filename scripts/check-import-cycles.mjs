#!/usr/bin/env node
// Fails when src/ has a runtime import cycle between files (type-only imports do not
// count: they vanish at compile time). Run by `npm test`; prints each cycle found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Runtime imports of one file: `import x from`, `import {a, type b}` with a value, `export ... from`. */
function runtimeImports(file) {
  const src = readFileSync(file, 'utf8');
  const out = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]/gms;
  for (const m of src.matchAll(re)) {
    if (m[2]) continue; // import type / export type
    const clause = m[3].trim();
    const braces = /^\{([\s\S]*)\}$/.exec(clause);
    if (braces && braces[1].split(',').every((s) => s.trim() === '' || s.trim().startsWith('type '))) continue;
    out.push(resolve(dirname(file), m[4].replace(/\.js$/, '.ts')));
  }
  for (const m of src.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) out.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  return out;
}

const graph = new Map(files(root).map((f) => [f, runtimeImports(f)]));
const cycles = [];
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const g of graph.get(f) ?? []) {
    if (!graph.has(g)) continue;
    if (state.get(g) === 1) cycles.push(stack.slice(stack.indexOf(g)).concat(g));
    else if (!state.has(g)) visit(g);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of graph.keys()) if (!state.has(f)) visit(f);

// The same between folders (src/server, src/keyspace/types ...): layers point one way.
// Files directly in src/ (the entry point, version, log) stand for themselves.
const folderOf = (f) => relative(root, dirname(f)) || relative(root, f);
const folders = new Map();
for (const [f, deps] of graph) {
  const from = folderOf(f);
  if (!folders.has(from)) folders.set(from, new Map());
  for (const g of deps) {
    const to = folderOf(g);
    if (to !== from && graph.has(g)) folders.get(from).set(to, `${relative(root, f)} -> ${relative(root, g)}`);
  }
}
const fstate = new Map();
const fstack = [];
function visitFolder(d) {
  fstate.set(d, 1);
  fstack.push(d);
  for (const [e, why] of folders.get(d) ?? []) {
    if (fstate.get(e) === 1) {
      const loop = fstack.slice(fstack.indexOf(e)).concat(e);
      const edges = loop.slice(0, -1).map((x, i) => folders.get(x).get(loop[i + 1]));
      cycles.push([`folders ${loop.join(' -> ')} (${edges.join('; ')})`]);
    } else if (!fstate.has(e)) visitFolder(e);
  }
  fstack.pop();
  fstate.set(d, 2);
}
for (const d of folders.keys()) if (!fstate.has(d)) visitFolder(d);

if (cycles.length > 0) {
  for (const c of cycles) console.error('import cycle: ' + (c.length === 1 ? c[0] : c.map((f) => relative(root, f)).join(' -> ')));
  console.error(`${cycles.length} runtime import cycle(s) in src/`);
  process.exit(1);
}
console.log(`no runtime import cycles among ${graph.size} files and ${folders.size} folders in src/`);
