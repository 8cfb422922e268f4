'use client';

import Link from 'next/link';
import { useState } from 'react';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { ModuleView } from '@/lib/healing/module-view';
import { LockdownControl } from '../defense/lockdown-control';
import { ModuleActionDialog } from '../modules/module-action-dialog';
import { useDefenseQuery } from '../queries/use-defense-query';
import { useModulesQuery } from '../queries/use-modules-query';
import { useRecoveryProgress, useRecoveryQuery } from '../queries/use-recovery-query';
import { RestoreDialog } from '../snapshots/restore-dialog';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="flex flex-col gap-2 border-b border-border pb-4 last:border-b-0 last:pb-0">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function LockdownBlock({ principal }: { principal: Principal }) {
  const { data } = useDefenseQuery();
  if (!data) return <p className="text-sm text-faint">Waiting for the worker…</p>;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <span className="text-sm text-muted">
        Defense mode: <strong className="text-text">{data.mode}</strong>
      </span>
      {canAdminister(principal) ? (
        <LockdownControl overview={data} testIdPrefix="emergency-" />
      ) : (
        <span className="text-xs text-faint">Only an administrator can engage or lift it.</span>
      )}
    </div>
  );
}

function GoldenRestoreBlock({ principal }: { principal: Principal }) {
  const { data } = useRecoveryQuery();
  const progress = useRecoveryProgress(data?.running ?? null);
  const [open, setOpen] = useState(false);
  const golden = data?.snapshots.find((snapshot) => snapshot.id === data.golden.newest?.id) ?? null;
  if (!data) return <p className="text-sm text-faint">Waiting for the worker…</p>;
  if (!golden) {
    return (
      <p className="text-sm text-warn">
        No verified golden snapshot yet.{' '}
        <Link href="/recovery" className="text-accent underline">
          Take one in Recovery
        </Link>
      </p>
    );
  }
  if (!canAdminister(principal)) return <p className="text-xs text-faint">Only an administrator can restore.</p>;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <span className="font-mono text-sm">{golden.name}</span>
      <Button variant="danger" onClick={() => setOpen(true)} data-testid="emergency-restore-open">
        Golden restore…
      </Button>
      {open ? <RestoreDialog snapshot={golden} progress={progress} open onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function RestartBlock() {
  const modules = useModulesQuery();
  const [restarting, setRestarting] = useState<ModuleView | null>(null);
  const restartable = (modules.data ?? []).filter((module) => module.canRestart);
  if (!modules.data) return <p className="text-sm text-faint">Waiting for the worker…</p>;
  if (restartable.length === 0) return <p className="text-sm text-faint">No module can be restarted.</p>;
  return (
    <ul className="flex flex-col gap-1.5">
      {restartable.map((module) => (
        <li key={module.name} className="flex items-center justify-between gap-2">
          <span className="min-w-0 truncate font-mono text-sm">
            {module.name} <span className="text-xs text-faint">{module.state}</span>
          </span>
          <Button onClick={() => setRestarting(module)} data-testid="emergency-restart" aria-label={`Restart ${module.name}`}>
            Restart…
          </Button>
        </li>
      ))}
      {restarting ? <ModuleActionDialog module={restarting} action="restart" onClose={() => setRestarting(null)} /> : null}
    </ul>
  );
}

/** One button in the top bar, on every page: lockdown and lift, golden restore and restart are one click behind it. */
export function EmergencyControls({ principal }: { principal: Principal }) {
  const [open, setOpen] = useState(false);
  if (!canOperate(principal)) return null;
  return (
    <>
      <Button
        variant="ghost-danger"
        className="h-8 border-bad/50 px-2 sm:px-3"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        data-testid="emergency-open"
      >
        Emergency
      </Button>
      {/* Mounted only while open, so its controls never double the ones on the section pages. */}
      {open ? (
        <Dialog open onClose={() => setOpen(false)} title="Emergency controls" testId="emergency-dialog">
          <div className="flex flex-col gap-4">
            <Block title="Lockdown">
              <LockdownBlock principal={principal} />
            </Block>
            <Block title="Golden restore">
              <GoldenRestoreBlock principal={principal} />
            </Block>
            <Block title="Restart a module">
              <RestartBlock />
            </Block>
            <div className="flex justify-end">
              <Button onClick={() => setOpen(false)}>Close</Button>
            </div>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
