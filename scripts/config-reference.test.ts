import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from './config-reference';

const committed = path.join(import.meta.dirname, '..', 'docs', 'configuration.md');

describe('docs/configuration.md', () => {
  it('is exactly what the config schema generates', () => {
    // Compared line by line so a failure points at the first row that drifted, not a 40 kB blob.
    const generated = renderConfigReference().split('\n');
    const onDisk = readFileSync(committed, 'utf8').split('\n');
    expect(
      onDisk,
      'docs/configuration.md is out of date with lib/config/config-schema.ts: run `npx tsx scripts/config-reference.ts` and commit the result',
    ).toEqual(generated);
  });
});
