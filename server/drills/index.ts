export { runDrill, type DrillOptions } from './drill-runner';
export { drillTable, passingStreaks, readDrillHistory, recordDrillRun, HARDER_AFTER_PASSES } from './drill-history';
