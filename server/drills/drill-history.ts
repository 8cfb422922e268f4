import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditEventInput } from '@/lib/audit/types';
import type { DrillRun, ScenarioName } from '@/lib/drills/drill-schema';

/** Enough for a chart of the last months at a few drills a day; older runs live on in the audit trail. */
const KEEP_RUNS = 200;
/** A scenario that passed this many runs in a row is drilled together with others in the harder mode. */
export const HARDER_AFTER_PASSES = 3;

const historyFile = (dataDir: string) => path.join(dataDir, 'drills', 'history.json');

/** Past runs, newest first. A missing or unreadable file is an empty history, never a failed drill. */
export function readDrillHistory(dataDir: string): DrillRun[] {
  try {
    const runs = JSON.parse(readFileSync(historyFile(dataDir), 'utf8')) as DrillRun[];
    return Array.isArray(runs) ? runs : [];
  } catch {
    return [];
  }
}

/**
 * Keeps the run (a JSON file: no migration for a table the dashboard only charts) and audits
 * it as `drill.completed` with the numbers, so the trail holds every run for good.
 */
export async function recordDrillRun(input: {
  dataDir: string;
  run: DrillRun;
  audit: { append(event: AuditEventInput): Promise<unknown> } | null;
}): Promise<void> {
  const { run } = input;
  const file = historyFile(input.dataDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const runs = [run, ...readDrillHistory(input.dataDir)].slice(0, KEEP_RUNS);
  // Write-then-rename: a crash mid-write leaves the previous history, not half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(runs));
  renameSync(`${file}.tmp`, file);
  const failed = run.results.filter((r) => !r.passed && !r.skipped).map((r) => r.scenario);
  await input.audit?.append({
    type: 'drill.completed',
    severity: failed.length > 0 ? 'warning' : 'info',
    actor: run.actor,
    action: `chaos drill${run.harder ? ' (harder)' : ''}: ${run.results.length - failed.length} of ${run.results.length} scenarios recovered in time`,
    module: 'drills',
    method: 'drill',
    resource: `drill:${run.id}`,
    reason: failed.length > 0 ? `not recovered in time: ${failed.join(', ')}` : null,
    details: {
      runId: run.id,
      harder: run.harder,
      results: run.results.map(({ scenario, concurrentFaults, mttdMs, mttrMs, limitMs, passed, skipped }) => ({
        scenario,
        concurrentFaults,
        mttdMs,
        mttrMs,
        limitMs,
        passed,
        skipped,
      })),
    },
  });
}

/** Scenarios whose last HARDER_AFTER_PASSES results all passed. */
export function passingStreaks(runs: readonly DrillRun[], scenarios: readonly ScenarioName[]): ScenarioName[] {
  return scenarios.filter((scenario) => {
    const recent = runs.flatMap((run) => run.results.filter((r) => r.scenario === scenario && !r.skipped)).slice(0, HARDER_AFTER_PASSES);
    return recent.length === HARDER_AFTER_PASSES && recent.every((r) => r.passed);
  });
}

const ms = (value: number | null) => (value === null ? '—' : value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(2)} s`);

/** The table `npm run drill` prints. */
export function drillTable(run: DrillRun): string {
  const rows = run.results.map((r) => [
    r.scenario + (r.concurrentFaults > 1 ? ` (×${r.concurrentFaults})` : ''),
    ms(r.mttdMs),
    ms(r.mttrMs),
    r.skipped ? '—' : ms(r.limitMs),
    r.skipped ? 'skipped' : r.passed ? 'yes' : 'NO',
    r.note,
  ]);
  const headers = ['scenario', 'MTTD', 'MTTR', 'limit', 'passed', 'note'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
