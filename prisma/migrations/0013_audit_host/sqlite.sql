-- Which host reported each event. Added in place (no table copy): an audit trail of
-- millions of rows migrates in the time it takes to write the schema.
ALTER TABLE "AuditEvent" ADD COLUMN "hostId" INTEGER NOT NULL DEFAULT 1;
CREATE INDEX "AuditEvent_hostId_seq_idx" ON "AuditEvent"("hostId", "seq");

-- When an agent's connection dropped, and the last of its event numbers the chain holds.
ALTER TABLE "Host" ADD COLUMN "disconnectedSince" DATETIME;
ALTER TABLE "Host" ADD COLUMN "eventSeq" INTEGER NOT NULL DEFAULT 0;
