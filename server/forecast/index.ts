// Fault forecasting's public surface: the worker wires it, routes read it.
export { Forecaster, type ForecasterOptions, type ForecastSources, type MitigationActions } from './forecaster';
export { GovernorError } from './governor';
export { workerForecastSources } from './worker-sources';
