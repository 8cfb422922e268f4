import Link from 'next/link';

/** What an operator sees before any repository is configured: what off-site copies are, and the lines that turn them on. */
// Short lines: the example has to read on a phone without scrolling sideways.
const EXAMPLE = `snapshots:
  offsite:
    - name: nas
      repository: sftp:nas:/srv/restic
      passwordFile: /etc/vigil/restic
      schedule: { copyEveryHours: 24 }
      keep: { daily: 7, weekly: 4 }`;

export function OffsiteEmpty() {
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="offsite-empty">
      <p>
        Snapshots live on this server, so a lost disk or a ransomware attack takes them too. Off-site copies put them in{' '}
        <a className="text-accent underline" href="https://restic.net" target="_blank" rel="noreferrer noopener">
          restic
        </a>{' '}
        repositories elsewhere (another disk, SFTP, S3), encrypted, verified on a schedule, and restorable from here.
      </p>
      <p className="text-muted">
        No repository is configured. Create one with <code className="font-mono text-text">restic init</code>, then add it in{' '}
        <Link className="text-accent underline" href="/settings#settings-snapshots" data-testid="offsite-empty-settings">
          Settings, under off-site copies
        </Link>{' '}
        or in <code className="font-mono text-text">vigil.config.yaml</code>; the password stays in a file (passwordFile) or an environment variable
        (passwordEnv), never in the console or the config; schedule and keep are optional:
      </p>
      <pre className="overflow-x-auto rounded-md border border-border bg-surface-2 px-3 py-2 font-mono text-xs" tabIndex={0} aria-label="Example configuration">
        {EXAMPLE}
      </pre>
      <p className="text-xs text-muted">
        Every key (<code className="font-mono">snapshots.offsite</code>: name, repository, passwordFile or passwordEnv, schedule, keep) is described in{' '}
        <code className="font-mono">docs/configuration.md</code>; the console picks the change up without a restart. From the shell:{' '}
        <code className="font-mono">vigil snapshot copy NAME --to REPO</code>, <code className="font-mono">vigil snapshot list --offsite REPO</code>,{' '}
        <code className="font-mono">vigil snapshot restore NAME --from REPO</code>.
      </p>
    </div>
  );
}
