import { buildOpenApiDocument } from '@/server/openapi/openapi';

/**
 * Public on purpose: the document describes the API and exposes no data, and tools such as
 * client generators fetch it without a session. Every operation it lists still enforces its own auth.
 */
export function GET() {
  return Response.json(buildOpenApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
