-- CreateTable
CREATE TABLE "HealingModule" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "module" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "failureClass" TEXT NOT NULL,
    "rootCause" TEXT,
    "confidence" REAL NOT NULL,
    "state" TEXT NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 1,
    "firstFailureAt" DATETIME NOT NULL,
    "detectedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "affectedDependents" TEXT NOT NULL DEFAULT '[]'
);

-- CreateTable
CREATE TABLE "IncidentStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "IncidentStep_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModuleStateChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "module" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ModuleDailyStat" (
    "module" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "probes" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "upMs" INTEGER NOT NULL DEFAULT 0,
    "downMs" INTEGER NOT NULL DEFAULT 0,
    "latencySumMs" REAL NOT NULL DEFAULT 0,
    "restarts" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("module", "day")
);

-- CreateIndex
CREATE INDEX "Incident_state_detectedAt_idx" ON "Incident"("state", "detectedAt");

-- CreateIndex
CREATE INDEX "Incident_module_detectedAt_idx" ON "Incident"("module", "detectedAt");

-- CreateIndex
CREATE INDEX "IncidentStep_incidentId_at_idx" ON "IncidentStep"("incidentId", "at");

-- CreateIndex
CREATE INDEX "ModuleStateChange_module_at_idx" ON "ModuleStateChange"("module", "at");

