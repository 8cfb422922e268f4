import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import { RecoveryError } from '../recovery/recovery-error';
import { readNamedSecret } from './named-secrets';

/**
 * What restic and the programs it starts (ssh for SFTP) may see of this process's environment:
 * the cloud back ends' credentials, the ssh agent and the home directory that holds ~/.ssh.
 * Vigil's own secrets (database URL, session secret) never reach the child.
 */
const PASSED_THROUGH =
  /^(AWS_|B2_|AZURE_|GOOGLE_|OS_|ST_|RCLONE_|RESTIC_(CACERT|TLS_CLIENT_CERT|COMPRESSION)$|SSH_AUTH_SOCK$|HOME$|USER$|LOGNAME$|TMPDIR$|TZ$)/;

/**
 * restic reads the password from RESTIC_PASSWORD_FILE or RESTIC_PASSWORD, never from its
 * arguments (which every user on the host can read in /proc).
 */
export function resticChildEnv(repo: Pick<OffsiteRepositoryConfig, 'name' | 'passwordFile' | 'passwordEnv'>, searchPath: string): NodeJS.ProcessEnv {
  const env: Record<string, string> = { PATH: searchPath };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && PASSED_THROUGH.test(key)) env[key] = value;
  if (repo.passwordFile) env.RESTIC_PASSWORD_FILE = repo.passwordFile;
  else if (repo.passwordEnv) {
    const password = readNamedSecret(repo.passwordEnv);
    if (password === undefined)
      throw new RecoveryError(
        'offsite_password',
        `off-site repository ${repo.name}: the environment variable ${repo.passwordEnv} that should hold its password is not set`,
      );
    env.RESTIC_PASSWORD = password;
  }
  return env as unknown as NodeJS.ProcessEnv;
}
