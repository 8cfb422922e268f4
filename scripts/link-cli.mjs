#!/usr/bin/env node
// Run by `npm install`: links node_modules/.bin/vigil to the CLI (scripts/lib/cli-link.mjs says why).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkCli } from './lib/cli-link.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (linkCli(root)) process.stdout.write('vigil: linked node_modules/.bin/vigil to scripts/vigil.mjs\n');
