import type { AuditEventInput } from '@/lib/audit/types';
import { toPendingEvent } from '@/server/audit';
import { appendAuditBatch } from '@/server/queries/audit';
import type { WebContext } from './web-context';

/**
 * Operator actions and sign-ins taken by the web app. The chain's head-row lock makes
 * this append safe alongside the worker's; a failure is logged, never shown to the user.
 */
export async function recordWebEvent(web: WebContext, input: AuditEventInput): Promise<void> {
  try {
    await appendAuditBatch(web.database, [toPendingEvent(input)]);
  } catch (error) {
    web.log.error({ err: (error as Error).message, type: input.type }, 'audit event from the web app could not be stored');
  }
}
