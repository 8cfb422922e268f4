import type { HealingOverviewView, IncidentDetailView, ModuleLogLineView } from '@/lib/healing/healing-views';
import type { HealingOverview, LogLine } from '../healing';
import type { IncidentDetail } from '../queries/incidents';

/** Compiles only while `Worker` can be handed to code that expects `Browser`. */
type Assignable<Worker extends Browser, Browser> = [Worker, Browser];

// The worker's answers, relayed by the web routes, against what the dashboard reads.
export type HealingWireContract = [
  Assignable<HealingOverview, HealingOverviewView>,
  Assignable<IncidentDetail, IncidentDetailView>,
  Assignable<LogLine, ModuleLogLineView>,
];
