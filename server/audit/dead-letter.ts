import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Poisoned } from './poison-isolation';

/**
 * Where events the chain can never take are kept, one JSON line each with the reason and
 * when, fsynced before they leave the spool: set aside for a person to look at, not lost.
 */
export async function appendDeadLetters(file: string, poisoned: Poisoned[], now = new Date()): Promise<void> {
  if (poisoned.length === 0) return;
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o600);
  try {
    const at = now.toISOString();
    await handle.write(poisoned.map(({ event, reason }) => `${JSON.stringify({ quarantinedAt: at, reason, event })}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
