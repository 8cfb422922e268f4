export { OffsiteService, type OffsiteDeps } from './offsite-service';
export { OffsiteScheduler } from './offsite-scheduler';
