-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "receivedAt" TIMESTAMP(3);

-- Rows from before this migration were received no later than now: retention counts from here.
UPDATE "AuditEvent" SET "receivedAt" = (now() AT TIME ZONE 'UTC');
