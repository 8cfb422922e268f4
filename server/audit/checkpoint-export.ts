import type { Database } from '../db/client';
import { checkpointPage } from '../queries/audit-checkpoints';
import { readSetting } from '../queries/settings';
import { ANCHOR_SETTING } from './verification-state';
import type { SignedCheckpoint } from './checkpoint-key';

/**
 * The export format: a first line with the public key (so the file verifies on its own),
 * the retention anchor when there is one, then one line per checkpoint in seq order.
 */
export async function* checkpointExportLines(database: Database, key: { keyId: string; publicKeyPem: string }): AsyncGenerator<string> {
  yield `${JSON.stringify({ kind: 'vigil.audit.public-key', algorithm: 'ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem })}\n`;
  const anchor = await readSetting<SignedCheckpoint>(database, ANCHOR_SETTING);
  if (anchor) yield `${JSON.stringify({ kind: 'vigil.audit.anchor', ...anchor })}\n`;
  let after = 0;
  for (;;) {
    const page = await checkpointPage(database.prisma, after, 1000);
    for (const checkpoint of page) yield `${JSON.stringify({ kind: 'vigil.audit.checkpoint', ...checkpoint })}\n`;
    if (page.length < 1000) return;
    after = page[page.length - 1].seq;
  }
}
