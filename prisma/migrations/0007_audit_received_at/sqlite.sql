-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "receivedAt" DATETIME;

-- Rows from before this migration were received no later than now: retention counts from here.
UPDATE "AuditEvent" SET "receivedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now');
