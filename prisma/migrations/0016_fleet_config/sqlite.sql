-- CreateTable
CREATE TABLE "FleetConfigAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "targetKey" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "FleetConfigVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "assignmentId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredVersion" INTEGER,
    CONSTRAINT "FleetConfigVersion_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "FleetConfigAssignment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FleetConfigHostState" (
    "hostId" INTEGER NOT NULL PRIMARY KEY,
    "appliedRevision" INTEGER,
    "rejectedRevision" INTEGER,
    "reason" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "FleetConfigAssignment_targetKey_key" ON "FleetConfigAssignment"("targetKey");

-- CreateIndex
CREATE UNIQUE INDEX "FleetConfigVersion_assignmentId_version_key" ON "FleetConfigVersion"("assignmentId", "version");
