import type { NextRequest } from 'next/server';
import type { ZodType } from 'zod';
import { ApiError, assertSameOrigin, handleError } from './api-route';
import { getWebContext, type WebContext } from './web-context';

/** For the two forms used before anyone is signed in (sign-in and first set-up). */
export function publicFormRoute<B>(schema: ZodType<B>, handler: (ctx: { request: NextRequest; web: WebContext; body: B }) => Promise<Response>) {
  return async (request: NextRequest): Promise<Response> => {
    let web: WebContext | null = null;
    try {
      web = await getWebContext();
      assertSameOrigin(request);
      let raw: unknown;
      try {
        raw = await request.json();
      } catch {
        throw new ApiError(400, 'invalid_json', 'request body is not valid JSON');
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new ApiError(422, 'invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      return await handler({ request, web, body: parsed.data });
    } catch (error) {
      return handleError(error, web, request);
    }
  };
}
