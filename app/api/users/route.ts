import { z } from 'zod';
import { canAdminister, roleSchema } from '@/lib/auth/roles';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/passwords';
import { USERNAME_PATTERN } from '@/server/auth/first-admin';
import { addUser } from '@/server/auth/user-admin';
import { listUsers } from '@/server/queries/users';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

const newUserSchema = z.object({
  username: z.string().trim().regex(USERNAME_PATTERN, '3-64 letters, digits or _ . @ -'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  role: roleSchema,
});

export const GET = apiRoute({
  authorize: canAdminister,
  handler: async ({ web }) => ({ users: await listUsers(web.database.prisma) }),
});

export const POST = apiRoute({
  authorize: canAdminister,
  body: newUserSchema,
  async handler({ web, principal, body, request }) {
    const user = await addUser(web.database.prisma, body);
    await recordWebEvent(web, {
      type: 'user.created',
      severity: 'notice',
      actor: actorOf(principal),
      action: `create user ${user.username} (${user.role})`,
      module: 'web',
      resource: `user:${user.username}`,
      source: requestAddress(request, web),
      method: 'operator action',
    });
    return Response.json({ user }, { status: 201 });
  },
});
