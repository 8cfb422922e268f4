'use client';

import type { ModuleView } from '@/lib/healing/module-view';
import { DataTable } from '../ui/data-table';
import { ModuleRow } from './module-row';

// On a phone: state, name and the actions (Restart above all); the measurements from `sm` up.
const COLUMNS = [
  'State',
  'Module',
  { label: 'Latency', wide: true },
  { label: 'p95 / base', align: 'right', wide: true },
  { label: 'Uptime', align: 'right', wide: true },
  { label: 'Restarts', align: 'right', wide: true },
  { label: 'Checked', wide: true },
  { label: 'Message', wide: true },
  { label: '', align: 'right' },
] as const;

/** Worst first, so what needs attention is at the top; then by name. */
const ORDER: Record<ModuleView['state'], number> = { down: 0, degraded: 1, pending: 2, up: 3, maintenance: 4, paused: 5 };
const byUrgency = (a: ModuleView, b: ModuleView) => ORDER[a.state] - ORDER[b.state] || Number(b.critical) - Number(a.critical) || a.name.localeCompare(b.name);

export function ModuleTable({
  modules,
  now,
  canOperate,
  isAdmin,
  onError,
}: {
  modules: ModuleView[];
  now: number;
  canOperate: boolean;
  isAdmin: boolean;
  onError: (message: string | null) => void;
}) {
  return (
    <DataTable className="text-sm sm:min-w-[980px]" testId="module-table" columns={COLUMNS}>
      {[...modules].sort(byUrgency).map((module) => (
        <ModuleRow key={module.name} module={module} now={now} canOperate={canOperate} isAdmin={isAdmin} onError={onError} />
      ))}
    </DataTable>
  );
}
