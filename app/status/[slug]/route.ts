import type { NextRequest } from 'next/server';
import { withAccess } from '@/app/_lib/route-access';
import { statusPageResponse } from '@/app/_lib/status-page-response';

export const dynamic = 'force-dynamic';

/** Public by design: the page shows only what its operator chose to publish. */
export const GET = withAccess(
  async (request: NextRequest, context: { params: Promise<{ slug: string }> }) => statusPageResponse(request, (await context.params).slug),
  { kind: 'public' },
);
