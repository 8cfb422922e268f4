import { SCOPE_DEFINITIONS } from '@/lib/auth/scopes';
import { CONTRACT_NAMES, routeKey, type RouteContract } from '../contracts';
import { isScopeAuth } from '../http/auth';
import type { Method, OperationSpec } from './operation-spec';

const SUCCESS_DESCRIPTION: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

const isVoid = (contract: RouteContract) => (contract.response as { def?: { type?: string } }).def?.type === 'void';

/** `/api/v1/isolations/:source` → `PostApiV1IsolationsSource`: for a contract outside the named groups. */
const nameFromPath = (contract: RouteContract) =>
  `${contract.method.charAt(0)}${contract.method.slice(1).toLowerCase()}${contract.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`;

/**
 * One machine-API operation, derived from the worker's own declaration: its rule in the router's
 * terms (server/http/auth.ts) gives its security, scope and role; its schemas give its body,
 * query and answer. `internal` routes (the web app's) are not part of the public document.
 */
export function workerOperation(contract: RouteContract): OperationSpec | null {
  const { auth } = contract;
  if (auth === 'internal') return null;
  const name = CONTRACT_NAMES.get(routeKey(contract)) ?? nameFromPath(contract);
  const status = contract.status ?? 200;
  const spec: OperationSpec = {
    method: contract.method.toLowerCase() as Method,
    path: contract.path.replace(/:([a-zA-Z]+)/g, '{$1}'),
    tag: contract.tag,
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    ...(contract.body ? { body: [`${name}Request`, contract.body] } : {}),
    ...(contract.query ? { query: [`${name}Query`, contract.query] } : {}),
    ...(isVoid(contract) ? {} : { response: [`${name}Response`, contract.response] }),
    success: {
      status: String(status),
      description: SUCCESS_DESCRIPTION[status] ?? 'OK',
      ...(contract.contentType ? { contentType: contract.contentType } : {}),
    },
    auth: 'public',
    server: 'worker',
  };
  return isScopeAuth(auth) ? { ...spec, auth: 'token', scope: auth, role: SCOPE_DEFINITIONS[auth].role } : { ...spec, auth };
}

export function workerOperations(contracts: readonly RouteContract[]): OperationSpec[] {
  return contracts.map(workerOperation).filter((op): op is OperationSpec => op !== null);
}
