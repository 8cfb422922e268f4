import { buildOpenApiDocument } from '@/server/openapi/openapi';
import { withAccess } from '@/app/_lib/route-access';

/**
 * Public on purpose: the document describes the API and exposes no data, and tools such as
 * client generators fetch it without a session. Every operation it lists still enforces its own auth.
 */
export const GET = withAccess(() => Response.json(buildOpenApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }), { kind: 'public' });
