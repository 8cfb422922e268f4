import type { Database } from '../db/client';
import { readSetting } from '../queries/settings';
import type { VerificationResult } from '@/lib/audit/verification';

/** Settings the verifier keeps; the web app reads them without loading the verifier. */
export const VERIFICATION_SETTING = 'audit.verification';
export const ANCHOR_SETTING = 'audit.anchor';

export type { VerificationProblem, VerificationResult } from '@/lib/audit/verification';

export function readVerification(database: Database): Promise<VerificationResult | null> {
  return readSetting<VerificationResult>(database, VERIFICATION_SETTING);
}
