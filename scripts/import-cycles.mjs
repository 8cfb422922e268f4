#!/usr/bin/env node
// Reports import cycles among lib/ and server/ (relative and `@/` imports, types included):
// `node scripts/import-cycles.mjs [prefix …]` lists the cycles that touch a file under a prefix
// (all of them without one) and exits 1 when there is any. No dependency: madge is not installed.
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['lib', 'server'];
const prefixes = process.argv.slice(2);
const files = new Set();
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.')) files.add(full);
  }
};
for (const root of ROOTS) walk(root);

const resolveImport = (from, spec) => {
  const base = spec.startsWith('@/') ? spec.slice(2) : spec.startsWith('.') ? path.join(path.dirname(from), spec) : null;
  if (base === null) return null;
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => files.has(candidate)) ?? null;
};

const graph = new Map();
for (const file of files) {
  const source = fs.readFileSync(file, 'utf8');
  const deps = new Set();
  for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
    const target = resolveImport(file, match[1]);
    if (target) deps.add(target);
  }
  graph.set(file, deps);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let counter = 0;
const order = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
const visit = (file) => {
  order.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const dep of graph.get(file)) {
    if (!order.has(dep)) {
      visit(dep);
      low.set(file, Math.min(low.get(file), low.get(dep)));
    } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file), order.get(dep)));
  }
  if (low.get(file) !== order.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== file);
  if (component.length > 1) cycles.push(component.sort());
};
for (const file of graph.keys()) if (!order.has(file)) visit(file);

const relevant = cycles.filter((cycle) => prefixes.length === 0 || cycle.some((file) => prefixes.some((prefix) => file.startsWith(prefix))));
for (const cycle of relevant) console.log(`cycle: ${cycle.join(' → ')}`);
console.log(`${relevant.length} cycle(s) among ${files.size} files`);
process.exitCode = relevant.length > 0 ? 1 : 0;
