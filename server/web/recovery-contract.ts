import type { DiffLineView, PruneResultView, RecoveryOverviewView, RestoreResultView } from '@/lib/recovery/recovery-views';
import type { DiffLine, PruneResult, RecoveryOverview, RestoreResult } from '../recovery';

/** Compiles only while `Worker` can be handed to code that expects `Browser`. */
type Assignable<Worker extends Browser, Browser> = [Worker, Browser];

// The worker's answers, relayed unchanged by the web routes, against what the panel reads.
export type RecoveryWireContract = [
  Assignable<RecoveryOverview, RecoveryOverviewView>,
  Assignable<RestoreResult, RestoreResultView>,
  Assignable<DiffLine, DiffLineView>,
  Assignable<PruneResult, PruneResultView>,
];
