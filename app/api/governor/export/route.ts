import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** Every suggestion as a JSON file, for review or for another installation. */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }) => {
    const governor = await web.worker.governor();
    return new Response(`${JSON.stringify({ exportedAt: new Date().toISOString(), ...governor }, null, 2)}\n`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': 'attachment; filename="vigil-governor.json"',
        'cache-control': 'no-store',
      },
    });
  },
});
