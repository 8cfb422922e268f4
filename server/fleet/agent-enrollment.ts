import type { WorkerEnv } from '../env/worker-env';
import type { Logger } from '../log';
import {
  agentFilesIn,
  EnrollmentRefusedError,
  loadAgentKey,
  readAgentIdentity,
  requestEnrollment,
  writeAgentIdentity,
  type AgentIdentity,
} from './agent-identity';

/** Enrolls on first start (with retries while the console is unreachable), then reuses the identity. */
export async function enrolledIdentity(
  env: NonNullable<WorkerEnv['fleet']>,
  dataDir: string,
  log: Logger,
  stopped: () => boolean,
): Promise<AgentIdentity | null> {
  const files = agentFilesIn(dataDir);
  const key = loadAgentKey(files);
  const known = readAgentIdentity(files);
  if (known) return { ...known, consoleUrl: env.consoleUrl };
  if (!env.enrollmentToken) {
    log.error('agent mode: not enrolled yet and no VIGIL_ENROLLMENT_TOKEN to enroll with; running on this host alone');
    return null;
  }
  for (let attempt = 0; !stopped(); attempt++) {
    try {
      // Each attempt asks the next replica: one that is down does not hold up the enrollment.
      const enrolled = await requestEnrollment({
        consoleUrl: env.consoleUrls[attempt % env.consoleUrls.length]!,
        token: env.enrollmentToken,
        name: env.agentName,
        publicKeyPem: key.publicKeyPem,
      });
      log.info({ hostId: enrolled.hostId }, 'enrolled with the fleet console');
      return writeAgentIdentity(files, enrolled, env.consoleUrl);
    } catch (error) {
      if (error instanceof EnrollmentRefusedError) {
        log.error({ err: error.message }, 'agent mode: enrollment refused; running on this host alone');
        return null;
      }
      const delayMs = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random());
      log.warn({ err: (error as Error).message, retryInMs: Math.round(delayMs) }, 'agent mode: the console is unreachable; retrying the enrollment');
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
  return null;
}
