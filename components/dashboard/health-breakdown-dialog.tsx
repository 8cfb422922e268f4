'use client';

import { DEFAULT_SCORE_WEIGHTS, MODULE_POINTS, type Deduction } from '@/lib/health/score';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';

const FACTOR_LABEL: Record<Deduction['factor'], string> = { cpu: 'CPU', memory: 'Memory', disk: 'Disk', load: 'Load', modules: 'Modules' };

// The rules of lib/health/score.ts in words, with its default weights.
const { cpu, memory, disk, load } = DEFAULT_SCORE_WEIGHTS;
const RULES: Record<Deduction['factor'], string> = {
  cpu: `from ${cpu.from} % busy, up to ${cpu.max} points at 100 %`,
  memory: `from ${memory.from} % used, up to ${memory.max} points at 100 %`,
  disk: `fullest disk from ${disk.from} % used, up to ${disk.max} points at 100 %`,
  load: `from ${load.from} per core, up to ${load.max} points at ${load.to} per core`,
  modules: `each module down: ${MODULE_POINTS.down.critical} if critical, else ${MODULE_POINTS.down.normal}; degraded: ${MODULE_POINTS.degraded.critical} or ${MODULE_POINTS.degraded.normal}; at most ${MODULE_POINTS.cap}`,
};

/** The gauge explains itself: 100 minus what each factor took away, and how each one is counted. */
export function HealthBreakdownDialog({ score, deductions, onClose }: { score: number | null; deductions: Deduction[]; onClose: () => void }) {
  const taken = deductions.reduce((sum, d) => sum + d.points, 0);
  const byFactor = new Map(deductions.map((d) => [d.factor, d]));
  return (
    <Dialog open onClose={onClose} title="What the health score is made of" testId="health-breakdown">
      <table className="w-full text-sm">
        <tbody>
          <tr className="border-b border-border">
            <td className="py-1.5 text-muted">Start</td>
            <td />
            <td className="tabular py-1.5 text-right font-medium">100</td>
          </tr>
          {(Object.keys(FACTOR_LABEL) as Deduction['factor'][]).map((factor) => {
            const d = byFactor.get(factor);
            return (
              <tr key={factor} className="border-b border-border/60 align-top" data-testid="breakdown-row" data-factor={factor} data-points={d?.points ?? 0}>
                <td className="py-1.5 pr-3 font-medium whitespace-nowrap">{FACTOR_LABEL[factor]}</td>
                <td className="py-1.5 text-xs">
                  <span className={d ? 'text-text' : 'text-faint'}>{d ? d.detail : 'nothing taken'}</span>
                  <span className="block text-faint">{RULES[factor]}</span>
                </td>
                <td className={`tabular py-1.5 pl-3 text-right font-medium ${d ? 'text-bad' : 'text-faint'}`}>{d ? `−${d.points}` : '0'}</td>
              </tr>
            );
          })}
          <tr>
            <td className="pt-2 font-semibold">Score</td>
            <td className="pt-2 text-xs text-faint">{taken > 0 ? `${Math.round(taken * 10) / 10} points taken, rounded` : 'nothing taken away'}</td>
            <td className="tabular pt-2 text-right text-base font-bold" data-testid="breakdown-score">
              {score ?? '—'}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="mt-3 text-xs text-faint">
        Weights shown are the defaults. The score sets the degradation level: 80+ normal, 65 level 1, 50 level 2, 30 level 3, below that emergency.
      </p>
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Dialog>
  );
}
