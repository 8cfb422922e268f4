'use client';

import type { Principal } from '@/lib/auth/roles';
import { formatRelative } from '@/lib/format';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import { useOffsiteQuery } from '../queries/use-offsite-query';
import { Badge } from '../ui/badge';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { Panel } from '../ui/panel';
import { OffsiteEmpty } from './offsite-empty';
import { RepositoryRow } from './offsite-repository';

function CopyBadge({ copy, now }: { copy: OffsiteCopyView; now: number }) {
  const tone = copy.verifyOk === false ? 'bad' : copy.verifiedAt ? 'ok' : 'neutral';
  const verified = copy.verifiedAt ? `${copy.verifyOk ? 'verified' : 'FAILED'} ${formatRelative(copy.verifiedAt, now)}` : 'not verified yet';
  return (
    <Badge tone={tone} testId={`offsite-copy-${copy.repo}`}>
      {copy.repo} · {verified}
    </Badge>
  );
}

/**
 * Off-site copies (restic): per snapshot, which repositories hold it and when each copy was last
 * verified. Shown with no repository configured too, to say what the feature is and how to turn it on.
 */
export function OffsitePanel({ principal, now }: { principal: Principal; now: number }) {
  const overview = useOffsiteQuery();
  const data = overview.data;
  const bySnapshot = new Map<string, OffsiteCopyView[]>();
  for (const copy of data?.copies ?? []) bySnapshot.set(copy.snapshotName, [...(bySnapshot.get(copy.snapshotName) ?? []), copy]);
  return (
    <Panel
      title="Off-site copies"
      subtitle={data?.enabled ? `${data.repositories.length} restic ${data.repositories.length === 1 ? 'repository' : 'repositories'}` : undefined}
      testId="panel-offsite"
    >
      {overview.isError ? (
        <p className="text-sm text-bad">Could not load off-site copies: {overview.error.message}</p>
      ) : !data ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : data.repositories.length === 0 ? (
        <OffsiteEmpty />
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
