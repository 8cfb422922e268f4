#!/usr/bin/env node
// Compiles the worker and the CLI into dist/ (run by `npm install`; `npm start` and `vigil`
// rebuild on their own when a source changed).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from './lib/bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// An image build installs the packages before it copies the sources in; `npm start` compiles then.
if (!existsSync(join(root, 'server', 'main.ts'))) {
  process.stdout.write('vigil: no sources to compile yet; `npm start` compiles them\n');
  process.exit(0);
}
const started = Date.now();
await buildBundle(root);
process.stdout.write(`vigil: compiled the worker and the CLI into dist/ in ${Date.now() - started} ms\n`);
