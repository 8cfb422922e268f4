import type { IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { Baseline } from './baseline-store';
import { evaluatePath } from './compare';
import type { ScanResult } from './scan';
import type { ScopeSet } from './scopes';

/**
 * Compares a full scan with the baseline and returns what differs, after bringing the baseline
 * in line with the configured scopes (new roots taken in, paths no scope covers forgotten).
 */
export function reconcileScan({ baseline, result, scopes }: { baseline: Baseline; result: ScanResult; scopes: ScopeSet }): IntegrityFinding[] {
  const known = new Set(baseline.scopes);
  const fresh = new Set(scopes.scopes.filter((scope) => !known.has(scope.key)));
  for (const [abs, state] of result.files) {
    // A root added to the configuration is trusted as it is, not reported file by file.
    if (!baseline.files.has(abs) && scopes.covering(abs).every((scope) => fresh.has(scope))) baseline.files.set(abs, state);
  }
  for (const abs of [...baseline.files.keys(), ...baseline.reported.keys()]) {
    if (scopes.covering(abs).length > 0) continue;
    baseline.files.delete(abs);
    baseline.reported.delete(abs);
  }
  baseline.scopes = scopes.scopes.map((scope) => scope.key);
  const at = new Date();
  const findings: IntegrityFinding[] = [];
  for (const abs of new Set([...baseline.files.keys(), ...baseline.reported.keys(), ...result.files.keys()])) {
    if (result.unreadable.has(abs)) continue;
    const finding = evaluatePath({ baseline, path: abs, current: result.files.get(abs) ?? null, critical: scopes.isCritical(abs), via: 'scan', at });
    if (finding) findings.push(finding);
  }
  return findings;
}
