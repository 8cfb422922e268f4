import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuditEventInput } from '@/lib/audit/types';
import type { AgentEnrolled, AgentEnrollment, HostLabels } from '@/lib/fleet/fleet-api';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import { insertEnrollmentToken, redeemEnrollmentToken } from '../queries/hosts';
import { FleetError } from './fleet-error';
import { isEd25519PublicKey } from './fleet-signing';

/** The prefix tells a leaked secret apart in a scanner's findings, like the API tokens' `vgl_`. */
const TOKEN_PREFIX = 'vfe_';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface EnrollmentDeps {
  database: Database;
  audit: AuditWriter;
  consolePublicKeyPem: string;
}

export async function createEnrollmentToken(
  { database, audit }: EnrollmentDeps,
  request: { labels: HostLabels; uses: number; expiresInMinutes: number; actor: string },
): Promise<{ token: string; expiresAt: string; uses: number }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + request.expiresInMinutes * 60_000);
  // Only the hash is stored: the secret exists in the answer and nowhere else.
  await insertEnrollmentToken(database.prisma, {
    id,
    tokenHash: hashOf(token),
    labels: JSON.stringify(request.labels),
    usesLeft: request.uses,
    expiresAt,
    createdBy: request.actor,
  });
  await audit.append({
    type: 'fleet.enrollment_created',
    severity: 'notice',
    actor: request.actor,
    action: 'create enrollment token',
    module: 'fleet',
    resource: id,
    method: 'api',
    details: { labels: request.labels, uses: request.uses, expiresAt: expiresAt.toISOString() },
  });
  return { token, expiresAt: expiresAt.toISOString(), uses: request.uses };
}

export async function enrollAgent(
  { database, audit, consolePublicKeyPem }: EnrollmentDeps,
  request: AgentEnrollment,
  source: string | null,
): Promise<AgentEnrolled> {
  if (!isEd25519PublicKey(request.publicKey)) throw new FleetError('invalid_public_key', 'publicKey must be an Ed25519 public key (SPKI PEM)');
  const host = await redeemEnrollmentToken(database.prisma, {
    tokenHash: hashOf(request.token),
    now: new Date(),
    host: { name: request.name, publicKey: request.publicKey },
  });
  const record = (event: Pick<AuditEventInput, 'type' | 'severity' | 'resource' | 'reason' | 'details'>) =>
    audit.append({ ...event, actor: `agent:${request.name}`, action: 'enroll agent', module: 'fleet', source, method: 'api' });
  if (!host) {
    await record({ type: 'fleet.enrollment_refused', severity: 'warning', reason: 'unknown, expired or used-up enrollment token' });
    throw new FleetError('enrollment_refused', 'the enrollment token is unknown, expired or used up');
  }
  // Recorded when it was first answered; a repeat only tells the agent again.
  if (host.repeated) return { hostId: host.id, consolePublicKey: consolePublicKeyPem };
  await record({
    type: 'fleet.host_enrolled',
    severity: 'notice',
    resource: `host:${host.id}`,
    details: { hostId: host.id, name: request.name, labels: JSON.parse(host.labels) as HostLabels },
  });
  return { hostId: host.id, consolePublicKey: consolePublicKeyPem };
}
