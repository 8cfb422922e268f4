'use client';

import type { ReactNode } from 'react';
import type { Role } from '@/lib/auth/roles';
import type { FleetActionKind } from '@/lib/fleet/fleet-actions';
import type { HostView } from '@/lib/fleet/fleet-api';
import { goldenSnapshotName, HOST_COMMAND_KINDS, kindsFor } from '@/lib/fleet/fleet-command-choices';
import type { FleetCommandIssued } from '@/lib/fleet/fleet-command-api';
import { Dialog } from '../ui/dialog';
import { FleetCommandForm } from './fleet-command-form';

/** Commands for one host, with the modules and golden snapshots it reported in its last heartbeat. */
export function HostCommandDialog({
  host,
  role,
  onClose,
  onSent,
  title = `Command ${host.name}`,
  kinds = HOST_COMMAND_KINDS,
  intro = null,
  testId = 'host-command-dialog',
}: {
  host: HostView;
  role: Role;
  onClose: () => void;
  onSent: (issued: FleetCommandIssued) => void;
  title?: string;
  kinds?: readonly FleetActionKind[];
  intro?: ReactNode;
  testId?: string;
}) {
  return (
    <Dialog open onClose={onClose} title={title} testId={testId}>
      <div className="flex flex-col gap-3">
        {intro}
        {!host.connected ? (
          <p className="rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-sm text-warn">
            {host.name} is disconnected: a lockdown or its lift waits for it a day; a restart or a snapshot expires after a minute.
          </p>
        ) : null}
        <FleetCommandForm
          kinds={kindsFor(role, kinds)}
          target={{ hostId: host.id }}
          targetLabel={host.name}
          hostName={host.name}
          modules={host.status?.modules ?? []}
          goldenSnapshots={host.status?.goldenSnapshots ?? []}
          defaultSnapshotName={goldenSnapshotName(host.name, new Date())}
          onSent={(issued) => {
            onSent(issued);
            onClose();
          }}
          onCancel={onClose}
          testId="host-command-form"
        />
      </div>
    </Dialog>
  );
}
