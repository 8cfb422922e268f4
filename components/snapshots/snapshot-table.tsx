'use client';

import { useState } from 'react';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { formatBytes, formatRelative } from '@/lib/format';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { DiffDialog } from './diff-dialog';
import { shortHash, TAG_TONE } from './snapshot-format';
import { VerificationCell } from './verification-cell';

export interface SnapshotRowActions {
  /** False where the snapshots are another host's: a diff reads this console's own store. */
  canDiff?: boolean;
  canVerify: boolean;
  canRestore: boolean;
  /** The snapshot being verified from this page, if any. */
  verifying: string | null;
  /** Another operation holds the store: the worker would answer "busy". */
  busy: boolean;
  onVerify: (name: string) => void;
  onRestore: (snapshot: SnapshotHeader) => void;
}

function TagBadges({ tags }: { tags: SnapshotHeader['tags'] }) {
  return (
    <div className="flex flex-wrap gap-1">
      {tags.map((tag) => (
        <Badge key={tag} tone={TAG_TONE[tag]}>
          {tag}
        </Badge>
      ))}
    </div>
  );
}

function SnapshotRow({ snapshot, others, now, actions }: { snapshot: SnapshotHeader; others: string[]; now: number; actions: SnapshotRowActions }) {
  const [diffOpen, setDiffOpen] = useState(false);
  return (
    <Tr className="hover:bg-surface-2">
      <Td>
        <div className="font-mono text-[13px] font-medium" data-testid="snapshot-name-cell">
          {snapshot.name}
        </div>
        <div className="font-mono text-[11px] text-faint" title={`manifest ${snapshot.manifestHash}`}>
          {shortHash(snapshot.manifestHash)} · {snapshot.createdBy}
        </div>
        {/* On a phone the tags ride under the name, so which snapshot is golden stays in sight with its actions. */}
        <div className="mt-1 sm:hidden">
          <TagBadges tags={snapshot.tags} />
        </div>
      </Td>
      <Td className={WIDE_ONLY}>
        <TagBadges tags={snapshot.tags} />
      </Td>
      <Td className={cn(WIDE_ONLY, 'whitespace-nowrap text-muted')} title={new Date(snapshot.createdAt).toLocaleString()}>
        {formatRelative(snapshot.createdAt, now)}
      </Td>
      <Td className={cn(WIDE_ONLY, 'tabular text-right')} title={`${formatBytes(snapshot.newBytes)} new in the store, the rest shared with other snapshots`}>
        {formatBytes(snapshot.bytes)}
      </Td>
      <Td className={cn(WIDE_ONLY, 'tabular text-right text-muted')}>{snapshot.files.toLocaleString()}</Td>
      <Td>
        <VerificationCell snapshot={snapshot.name} verification={snapshot.lastVerification} now={now} />
      </Td>
      <Td className="text-right">
        <div className="flex flex-wrap justify-end gap-1">
          {actions.canDiff !== false ? (
            <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setDiffOpen(true)} data-testid="snapshot-diff">
              Diff
            </Button>
          ) : null}
          {actions.canVerify ? (
            <Button
              variant="ghost"
              className="h-7 px-2 text-xs"
              disabled={actions.busy}
              onClick={() => actions.onVerify(snapshot.name)}
              data-testid="snapshot-verify"
            >
              {actions.verifying === snapshot.name ? 'Verifying…' : 'Verify'}
            </Button>
          ) : null}
          {actions.canRestore ? (
            <Button
              variant="ghost-danger"
              className="h-7 border-bad/40! px-2 text-xs"
              disabled={actions.busy}
              onClick={() => actions.onRestore(snapshot)}
              data-testid="snapshot-restore"
            >
              Golden restore
            </Button>
          ) : null}
        </div>
        {diffOpen ? <DiffDialog snapshot={snapshot.name} others={others} open={diffOpen} onClose={() => setDiffOpen(false)} /> : null}
      </Td>
    </Tr>
  );
}

/** Newest first; each row carries its own verify, diff and restore. */
export function SnapshotTable({ snapshots, now, actions }: { snapshots: SnapshotHeader[]; now: number; actions: SnapshotRowActions }) {
  const names = snapshots.map((s) => s.name);
  return (
    <DataTable
      className="text-sm sm:min-w-[760px]"
      testId="snapshot-table"
      columns={[
        'Snapshot',
        { label: 'Tags', wide: true },
        { label: 'Age', wide: true },
        { label: 'Size', align: 'right', wide: true },
        { label: 'Files', align: 'right', wide: true },
        'Verified',
        { label: '', align: 'right' },
      ]}
    >
      {snapshots.map((snapshot) => (
        <SnapshotRow key={snapshot.id} snapshot={snapshot} others={names.filter((n) => n !== snapshot.name)} now={now} actions={actions} />
      ))}
    </DataTable>
  );
}
