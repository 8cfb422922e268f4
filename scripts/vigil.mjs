#!/usr/bin/env node
// The `vigil` command: runs the compiled CLI (dist/vigil.mjs) in this process, compiling it
// first when a source changed since the last build. Where dist/ cannot be written (an install
// owned by another user), it runs the TypeScript sources through tsx instead, slower but current.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleEntry, ensureBundle } from './lib/bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Snapshot and restore keep many fsyncs in flight; libuv's default pool of 4 would cap them.
// libuv sizes its pool on first use, which is after this line.
process.env.UV_THREADPOOL_SIZE ??= '16';

function runThroughTsx() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'cli', 'main.ts'), ...process.argv.slice(2)], {
    cwd: process.cwd(),
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: process.env.TSX_TSCONFIG_PATH ?? path.join(root, 'tsconfig.json') },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
}

let compiled = true;
try {
  await ensureBundle(root);
} catch (error) {
  compiled = false;
  process.stderr.write(`vigil: running from the sources, the compiled CLI could not be updated (${error.message})\n`);
}
if (compiled) await import(pathToFileURL(bundleEntry(root, 'vigil')).href);
else runThroughTsx();
