'use client';

import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { VerificationResult } from '@/lib/audit/verification';
import { formatRelative } from '@/lib/format';
import { apiFetch } from '../queries/api-fetch';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';

const KEY = ['audit-verification', {}] as const;

/** "Chain verified up to #seq at time", or where it is broken: the audit trail's own health. */
export function ChainStatus({ canVerify }: { canVerify: boolean }) {
  const client = useQueryClient();
  const status = useQuery({ queryKey: KEY, queryFn: () => apiFetch<VerificationResult | null>('/api/audit/verification'), refetchInterval: 60_000 });
  const verify = useMutation({
    mutationFn: () => apiFetch<VerificationResult>('/api/audit/verify', { method: 'POST', body: { mode: 'full' } }),
    onSuccess: (result) => client.setQueryData(KEY, result),
  });
  const result = verify.data ?? status.data ?? null;

  return (
    <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="chain-status" data-ok={result ? String(result.ok) : 'unknown'}>
      {!result ? (
        <Badge>chain not verified yet</Badge>
      ) : result.ok ? (
        <Badge tone="ok">
          ✓ chain verified up to #{result.verifiedThrough?.seq ?? result.fromSeq}
          {result.verifiedThrough ? ` · ${formatRelative(result.finishedAt)}` : ''}
        </Badge>
      ) : (
        <Link href={`/audit?event=${result.firstBadSeq}`} className="inline-flex" title={result.message}>
          <Badge tone="crit">
            ✗ chain broken at #{result.firstBadSeq}: {result.problem}
          </Badge>
        </Link>
      )}
      {result ? (
        <span
          className="text-faint"
          title={`${result.events.toLocaleString()} events, ${result.checkpointsChecked} signed checkpoints, ${result.eventsPerSecond.toLocaleString()} events/s`}
        >
          {result.mode} check, {result.checkpointsChecked} signed checkpoints
        </span>
      ) : null}
      {canVerify ? (
        <Button className="h-6 px-2 text-xs" disabled={verify.isPending} onClick={() => verify.mutate()} data-testid="verify-now">
          {verify.isPending ? 'Verifying…' : 'Verify now'}
        </Button>
      ) : null}
      {verify.error ? <span className="text-bad">{verify.error.message}</span> : null}
    </div>
  );
}
