import { z } from 'zod';
import { canOperate } from '@/lib/auth/roles';
import { degradationLevelSchema } from '@/lib/health/degradation';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

const pinSchema = z.object({
  level: degradationLevelSchema.nullable(),
  reason: z.string().trim().min(3, 'say why, in at least 3 characters').max(500),
});

export const POST = apiRoute({
  authorize: canOperate,
  body: pinSchema,
  handler: ({ web, principal, body }) => web.worker.pinDegradation({ level: body.level, reason: body.reason, actor: actorOf(principal) }),
});
