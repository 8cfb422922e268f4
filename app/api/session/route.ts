import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  handler: async ({ principal }) => ({ user: { id: principal.id, name: principal.name, role: principal.role } }),
});
