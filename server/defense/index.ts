// The guardian's public surface: what the worker wires and what other capabilities call.
export { DefenseService, type DefenseEvents, type DefenseServiceOptions, type GuardVerdict } from './defense-service';
export { DefenseModeError } from './defense-mode';
export { isolationDurationMs, type IsolateInput } from './isolations';
export { IsolationError, type IsolationAuthority } from './isolation-policy';
export { createGuardHandler } from './guard';
export { signalsFromIngest } from './ingest-signals';
export type { BouncerDecision, DecisionStream } from './decision-stream';
export { IpListService, BlocklistNotFoundError } from './ip-lists';
export { BouncerRegistry } from './bouncer-registry';
export { addBouncer, removeBouncer, BouncerExistsError, DEFAULT_BOUNCER_SCOPES } from './bouncer-admin';
export { Detectors, type Overflow } from './detectors';
export { isolationTargetOf } from './threat-response';
