-- AlterTable
ALTER TABLE "FleetCommandHost" ADD COLUMN     "resendAt" TIMESTAMP(3),
ADD COLUMN     "resends" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "FleetCommandHost_resendAt_idx" ON "FleetCommandHost"("resendAt");

