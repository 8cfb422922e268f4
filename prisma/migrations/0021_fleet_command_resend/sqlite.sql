-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FleetCommandHost" (
    "commandId" TEXT NOT NULL,
    "hostId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT,
    "progress" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "resendAt" DATETIME,
    "resends" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("commandId", "hostId"),
    CONSTRAINT "FleetCommandHost_commandId_fkey" FOREIGN KEY ("commandId") REFERENCES "FleetCommand" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FleetCommandHost" ("commandId", "hostId", "message", "progress", "status", "updatedAt") SELECT "commandId", "hostId", "message", "progress", "status", "updatedAt" FROM "FleetCommandHost";
DROP TABLE "FleetCommandHost";
ALTER TABLE "new_FleetCommandHost" RENAME TO "FleetCommandHost";
CREATE INDEX "FleetCommandHost_hostId_status_idx" ON "FleetCommandHost"("hostId", "status");
CREATE INDEX "FleetCommandHost_resendAt_idx" ON "FleetCommandHost"("resendAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

