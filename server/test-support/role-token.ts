import { randomUUID } from 'node:crypto';
import type { Role } from '@/lib/auth/roles';
import { generateApiToken } from '../auth/api-tokens';
import type { TestWorker } from './test-worker';

/** A fresh API token of `role` on the worker's database; returns the secret to send. */
export async function createRoleToken(t: TestWorker, role: Role, name: string = role): Promise<string> {
  const generated = generateApiToken();
  await t.worker.database.prisma.apiToken.create({ data: { id: randomUUID(), name, prefix: generated.prefix, tokenHash: generated.tokenHash, role } });
  return generated.token;
}
