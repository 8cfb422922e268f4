import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { agentEnrolledSchema, type AgentEnrolled } from '@/lib/fleet/fleet-api';
import { loadCheckpointKey, type CheckpointKey } from '../audit/checkpoint-key';

const identitySchema = agentEnrolledSchema.extend({ consoleUrl: z.string() });
export type AgentIdentity = z.infer<typeof identitySchema>;

export interface AgentFiles {
  keyFile: string;
  identityFile: string;
}

export const agentFilesIn = (dataDir: string): AgentFiles => ({
  keyFile: path.join(dataDir, 'fleet', 'agent.key'),
  identityFile: path.join(dataDir, 'fleet', 'agent.json'),
});

/** The agent's Ed25519 key pair: created on first start (mode 0600), refused when others could read it. */
export function loadAgentKey(files: AgentFiles): CheckpointKey {
  return loadCheckpointKey(files.keyFile, { create: true })!;
}

/** The host id and the pinned console key of an enrolled agent; null before its first enrollment. */
export function readAgentIdentity(files: AgentFiles): AgentIdentity | null {
  let text: string;
  try {
    text = readFileSync(files.identityFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return identitySchema.parse(JSON.parse(text));
}

/** Written to a temporary file and renamed, so a crash leaves the old identity or the new one, never half. */
export function writeAgentIdentity(files: AgentFiles, enrolled: AgentEnrolled, consoleUrl: string): AgentIdentity {
  const identity: AgentIdentity = { ...enrolled, consoleUrl };
  mkdirSync(path.dirname(files.identityFile), { recursive: true, mode: 0o700 });
  const temporary = `${files.identityFile}.tmp`;
  writeFileSync(temporary, JSON.stringify(identity, null, 2), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, files.identityFile);
  return identity;
}

export class EnrollmentRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnrollmentRefusedError';
  }
}

/** Trades the enrollment token for a host id; a refusal (4xx but 429) is final, anything else may be retried. */
export async function requestEnrollment({
  consoleUrl,
  token,
  name,
  publicKeyPem,
}: {
  consoleUrl: string;
  token: string;
  name: string;
  publicKeyPem: string;
}): Promise<AgentEnrolled> {
  const response = await fetch(new URL('/api/v1/fleet/agents', consoleUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, publicKey: publicKeyPem, name }),
    signal: AbortSignal.timeout(15_000),
  });
  const body: unknown = await response.json().catch(() => null);
  // Throttled: not a refusal; the caller's back-off tries again.
  if (response.status === 429) throw new Error(`the console asked to retry the enrollment in ${response.headers.get('retry-after') ?? '?'} s`);
  if (response.status >= 400 && response.status < 500) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `status ${response.status}`;
    throw new EnrollmentRefusedError(`the console refused the enrollment: ${message}`);
  }
  if (!response.ok) throw new Error(`the console answered ${response.status} to the enrollment`);
  return agentEnrolledSchema.parse(body);
}
