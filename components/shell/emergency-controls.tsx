'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { LOCAL_HOST_ID } from '@/lib/audit/types';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { HostView } from '@/lib/fleet/fleet-api';
import { EMERGENCY_COMMAND_KINDS } from '@/lib/fleet/fleet-command-choices';
import { withHostScope } from '@/lib/fleet/host-scope';
import type { ModuleView } from '@/lib/healing/module-view';
import { LockdownControl } from '../defense/lockdown-control';
import { HostCommandDialog } from '../fleet/host-command-dialog';
import { useHostScope } from '../fleet/use-host-scope';
import { ModuleActionDialog } from '../modules/module-action-dialog';
import { useDefenseQuery } from '../queries/use-defense-query';
import { useFleetHostsQuery } from '../queries/use-fleet-query';
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

/**
 * Under another host's scope the same button commands that host: what an operator looking at a
 * host's page expects it to act on. The command goes through the fleet like any other, signed and
 * acknowledged; its progress is followed on the fleet page, where this leads once it is sent.
 */
function RemoteEmergency({ host, principal, onClose }: { host: HostView; principal: Principal; onClose: () => void }) {
  const router = useRouter();
  return (
    <HostCommandDialog
      host={host}
      role={principal.role}
      title={`Emergency controls · ${host.name}`}
      // A host already locked down is most likely opened here to lift it.
      kinds={
        host.defenseMode === 'LOCKDOWN' ? ['lift-lockdown', ...EMERGENCY_COMMAND_KINDS.filter((kind) => kind !== 'lift-lockdown')] : EMERGENCY_COMMAND_KINDS
      }
      testId="emergency-dialog"
      intro={
        <p className="text-sm text-muted" data-testid="emergency-where">
          These act on <strong className="text-text">{host.name}</strong>, sent to its agent as a fleet command. Its answer and progress show on the fleet page.
        </p>
      }
      onClose={onClose}
      onSent={() => router.push(withHostScope('/fleet', host.id))}
    />
  );
}

/** One button in the top bar, on every page: lockdown and lift, golden restore and restart are one click behind it. */
export function EmergencyControls({ principal }: { principal: Principal }) {
  const [open, setOpen] = useState(false);
  const scope = useHostScope();
  const hosts = useFleetHostsQuery();
  if (!canOperate(principal)) return null;
  const here = hosts.data?.find((host) => host.id === LOCAL_HOST_ID) ?? null;
  const scoped = scope !== null && scope !== LOCAL_HOST_ID ? (hosts.data?.find((host) => host.id === scope) ?? null) : null;
  // Said only where it could be mistaken: with other hosts enrolled, or under a host the console does not know.
  const unknownScope = scope !== null && scope !== LOCAL_HOST_ID && hosts.data !== undefined && scoped === null;
  const manyHosts = (hosts.data?.filter((host) => !host.revokedAt).length ?? 0) > 1;
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
      {open && scoped ? <RemoteEmergency host={scoped} principal={principal} onClose={() => setOpen(false)} /> : null}
      {open && !scoped ? (
        <Dialog
          open
          onClose={() => setOpen(false)}
          title={here && manyHosts ? `Emergency controls · ${here.name}` : 'Emergency controls'}
          testId="emergency-dialog"
        >
          <div className="flex flex-col gap-4">
            {manyHosts || unknownScope ? (
              <p className="text-sm text-muted" data-testid="emergency-where">
                {unknownScope ? `Host ${scope} is not known to this console. ` : null}
                These act on this console{here ? ` (${here.name})` : ''}. For another host, choose it in the host scope first.
              </p>
            ) : null}
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
