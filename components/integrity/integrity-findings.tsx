import type { FileState, IntegrityFinding } from '@/lib/integrity/integrity-status';
import { formatClock } from '@/lib/format';
import { shortHash } from '../snapshots/snapshot-format';
import { Badge, type Tone } from '../ui/badge';
import { cn } from '../ui/cn';
import { DataTable, Td, Tr } from '../ui/data-table';

const KIND_TONE: Record<IntegrityFinding['kind'], Tone> = { added: 'warn', removed: 'bad', changed: 'orange', restored: 'ok' };

function Hash({ state }: { state: FileState | null }) {
  return (
    <span className="font-mono" title={state?.hash}>
      {state ? shortHash(state.hash) : '—'}
    </span>
  );
}

/** Recent findings, newest first; critical paths stand out, since they can trigger LOCKDOWN. */
export function IntegrityFindings({ findings }: { findings: IntegrityFinding[] }) {
  return (
    <DataTable
      columns={['Time', 'Change', 'Path', 'Before → after', 'Differs in']}
      className="min-w-[640px] text-sm"
      testId="integrity-findings"
      empty={findings.length === 0 ? 'No findings: every watched file matches its baseline.' : null}
    >
      {findings.map((finding) => (
        <Tr key={`${finding.at}:${finding.path}:${finding.kind}`} className={cn(finding.critical && finding.kind !== 'restored' && 'bg-crit/10')}>
          <Td className="whitespace-nowrap text-xs text-muted">{formatClock(finding.at)}</Td>
          <Td className="whitespace-nowrap">
            <Badge tone={KIND_TONE[finding.kind]}>{finding.kind}</Badge>
            {finding.critical ? (
              <Badge tone="crit" className="ml-1" testId="finding-critical">
                critical
              </Badge>
            ) : null}
          </Td>
          <Td className="max-w-[22rem] break-all font-mono text-xs" data-testid="finding-path">
            {finding.path}
          </Td>
          <Td className="whitespace-nowrap text-xs">
            <Hash state={finding.before} /> → <Hash state={finding.after} />
          </Td>
          <Td className="text-xs text-muted">
            {/* Muted, not faint: faint grey on a critical row's red tint falls below AA contrast. */}
            {finding.changed.join(', ') || '—'} <span>· {finding.via}</span>
          </Td>
        </Tr>
      ))}
    </DataTable>
  );
}
