import { canView } from '@/lib/auth/roles';
import { auditExportQuerySchema, resolveAuditFilters } from '@/lib/audit/filters';
import { csvHeader, csvRow, ndjsonLine } from '@/lib/audit/export-format';
import { streamAuditEvents } from '@/server/queries/audit-search';
import { apiRoute } from '@/app/_lib/api-route';

/** Lines are grouped into chunks of this many bytes or so, so the stream is not one enqueue per event. */
const FLUSH_BYTES = 64 * 1024;

// Reading is not a state change, so exports are not audited.
export const GET = apiRoute({
  authorize: canView,
  query: auditExportQuerySchema,
  async handler({ web, query }) {
    const events = streamAuditEvents(web.database, resolveAuditFilters(query))[Symbol.asyncIterator]();
    const format = query.format;
    const encoder = new TextEncoder();
    let headerSent = format !== 'csv';
    // pull() runs only when the consumer wants more, so at most one chunk is held: memory is flat for any size.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let text = headerSent ? '' : csvHeader();
        headerSent = true;
        while (text.length < FLUSH_BYTES) {
          const next = await events.next();
          if (next.done) {
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += format === 'csv' ? csvRow(next.value) : ndjsonLine(next.value);
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await events.return?.(undefined);
      },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="vigil-audit-${stamp}.${format}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  },
});
