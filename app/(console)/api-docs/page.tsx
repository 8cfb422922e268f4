import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ApiOperation } from './api-operation';
import { OPERATIONS, type OperationSpec } from '@/server/openapi/openapi';
import type { ApiBases } from '@/server/openapi/api-example';
import { hostnameOf } from '@/lib/security/content-security-policy';
import { webEnv } from '@/app/_lib/web-env';
import { requireSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'API reference' };

function groupByTag(operations: OperationSpec[]): Array<[string, OperationSpec[]]> {
  const groups = new Map<string, OperationSpec[]>();
  for (const op of operations) groups.set(op.tag, [...(groups.get(op.tag) ?? []), op]);
  return [...groups.entries()];
}

const anchorOf = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** This installation's own addresses: the examples work as copied, whatever the ports are. */
async function apiBases(): Promise<ApiBases> {
  const env = webEnv();
  const requestHeaders = await headers();
  const host = requestHeaders.get('host') ?? `localhost:${env.port}`;
  const scheme = requestHeaders.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  const worker = env.workerPublicUrl ?? `http://${hostnameOf(host) ?? 'localhost'}:${env.workerPort}`;
  return { web: `${scheme}://${host}`, worker: worker.replace(/\/$/, '') };
}

export default async function ApiDocsPage() {
  await requireSession();
  const bases = await apiBases();
  const groups = groupByTag(OPERATIONS);
  return (
    <div className="space-y-6" data-testid="api-docs">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">API reference</h1>
        <p className="text-sm text-muted">
          The operator API is served by the web app at <code className="font-mono break-all">{bases.web}</code>, the machine API by the worker at{' '}
          <code className="font-mono break-all">{bases.worker}</code>. Errors are always <code>{'{"error":{"code","message"}}'}</code>. Machine-readable:{' '}
          <a className="underline" href="/api/openapi.json">
            /api/openapi.json
          </a>{' '}
          (OpenAPI 3.1). A token created with scopes may call only the machine-API operations of its scopes, and nothing on the operator API; a token without
          scopes has the full access of its role.
        </p>
      </header>
      <nav aria-label="API sections" data-testid="api-toc">
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
          {groups.map(([tag, operations]) => (
            <li key={tag}>
              <a href={`#${anchorOf(tag)}`} className="text-accent underline-offset-2 hover:underline">
                {tag} <span className="text-faint">({operations.length})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {groups.map(([tag, operations]) => (
        <section key={tag} id={anchorOf(tag)} aria-labelledby={`${anchorOf(tag)}-title`} className="scroll-mt-28 space-y-2">
          <h2 id={`${anchorOf(tag)}-title`} className="text-base font-semibold">
            {tag}
          </h2>
          <ul className="divide-y divide-border rounded-md border border-border bg-surface">
            {operations.map((op) => (
              <ApiOperation key={`${op.method} ${op.path}`} op={op} bases={bases} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
