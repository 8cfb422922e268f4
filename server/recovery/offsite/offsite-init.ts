import { RecoveryError } from '../recovery-error';
import type { OffsiteFrame } from './offsite-frame';
import { redactRepository } from './restic-failure';
import { runRestic } from './restic-runner';

export interface OffsiteInitView {
  repo: string;
  /** As configured, with any credential in it masked. */
  repository: string;
  /** The id restic gave the new repository. */
  resticId: string;
}

/** restic 0.14's words for a repository that exists already (the local back end and the others). */
const ALREADY_THERE = /config file already exists|repository master key and config already initialized/i;

/**
 * `restic init` for a configured repository, with its password from the configured file or
 * variable (never on restic's command line). A repository that exists is refused, not reused:
 * an operator who named the wrong one learns it here rather than at the first copy.
 */
export async function initRepository(frame: OffsiteFrame, input: { repo: string; actor: string }): Promise<OffsiteInitView> {
  const repo = frame.repo(input.repo);
  return frame.run('offsite-init', repo.name, { actor: input.actor, repo }, async () => {
    const output = await runRestic(frame.setup, { repo, action: `initialisation of ${repo.name}`, args: ['init', '--json'] }).catch((error: unknown) => {
      if (error instanceof RecoveryError && ALREADY_THERE.test(error.message))
        throw new RecoveryError('exists', `off-site repository ${repo.name} is already initialised: nothing was changed`);
      throw error;
    });
    const resticId = parseInitId(output);
    await frame.audit({
      type: 'snapshot.offsite_initialized',
      severity: 'info',
      actor: input.actor,
      action: `initialise off-site repository ${repo.name}`,
      module: 'recovery',
      resource: `offsite:${repo.name}`,
      method: 'restic',
      details: { repository: repo.name, resticId },
    });
    const result = { repo: repo.name, repository: redactRepository(repo.repository), resticId };
    return { result, message: `initialised ${repo.name}` };
  });
}

/** restic init --json prints one document: {"message_type":"initialized","id":…,"repository":…}. */
function parseInitId(output: string): string {
  for (const line of output.split('\n')) {
    try {
      const parsed = JSON.parse(line) as { message_type?: unknown; id?: unknown };
      if (parsed.message_type === 'initialized' && typeof parsed.id === 'string') return parsed.id;
    } catch {
      // Not JSON: restic's plain text, looked at below.
    }
  }
  const plain = /created restic repository ([0-9a-f]+)/.exec(output);
  if (plain) return plain[1];
  throw new RecoveryError('offsite_failed', 'restic init succeeded but did not say which repository it created');
}
