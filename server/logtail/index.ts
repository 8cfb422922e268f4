export { LogTailer, type LogTailerOptions, type TailedFileStatus } from './log-tailer';
export { compileLineParser, type ParsedSignal } from './log-patterns';
