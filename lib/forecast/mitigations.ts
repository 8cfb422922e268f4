import type { MitigationStep, Prediction, SubsystemRisk } from './risk';

/** Plans are offered from orange up (51+): below it there is nothing to do yet. */
export const MITIGATION_FROM_RISK = 51;

/** Concrete steps for a high-risk subsystem; a step with an action is one click away. */
export function mitigationPlan(risk: SubsystemRisk, predictions: readonly Prediction[]): MitigationStep[] {
  if (risk.risk < MITIGATION_FROM_RISK) return [];
  const signals = new Set(risk.contributions.map((c) => c.signal));
  const has = (word: string) => [...signals].some((s) => s.includes(word)) || predictions.some((p) => p.failure.includes(word));
  switch (risk.kind) {
    case 'disk':
    case 'data':
      return [
        { text: 'Prune snapshots past the retention policy', action: { id: 'prune-snapshots', target: null } },
        { text: 'Rotate and compress logs on this mount (logrotate -f /etc/logrotate.conf)', action: null },
        { text: 'Raise the volume size or move the data directory to a larger mount', action: null },
      ];
    case 'host':
      return has('memory')
        ? [
            { text: 'Restart the process whose memory keeps growing (see the module risks)', action: null },
            { text: 'Raise the memory limit or add swap as a stopgap', action: null },
          ]
        : [{ text: 'Shed load: pin degradation to LEVEL_1 to stop background work', action: null }];
    case 'module':
      return [
        { text: `Restart ${risk.name} now, before it fails on its own`, action: { id: 'restart-module', target: risk.name } },
        ...(has('restart') ? [{ text: `Raise ${risk.name}'s restart budget, or fix the crash in its logs`, action: null }] : []),
        ...(has('latency')
          ? [{ text: `Check ${risk.name}'s dependencies and slow queries; raise its latency limit only if the new level is expected`, action: null }]
          : []),
      ];
    case 'backups':
      return [{ text: 'Take and verify a golden snapshot now', action: { id: 'create-golden-snapshot', target: null } }];
    case 'defense':
      return [
        { text: 'Review the threat feed and isolate the repeat sources', action: null },
        { text: 'Switch to LOCKDOWN if the pressure keeps rising', action: null },
      ];
  }
}
