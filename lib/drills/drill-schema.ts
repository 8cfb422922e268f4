import { z } from 'zod';

/** The faults a chaos drill can inject, one demo service each. */
export const SCENARIO_NAMES = ['kill', 'http-500', 'latency', 'hang', 'disk-full'] as const;
export const scenarioNameSchema = z.enum(SCENARIO_NAMES);
export type ScenarioName = z.infer<typeof scenarioNameSchema>;

/** The `drills` config section: scheduled drills are off unless everyHours is set. */
export const drillsConfigSchema = z
  .object({
    everyHours: z.number().min(0).max(8760).default(0),
    scenarios: z
      .array(scenarioNameSchema)
      .min(1)
      .default([...SCENARIO_NAMES]),
    /** Scheduled runs inject the faults of repeatedly passing scenarios at once. */
    harder: z.boolean().default(false),
  })
  .strict();
export type DrillsConfig = z.infer<typeof drillsConfigSchema>;

export interface DrillResult {
  scenario: ScenarioName;
  /** How many faults were injected at the same moment as this one (1 = alone). */
  concurrentFaults: number;
  /** Fault injected → incident detected; null when nothing was detected. */
  mttdMs: number | null;
  /** Incident detected → resolved (verified by re-probing); null when it did not resolve. */
  mttrMs: number | null;
  limitMs: number;
  passed: boolean;
  /** Why it failed or was skipped, or what the engine did. */
  note: string;
  skipped: boolean;
}

export interface DrillRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  actor: string;
  harder: boolean;
  passed: boolean;
  results: DrillResult[];
}

export const startDrillSchema = z.object({
  actor: z.object({ name: z.string().min(1).max(200), role: z.string().min(1).max(40) }),
  scenarios: z.array(scenarioNameSchema).min(1).optional(),
  harder: z.boolean().default(false),
});
export type StartDrillInput = z.input<typeof startDrillSchema>;

/** Where one scenario of the running drill is: the panel shows each instead of "Drill running…" for a minute. */
export interface DrillScenarioProgress {
  scenario: ScenarioName;
  state: 'waiting' | 'injected' | 'passed' | 'failed';
  note: string | null;
}

export interface DrillOverview {
  running: boolean;
  /** The running drill's scenarios; empty when none runs. */
  progress: DrillScenarioProgress[];
  runs: DrillRun[];
}
