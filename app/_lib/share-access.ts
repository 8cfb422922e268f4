import { headers } from 'next/headers';
import { unauthorized } from 'next/navigation';
import { InvalidShareLinkError, resolveShareLink, type ResolvedShareLink } from '@/server/share/share-links';
import { addressFromHeaders } from './api-route';
import { recordWebEvent } from './web-audit';
import type { WebContext } from './web-context';

/**
 * Opens a share link for a page render: a bad token ends in a 401 that looks the same
 * whatever was wrong; a good one is counted and audited with the viewer's address.
 */
export async function openSharedView(web: WebContext, token: string): Promise<ResolvedShareLink> {
  let link: ResolvedShareLink;
  try {
    link = await resolveShareLink(web.database.prisma, web.env.secret, token);
  } catch (error) {
    if (error instanceof InvalidShareLinkError) unauthorized();
    throw error;
  }
  await recordWebEvent(web, {
    type: 'share.viewed',
    severity: 'info',
    actor: 'anonymous',
    action: `open shared view "${link.title}"`,
    module: 'web',
    resource: `share:${link.id}`,
    source: addressFromHeaders(await headers(), web),
    method: 'share link',
    details: { path: link.view.path },
  });
  return link;
}
