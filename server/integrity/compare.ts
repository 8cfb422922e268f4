import type { FileState, IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { Baseline } from './baseline-store';
import { differences } from './file-state';

const same = (a: FileState | null, b: FileState | null): boolean => (a === null || b === null ? a === b : differences(a, b).length === 0);

/**
 * Compares one path with the baseline and with what was last reported about it, and
 * records the report in `baseline.reported`. The baseline itself only changes when an
 * administrator re-baselines: until then a tampered file stays visible as outstanding.
 */
export function evaluatePath(input: {
  baseline: Baseline;
  path: string;
  current: FileState | null;
  critical: boolean;
  via: IntegrityFinding['via'];
  at: Date;
}): IntegrityFinding | null {
  const { baseline, path, current } = input;
  const trusted = baseline.files.get(path) ?? null;
  const prior = baseline.reported.has(path) ? (baseline.reported.get(path) ?? null) : trusted;
  if (same(current, prior)) return null;
  let kind: IntegrityFinding['kind'];
  if (same(current, trusted)) {
    baseline.reported.delete(path);
    kind = 'restored';
  } else {
    baseline.reported.set(path, current);
    kind = trusted === null ? 'added' : current === null ? 'removed' : 'changed';
  }
  const critical = kind !== 'restored' && input.critical;
  return {
    path,
    kind,
    critical,
    severity: kind === 'restored' ? 'info' : critical ? 'critical' : 'high',
    before: trusted,
    after: current,
    changed: trusted && current ? differences(trusted, current) : [],
    at: input.at.toISOString(),
    via: input.via,
  };
}
