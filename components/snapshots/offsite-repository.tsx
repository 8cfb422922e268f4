'use client';

import { useState } from 'react';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import type { OffsiteForgetView, OffsiteRepositoryView } from '@/lib/recovery/offsite-views';
import { useOffsiteCheck, useOffsiteForget } from '../queries/use-offsite-query';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';
import { OffsiteCopyForm } from './offsite-copy-form';
import { OffsiteListing } from './offsite-listing';

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

/** One repository: its health, and what an operator can do with it (copy, list, check, retention). */
export function RepositoryRow({ repo, principal, now }: { repo: OffsiteRepositoryView; principal: Principal; now: number }) {
  const [open, setOpen] = useState<'copy' | 'list' | null>(null);
  const toggle = (what: 'copy' | 'list') => setOpen((current) => (current === what ? null : what));
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
        <span className="ml-auto flex flex-wrap gap-2">
          {canOperate(principal) ? (
            <Button className="h-7 px-2 text-xs" aria-expanded={open === 'copy'} onClick={() => toggle('copy')} data-testid="offsite-copy-open">
              Copy a snapshot…
            </Button>
          ) : null}
          <Button className="h-7 px-2 text-xs" aria-expanded={open === 'list'} onClick={() => toggle('list')} data-testid="offsite-list-open">
            {open === 'list' ? 'Hide copies' : 'List copies'}
          </Button>
          {canOperate(principal) ? (
            <>
              <Button className="h-7 px-2 text-xs" onClick={() => check.mutate(repo.name)} disabled={check.isPending}>
                {check.isPending ? 'Checking…' : 'Check now'}
              </Button>
              {repo.keep ? (
                <Button className="h-7 px-2 text-xs" onClick={() => forget.mutate({ repo: repo.name, dryRun: true })} disabled={forget.isPending}>
                  Retention…
                </Button>
              ) : null}
            </>
          ) : null}
        </span>
      </div>
      {open === 'copy' ? <OffsiteCopyForm repo={repo.name} /> : null}
      {open === 'list' ? <OffsiteListing repo={repo.name} canRestore={canAdminister(principal)} now={now} /> : null}
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
