import { Badge } from '@/components/ui/badge';
import { SCOPE_DEFINITIONS } from '@/lib/auth/scopes';
import type { ApiBases } from '@/server/openapi/api-example';
import { curlExample } from '@/server/openapi/api-example';
import { AUTH_LABEL, requestFields, type OperationSpec } from '@/server/openapi/openapi';
import { responseFields } from '@/server/openapi/operation-spec';

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

function FieldTable({ caption, rows }: { caption: string; rows: { where?: string; name: string; required: boolean; type: string; description?: string }[] }) {
  if (rows.length === 0) return null;
  return (
    // Focusable and named: on a phone a long type scrolls sideways, and a keyboard must reach it.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className="mt-1 text-xs">
        <caption className="text-left text-[11px] font-semibold tracking-wide text-faint uppercase">{caption}</caption>
        <tbody>
          {rows.map((field) => (
            <tr key={`${field.where ?? ''}:${field.name}`}>
              {field.where ? <td className="pr-3 text-faint">{field.where}</td> : null}
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
    </div>
  );
}

/** One operation: who may call it, what it takes, what it answers, and a command to try it. */
export function ApiOperation({ op, bases }: { op: OperationSpec; bases: ApiBases }) {
  const request = requestFields(op).map((field) => ({ ...field, where: field.in }));
  const response = responseFields(op);
  return (
    <li className="min-w-0 space-y-1 px-3 py-2 text-sm" data-testid="api-operation">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="w-14 font-mono text-xs font-semibold uppercase">{op.method}</span>
        <code className="font-mono break-all">{op.path}</code>
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
      <FieldTable caption="Takes" rows={request} />
      <FieldTable caption={`Answers ${op.success?.status ?? '200'}`} rows={response} />
      <details className="text-xs">
        <summary className="cursor-pointer text-accent">Example</summary>
        <pre tabIndex={0} className="mt-1 overflow-x-auto rounded-md bg-surface-2 p-2 font-mono text-[11px]" data-testid="api-example">
          {curlExample(op, bases)}
        </pre>
      </details>
    </li>
  );
}
