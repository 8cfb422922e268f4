import { canView } from '@/lib/auth/roles';
import { checkpointExportLines } from '@/server/audit/checkpoint-export';
import { apiRoute } from '@/app/_lib/api-route';

/** The signed checkpoints and the public key, as NDJSON: a copy to keep off the host. */
export const GET = apiRoute({
  authorize: canView,
  async handler({ web }) {
    const key = await web.worker.auditPublicKey();
    const encoder = new TextEncoder();
    const lines = checkpointExportLines(web.database, key);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="vigil-audit-checkpoints-${key.keyId}.ndjson"`,
        'cache-control': 'no-store',
      },
    });
  },
});
