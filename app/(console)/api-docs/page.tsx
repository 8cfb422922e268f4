import type { Metadata } from 'next';
import { Badge } from '@/components/ui/badge';
import { SCOPE_DEFINITIONS } from '@/lib/auth/scopes';
import { AUTH_LABEL, OPERATIONS, requestFields, type OperationSpec } from '@/server/openapi/openapi';

export const metadata: Metadata = { title: 'API reference' };

function groupByTag(operations: OperationSpec[]): Array<[string, OperationSpec[]]> {
  const groups = new Map<string, OperationSpec[]>();
  for (const op of operations) groups.set(op.tag, [...(groups.get(op.tag) ?? []), op]);
  return [...groups.entries()];
}

/** Descriptions are written for OpenAPI (Markdown); on this page only their `code` spans matter. */
function Prose({ text }: { text: string }) {
  return text.split('`').map((part, i) =>
    i % 2 ? (
      <code key={i} className="font-mono">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

export default function ApiDocsPage() {
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">API reference</h1>
        <p className="text-sm text-muted">
          The operator API is served by the web app (port 3000), the machine API by the worker (port 3001). Errors are always{' '}
          <code>{'{"error":{"code","message"}}'}</code>. Machine-readable:{' '}
          <a className="underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{' '}
          (OpenAPI 3.1). A token created with scopes may call only the machine-API operations of its scopes, and nothing on the operator API; a token without
          scopes has the full access of its role.
        </p>
      </header>
      {groupByTag(OPERATIONS).map(([tag, operations]) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-2">
          <h2 id={`tag-${tag}`} className="text-base font-semibold">
            {tag}
          </h2>
          <ul className="divide-y divide-border rounded-md border border-border bg-surface">
            {operations.map((op) => {
              const fields = requestFields(op);
              return (
                <li key={`${op.method} ${op.path}`} className="space-y-1 px-3 py-2 text-sm" data-testid="api-operation">
                  <div className="flex flex-wrap items-baseline gap-2">
                    <span className="w-14 font-mono text-xs font-semibold uppercase">{op.method}</span>
                    <code className="font-mono">{op.path}</code>
                    <span className="text-muted">{op.summary}</span>
                  </div>
                  <div className="flex flex-wrap items-center gap-x-1 text-xs text-faint">
                    <span>
                      {op.server === 'web' ? 'web app' : 'worker'} · auth: {AUTH_LABEL[op.auth]}
                      {op.role ? ` · role ≥ ${op.role}` : ''}
                    </span>
                    {op.scope ? (
                      <>
                        <span>· scope</span>
                        <Badge tone="accent" className="font-mono" testId="api-operation-scope">
                          <span title={SCOPE_DEFINITIONS[op.scope].grants}>{op.scope}</span>
                        </Badge>
                      </>
                    ) : null}
                  </div>
                  {op.description ? (
                    <p className="max-w-3xl text-xs text-muted">
                      <Prose text={op.description} />
                    </p>
                  ) : null}
                  {fields.length ? (
                    <table className="mt-1 text-xs">
                      <tbody>
                        {fields.map((field) => (
                          <tr key={`${field.in}:${field.name}`}>
                            <td className="pr-3 text-faint">{field.in}</td>
                            <td className="pr-3 font-mono">
                              {field.name}
                              {field.required ? '*' : ''}
                            </td>
                            <td className="pr-3 font-mono text-muted">{field.type}</td>
                            <td className="text-muted">{field.description ?? ''}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
