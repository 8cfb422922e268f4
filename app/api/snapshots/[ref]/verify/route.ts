import { canOperate } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Re-hashes every blob of the snapshot; answers with the verification summary. */
export const POST = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) => web.worker.verifySnapshot({ ref: params.ref, actor: actorOf(principal) }),
});
