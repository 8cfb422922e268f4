'use client';

import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import type { OffsiteCopyView, OffsiteForgetView, OffsiteRepositoryView } from '@/lib/recovery/offsite-views';
import { useOffsiteCheck, useOffsiteForget, useOffsiteQuery } from '../queries/use-offsite-query';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';

function CopyBadge({ copy, now }: { copy: OffsiteCopyView; now: number }) {
  const tone = copy.verifyOk === false ? 'bad' : copy.verifiedAt ? 'ok' : 'neutral';
  const verified = copy.verifiedAt ? `${copy.verifyOk ? 'verified' : 'FAILED'} ${formatRelative(copy.verifiedAt, now)}` : 'not verified yet';
  return (
    <Badge tone={tone} testId={`offsite-copy-${copy.repo}`}>
      {copy.repo} · {verified}
    </Badge>
  );
}

function ForgetPlan({ plan, canApply, onApply, applying }: { plan: OffsiteForgetView; canApply: boolean; onApply: () => void; applying: boolean }) {
  return (
    <div className="mt-2 rounded-md border border-border bg-surface-2 px-3 py-2 text-xs" role="status" data-testid="offsite-forget-plan">
      <p>
        {plan.dryRun ? 'Would remove' : 'Removed'} {plan.remove.length} cop{plan.remove.length === 1 ? 'y' : 'ies'} from {plan.repo}, keeping {plan.keep.length}
        {plan.remove.length ? ':' : '.'}
      </p>
      {plan.remove.length ? (
        <ul className="mt-1 list-inside list-disc font-mono">
          {plan.remove.map((copy) => (
            <li key={copy.resticId}>{copy.snapshotName}</li>
          ))}
        </ul>
      ) : null}
      {plan.dryRun && plan.remove.length && canApply ? (
        <Button variant="danger" className="mt-2 h-7 px-2 text-xs" onClick={onApply} disabled={applying}>
          Apply (restic forget --prune)
        </Button>
      ) : null}
    </div>
  );
}

function RepositoryRow({ repo, principal, now }: { repo: OffsiteRepositoryView; principal: Principal; now: number }) {
  const check = useOffsiteCheck();
  const forget = useOffsiteForget();
  const lastCheck = repo.lastCheck;
  return (
    <li className="border-b border-border/60 py-2 last:border-0" data-testid={`offsite-repo-${repo.name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm">{repo.name}</span>
        <span className="min-w-0 truncate text-xs text-faint">{repo.repository}</span>
        <Badge tone={!lastCheck ? 'neutral' : lastCheck.ok ? 'ok' : 'bad'}>
          {lastCheck ? `check ${lastCheck.ok ? 'ok' : 'FAILED'} ${formatRelative(lastCheck.at, now)}` : 'never checked'}
        </Badge>
        <span className="text-xs text-faint">last copy {repo.lastCopyAt ? formatRelative(repo.lastCopyAt, now) : 'never'}</span>
        {canOperate(principal) ? (
          <span className="ml-auto flex gap-2">
            <Button className="h-7 px-2 text-xs" onClick={() => check.mutate(repo.name)} disabled={check.isPending}>
              {check.isPending ? 'Checking…' : 'Check now'}
            </Button>
            {repo.keep ? (
              <Button className="h-7 px-2 text-xs" onClick={() => forget.mutate({ repo: repo.name, dryRun: true })} disabled={forget.isPending}>
                Retention…
              </Button>
            ) : null}
          </span>
        ) : null}
      </div>
      {repo.lastError ? (
        <p className="mt-1 text-xs text-bad" role="alert">
          {formatRelative(repo.lastError.at, now)}: {repo.lastError.message}
        </p>
      ) : null}
      <FormError message={check.error?.message ?? forget.error?.message ?? null} />
      {forget.data ? (
        <ForgetPlan
          plan={forget.data}
          canApply={canAdminister(principal)}
          applying={forget.isPending}
          onApply={() => forget.mutate({ repo: repo.name, dryRun: false })}
        />
      ) : null}
    </li>
  );
}

/** Off-site copies (restic): per snapshot, which repositories hold it and when each copy was last verified. */
export function OffsitePanel({ principal, now }: { principal: Principal; now: number }) {
  const overview = useOffsiteQuery();
  const data = overview.data;
  if (data && data.repositories.length === 0) return null;
  const bySnapshot = new Map<string, OffsiteCopyView[]>();
  for (const copy of data?.copies ?? []) bySnapshot.set(copy.snapshotName, [...(bySnapshot.get(copy.snapshotName) ?? []), copy]);
  return (
    <Panel title="Off-site copies" subtitle={data?.enabled ? `${data.repositories.length} restic repositories` : undefined} testId="panel-offsite">
      {overview.isError ? (
        <p className="text-sm text-bad">Could not load off-site copies: {overview.error.message}</p>
      ) : !data ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : !data.enabled ? (
        <p className="text-sm text-warn" role="status">
          {data.reason}
        </p>
      ) : (
        <>
          <ul className="mb-3">
            {data.repositories.map((repo) => (
              <RepositoryRow key={repo.name} repo={repo} principal={principal} now={now} />
            ))}
          </ul>
          <DataTable
            className="min-w-[340px] text-sm"
            testId="offsite-table"
            columns={['Snapshot', 'Copies', { label: 'Copied', wide: true }]}
            empty={bySnapshot.size === 0 ? 'No copies yet' : undefined}
          >
            {[...bySnapshot].map(([name, copies]) => (
              <Tr key={name}>
                <Td className="font-mono">{name}</Td>
                <Td>
                  <span className="flex flex-wrap gap-1">
                    {copies.map((copy) => (
                      <CopyBadge key={copy.resticId} copy={copy} now={now} />
                    ))}
                  </span>
                </Td>
                <Td className={WIDE_ONLY}>{formatRelative(copies[0].copiedAt, now)}</Td>
              </Tr>
            ))}
          </DataTable>
        </>
      )}
    </Panel>
  );
}
