import type { Suggestion } from './governor-rules';
import type { Prediction, SubsystemDetail, SubsystemRisk } from './risk';

/** The heatmap's grid: one column per minute, one row per subsystem (null: not yet known). */
export interface RiskHistoryView {
  columns: string[];
  rows: Record<string, (number | null)[]>;
}

export interface ForecastOverview {
  /** When risk was last computed; null before the first cycle. */
  at: string | null;
  cycleSeconds: number;
  subsystems: SubsystemDetail[];
  predictions: Prediction[];
  history: RiskHistoryView;
}

/** Worker GET /api/v1/risk. */
export interface RiskResponse {
  at: string | null;
  subsystems: SubsystemRisk[];
}

export interface GovernorView {
  suggestions: Suggestion[];
  policy: string[];
}
