export { HealingService, type HealingOverview, type HealingServiceOptions } from './healing-service';
export { HealingError } from './healing-error';
export type { ModuleView } from './module-view';
export type { LogLine } from './log-ring';
export type { AlertIncidentOutcome, ModuleAlert } from './alert-incidents';
