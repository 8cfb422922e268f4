-- CreateTable
CREATE TABLE "FleetCommand" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FleetCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetCommandHost" (
    "commandId" TEXT NOT NULL,
    "hostId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "progress" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FleetCommandHost_pkey" PRIMARY KEY ("commandId","hostId")
);

-- CreateIndex
CREATE INDEX "FleetCommand_createdAt_idx" ON "FleetCommand"("createdAt");

-- CreateIndex
CREATE INDEX "FleetCommandHost_hostId_status_idx" ON "FleetCommandHost"("hostId", "status");

-- AddForeignKey
ALTER TABLE "FleetCommandHost" ADD CONSTRAINT "FleetCommandHost_commandId_fkey" FOREIGN KEY ("commandId") REFERENCES "FleetCommand"("id") ON DELETE CASCADE ON UPDATE CASCADE;
