/**
 * Headers every worker answer carries. The router sets them one by one; a fast handler passes
 * them with its own to a single `writeHead`, because any header set before it (`setHeader`)
 * sends Node down a slower path where every header is validated and stored twice.
 */
export const BASE_RESPONSE_HEADERS = { 'x-content-type-options': 'nosniff' } as const;
