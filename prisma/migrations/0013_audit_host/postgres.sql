-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hostId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "disconnectedSince" TIMESTAMP(3),
ADD COLUMN     "eventSeq" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "AuditEvent_hostId_seq_idx" ON "AuditEvent"("hostId", "seq");

