import { RecoveryError, type RecoveryErrorCode } from '../recovery-error';

/** `rest:https://user:secret@host/` → `rest:https://user:***@host/`: a repository string may carry a credential. */
export function redactRepository(text: string): string {
  return text.replace(/(\/\/[^/:@\s]+):[^@/\s]+@/g, '$1:***@');
}

const PATTERNS: { code: RecoveryErrorCode; test: RegExp; say: string }[] = [
  { code: 'offsite_password', test: /wrong password|no key found/i, say: 'the password does not open it' },
  { code: 'offsite_full', test: /no space left on device|disk quota exceeded|quota exceeded|insufficient storage|ENOSPC/i, say: 'it is full' },
  { code: 'busy', test: /repository is already locked|unable to create lock/i, say: 'another restic run holds its lock; try again once it has finished' },
  {
    code: 'offsite_unreachable',
    test: /unable to open config file|is there a repository|connection refused|no route to host|could not resolve|no such host|connection reset|i\/o timeout|ssh: |subprocess ssh|unable to start the sftp session|host key verification failed|permission denied \(publickey/i,
    say: 'it cannot be reached',
  },
];

/** The last lines restic wrote to stderr, without its progress noise. */
function lastLines(stderr: string, count = 3): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('{'))
    .slice(-count)
    .join(' | ');
}

/** Turns a failed restic run into a message an operator can act on, naming the repository. */
export function resticFailure(input: { repoName: string; action: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }): RecoveryError {
  const detail = redactRepository(lastLines(input.stderr)).slice(0, 600);
  const where = `off-site repository ${input.repoName}`;
  if (input.signal)
    return new RecoveryError('offsite_failed', `${input.action} to ${where} was interrupted (restic killed by ${input.signal}); nothing was changed`);
  for (const pattern of PATTERNS) {
    if (pattern.test.test(input.stderr)) return new RecoveryError(pattern.code, `${input.action}: ${where}: ${pattern.say} (${detail})`);
  }
  return new RecoveryError('offsite_failed', `${input.action}: restic failed on ${where} with exit code ${input.code}${detail ? ` (${detail})` : ''}`);
}
