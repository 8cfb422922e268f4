import { z } from 'zod';
import { canOperate } from '@/lib/auth/roles';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';

const verifySchema = z.object({ mode: z.enum(['full', 'incremental']).default('incremental') });

/** Runs a verification now, in the worker, which owns the signing key. */
export const POST = apiRoute({
  authorize: canOperate,
  body: verifySchema,
  async handler({ web, principal, body, request }) {
    await recordWebEvent(web, {
      type: 'audit.verify_requested',
      severity: 'info',
      actor: `${principal.kind}:${principal.name}`,
      action: `request ${body.mode} audit verification`,
      module: 'audit',
      method: 'api',
      source: requestAddress(request, web),
      details: { mode: body.mode },
    });
    return web.worker.verifyAudit({ mode: body.mode });
  },
});
