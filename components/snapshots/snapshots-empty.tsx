/** What to do when there is nothing to list: where sources are declared, and the CLI way. */
export function SnapshotsEmpty({ hasSources, storePath }: { hasSources: boolean; storePath: string }) {
  return (
    <div className="flex flex-col gap-3 rounded-md border border-dashed border-border px-4 py-5 text-sm" data-testid="snapshots-empty">
      <div>
        <p className="font-medium text-muted">{hasSources ? 'No snapshots yet' : 'No snapshot sources configured'}</p>
        <p className="mt-1 text-xs text-faint">
          {hasSources
            ? 'Take the first one and tag it golden: it becomes the known-good state a golden restore goes back to.'
            : 'Declare the directories to protect in the config file (VIGIL_CONFIG, by default vigil.config.yaml) under snapshots.sources; the worker reloads it on change. Vigil’s own settings are included in every snapshot.'}
        </p>
      </div>
      <div className={hasSources ? 'max-w-xl' : 'grid gap-3 md:grid-cols-2'}>
        {!hasSources ? (
          <pre className="rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-muted">
            {`snapshots:
  sources:
    - name: app-config
      path: /etc/myapp
      exclude: ["*.log"]
  goldenMaxAgeHours: 168`}
          </pre>
        ) : null}
        <pre className="rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-muted">
          {`# the same from a shell, even with the worker down
vigil snapshot create --tag golden
vigil snapshot verify <name>
vigil snapshot restore <name> --dry-run`}
        </pre>
      </div>
      <p className="text-xs text-faint">
        Store: <span className="font-mono">{storePath}</span>
      </p>
    </div>
  );
}
