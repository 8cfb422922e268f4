import { randomUUID } from 'node:crypto';
import { canAdminister } from '@/lib/auth/roles';
import { createApiTokenSchema } from '@/lib/auth/scopes';
import { generateApiToken } from '@/server/auth/api-tokens';
import { createApiToken, listApiTokens } from '@/server/queries/api-tokens';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

export const GET = apiRoute({
  authorize: canAdminister,
  handler: async ({ web }) => ({ tokens: await listApiTokens(web.database.prisma) }),
});

export const POST = apiRoute({
  authorize: canAdminister,
  body: createApiTokenSchema,
  async handler({ web, principal, body, request }) {
    const { token, prefix, tokenHash } = generateApiToken();
    // A token made with a token acts for the same person, so it cannot outlive that person's account either.
    const created = await createApiToken(web.database.prisma, {
      id: randomUUID(),
      name: body.name,
      prefix,
      tokenHash,
      role: body.role,
      scopes: body.scopes,
      createdById: principal.kind === 'user' ? principal.id : (principal.ownerId ?? null),
    });
    const access = body.scopes.length > 0 ? `scopes ${body.scopes.join(', ')}` : 'full role access';
    await recordWebEvent(web, {
      type: 'token.created',
      severity: 'notice',
      actor: actorOf(principal),
      action: `create API token "${body.name}" (${body.role}; ${access})`,
      module: 'web',
      resource: `token:${prefix}`,
      source: requestAddress(request, web),
      method: 'operator action',
      details: { role: body.role, scopes: body.scopes },
    });
    // The only time the secret is shown: only its hash is stored.
    return Response.json({ token: { id: created.id, name: created.name, prefix, role: created.role, scopes: created.scopes, secret: token } }, { status: 201 });
  },
});
