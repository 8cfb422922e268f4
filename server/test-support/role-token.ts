import { randomUUID } from 'node:crypto';
import type { Role } from '@/lib/auth/roles';
import type { Scope } from '@/lib/auth/scopes';
import { generateApiToken } from '../auth/api-tokens';
import { createApiToken } from '../queries/api-tokens';
import type { TestWorker } from './test-worker';

/** A fresh API token of `role` on the worker's database; returns the secret to send. */
export async function createRoleToken(t: TestWorker, role: Role, name: string = role): Promise<string> {
  const generated = generateApiToken();
  await t.worker.database.prisma.apiToken.create({ data: { id: randomUUID(), name, prefix: generated.prefix, tokenHash: generated.tokenHash, role } });
  return generated.token;
}

/** A fresh API token of `role` limited to `scopes`; returns its id (to revoke it) and the secret to send. */
export async function createScopedToken(
  t: TestWorker,
  options: { role: Role; scopes: readonly Scope[]; name?: string },
): Promise<{ id: string; token: string }> {
  const generated = generateApiToken();
  const id = randomUUID();
  await createApiToken(t.worker.database.prisma, {
    id,
    name: options.name ?? options.scopes.join(' '),
    prefix: generated.prefix,
    tokenHash: generated.tokenHash,
    role: options.role,
    scopes: options.scopes,
    createdById: null,
  });
  return { id, token: generated.token };
}
