export { FileIntegrity, BASELINE_FILE, type FileIntegrityOptions } from './file-integrity';
export { vigilRepoRoot } from './self-location';
export { readRecentFindings } from './finding-history';
