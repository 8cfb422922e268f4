/** Nothing monitored yet: where modules are declared, and how scripts add them. */
export function ModulesEmpty({ canDefine }: { canDefine: boolean }) {
  return (
    <div className="flex flex-col gap-3 rounded-md border border-dashed border-border px-4 py-5 text-sm" data-testid="modules-empty">
      <div>
        <p className="font-medium text-muted">No modules are monitored yet</p>
        <p className="mt-1 text-xs text-faint">
          A module is something Vigil probes and heals: an HTTP endpoint, a TCP port, a process it supervises, a process it watches, a heartbeat your job
          pushes, or a command&apos;s exit code. Declare them in the config file (VIGIL_CONFIG, by default vigil.config.yaml) under
          <span className="font-mono"> modules:</span>; the worker reloads it on change.
          {canDefine ? ' Operators can also define one here with “Define module”.' : ''}
        </p>
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <pre className="rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-muted">
          {`modules:
  - name: api
    kind: http
    url: http://127.0.0.1:8080/health
    critical: true
  - name: worker
    kind: process
    command: ["node", "worker.js"]  # argv, no shell
  - name: db
    kind: tcp
    host: 127.0.0.1
    port: 5432`}
        </pre>
        <pre className="rounded-md bg-surface-2 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-muted">
          {`# machine API (Bearer token from Admin → API tokens)
curl -H "Authorization: Bearer $TOKEN" \\
  http://vigil:3001/api/v1/modules

curl -X POST -H "Authorization: Bearer $TOKEN" \\
  -H 'content-type: application/json' \\
  -d '{"name":"web","kind":"http","url":"https://example.org"}' \\
  http://vigil:3001/api/v1/modules

# heartbeat for a push module
curl -X POST http://vigil:3001/api/v1/push/<token>`}
        </pre>
      </div>
    </div>
  );
}
