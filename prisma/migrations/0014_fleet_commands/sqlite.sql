-- CreateTable
CREATE TABLE "FleetCommand" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FleetCommandHost" (
    "commandId" TEXT NOT NULL,
    "hostId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "progress" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("commandId", "hostId"),
    CONSTRAINT "FleetCommandHost_commandId_fkey" FOREIGN KEY ("commandId") REFERENCES "FleetCommand" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FleetCommand_createdAt_idx" ON "FleetCommand"("createdAt");

-- CreateIndex
CREATE INDEX "FleetCommandHost_hostId_status_idx" ON "FleetCommandHost"("hostId", "status");
