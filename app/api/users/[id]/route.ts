import { z } from 'zod';
import { canAdminister, roleSchema } from '@/lib/auth/roles';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/passwords';
import { changeUser } from '@/server/auth/user-admin';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

const changeSchema = z
  .object({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1024).optional(),
  })
  .refine((c) => c.role !== undefined || c.disabled !== undefined || c.password !== undefined, 'change at least one of role, disabled, password');

export const PATCH = apiRoute({
  authorize: canAdminister,
  body: changeSchema,
  async handler({ web, principal, body, params, request }) {
    const user = await changeUser(web.database.prisma, params.id, body);
    const what = [
      body.role && `role → ${body.role}`,
      body.disabled !== undefined && (body.disabled ? 'disabled' : 'enabled'),
      body.password && 'password reset',
    ]
      .filter(Boolean)
      .join(', ');
    await recordWebEvent(web, {
      type: 'user.changed',
      severity: 'notice',
      actor: actorOf(principal),
      action: `change user ${user.username}: ${what}`,
      module: 'web',
      resource: `user:${user.username}`,
      source: requestAddress(request, web),
      method: 'operator action',
    });
    return { user };
  },
});
