import { z } from 'zod';
import type { RouteAuth } from '../http/auth';
import type { HttpMethod } from '../contracts/route-contract';

/**
 * The documentation fields a router test does not care about, for routes declared inline: the
 * response is anything JSON unless the test says otherwise.
 */
export function testRoute<const A extends RouteAuth>(method: HttpMethod, path: string, auth: A) {
  return { method, path, auth, summary: `${method} ${path}`, tag: 'Test', response: z.unknown() };
}
