export { AuditWriter, type AppendReceipt, type AuditWriterOptions } from './audit-writer';
export { verifyStoredChain } from './verify-stored-chain';
export { toPendingEvent } from './pending-event';
