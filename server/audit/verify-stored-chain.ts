import { ChainVerifier, type ChainVerdict } from '@/lib/audit/hash-chain';
import type { Db } from '../db/client';
import { readAuditPage } from '../queries/audit';

/** Streams the stored chain page by page, so memory stays flat at any length. */
export async function verifyStoredChain(db: Db, options: { pageSize?: number; anchor?: { seq: number; hash: string } } = {}): Promise<ChainVerdict> {
  const verifier = new ChainVerifier(options.anchor);
  const pageSize = options.pageSize ?? 5000;
  let after = options.anchor?.seq ?? 0;
  for (;;) {
    const page = await readAuditPage(db, after, pageSize);
    for (const event of page) {
      if (!verifier.push(event)) return verifier.verdict();
    }
    if (page.length < pageSize) return verifier.verdict();
    after = page[page.length - 1].seq;
  }
}
