// Risk 0-100 per subsystem and its bands (0-25 green, 26-50 yellow, 51-75 orange,
// 76-100 red), shared by the worker that computes it and the heatmap that draws it.

export const SUBSYSTEM_KINDS = ['host', 'disk', 'module', 'defense', 'data', 'backups'] as const;
export type SubsystemKind = (typeof SUBSYSTEM_KINDS)[number];

export const RISK_BANDS = ['green', 'yellow', 'orange', 'red'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

export function riskBand(risk: number): RiskBand {
  if (risk <= 25) return 'green';
  if (risk <= 50) return 'yellow';
  if (risk <= 75) return 'orange';
  return 'red';
}

/** One signal's part in a subsystem's risk. */
export interface Contribution {
  signal: string;
  /** 0-100: the risk this signal alone would give. */
  points: number;
  detail: string;
}

export interface Prediction {
  subsystem: string;
  failure: string;
  /** When the failure is expected (ISO time). */
  eta: string;
  etaMinutes: number;
  /** Chance it happens within the forecast horizon, 0-1. */
  probability: number;
  precursors: string[];
}

export type MitigationActionId = 'prune-snapshots' | 'restart-module' | 'create-golden-snapshot';
export const MITIGATION_ACTIONS = ['prune-snapshots', 'restart-module', 'create-golden-snapshot'] as const satisfies readonly MitigationActionId[];

export interface MitigationStep {
  text: string;
  /** Present when Vigil can do it with one click. */
  action: { id: MitigationActionId; target: string | null } | null;
}

export interface SubsystemRisk {
  id: string;
  name: string;
  kind: SubsystemKind;
  risk: number;
  band: RiskBand;
  contributions: Contribution[];
}

/** What the heatmap's drill-down shows besides the score. */
export interface SubsystemDetail extends SubsystemRisk {
  predictions: Prediction[];
  mitigations: MitigationStep[];
}

/**
 * Independent signals combine like independent failure causes (a noisy-OR): two signals at 50
 * give 75, never more than 100, and one strong signal is never watered down by quiet ones.
 */
export function combineContributions(contributions: readonly Contribution[]): number {
  let survive = 1;
  for (const c of contributions) survive *= 1 - Math.min(100, Math.max(0, c.points)) / 100;
  return Math.round(100 * (1 - survive));
}

export function toSubsystemRisk(input: { id: string; name: string; kind: SubsystemKind; contributions: Contribution[] }): SubsystemRisk {
  const contributions = input.contributions.filter((c) => c.points > 0).sort((a, b) => b.points - a.points);
  const risk = combineContributions(contributions);
  return { id: input.id, name: input.name, kind: input.kind, risk, band: riskBand(risk), contributions };
}
