import type { HealthSnapshot } from '@/lib/health/types';
import { formatBytes, formatDuration } from '@/lib/format';
import { cn } from '../ui/cn';
import { Fact } from '../ui/fact';

function diskTone(percent: number): string {
  if (percent >= 95) return 'bg-crit';
  if (percent >= 90) return 'bg-bad';
  if (percent >= 80) return 'bg-warn';
  return 'bg-ok';
}

export function HostFacts({ snapshot, now }: { snapshot: HealthSnapshot; now: number }) {
  const { sample } = snapshot;
  const workerUptime = (now - Date.parse(snapshot.workerStartedAt)) / 1000;
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-3">
        <Fact label="Host uptime" value={formatDuration(sample.uptimeSeconds)} testId="host-uptime" />
        <Fact label="Worker uptime" value={formatDuration(workerUptime)} testId="worker-uptime" />
        <Fact label="Load 1 / 5 / 15" value={`${sample.load1.toFixed(2)} / ${sample.load5.toFixed(2)} / ${sample.load15.toFixed(2)}`} />
        <Fact label="Cores" value={String(sample.cores)} />
        <Fact label="Processes" value={sample.processes.toLocaleString()} />
        <Fact label="Threads" value={sample.threads.toLocaleString()} />
        <Fact label="Memory" value={`${formatBytes(sample.memoryUsedBytes)} of ${formatBytes(sample.memoryTotalBytes)}`} />
      </dl>
      <div>
        <h3 className="mb-1.5 text-[11px] uppercase tracking-wide text-faint">Mounts</h3>
        <ul className="space-y-1.5" data-testid="disk-list">
          {sample.disks.map((d) => (
            <li key={d.mount} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 text-xs">
              <span className="truncate font-mono text-muted" title={d.mount}>
                {d.mount}
              </span>
              <span className="tabular text-right">
                {d.usedPercent.toFixed(0)} % · {formatBytes(d.freeBytes)} free
              </span>
              <div className="col-span-2 h-1.5 overflow-hidden rounded-full bg-surface-2">
                <div className={cn('h-full rounded-full', diskTone(d.usedPercent))} style={{ width: `${Math.max(1, d.usedPercent)}%` }} />
              </div>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
