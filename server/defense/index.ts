// The guardian's public surface: what the worker wires and what other capabilities call.
export { DefenseService, type DefenseEvents, type DefenseServiceOptions, type GuardVerdict } from './defense-service';
export { DefenseModeError } from './defense-mode';
export { IsolationError, isolationDurationMs, type IsolateInput } from './isolations';
export { createGuardHandler } from './guard';
export { signalsFromIngest } from './ingest-signals';
export type { BouncerDecision } from './decision-stream';
