-- CreateTable
CREATE TABLE "HealingModule" (
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HealingModule_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "module" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "failureClass" TEXT NOT NULL,
    "rootCause" TEXT,
    "confidence" DOUBLE PRECISION NOT NULL,
    "state" TEXT NOT NULL,
    "escalationLevel" INTEGER NOT NULL DEFAULT 1,
    "firstFailureAt" TIMESTAMP(3) NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "affectedDependents" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentStep" (
    "id" SERIAL NOT NULL,
    "incidentId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "IncidentStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleStateChange" (
    "id" SERIAL NOT NULL,
    "module" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "ModuleStateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleDailyStat" (
    "module" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "probes" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "upMs" INTEGER NOT NULL DEFAULT 0,
    "downMs" INTEGER NOT NULL DEFAULT 0,
    "latencySumMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "restarts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ModuleDailyStat_pkey" PRIMARY KEY ("module","day")
);

-- CreateIndex
CREATE INDEX "Incident_state_detectedAt_idx" ON "Incident"("state", "detectedAt");

-- CreateIndex
CREATE INDEX "Incident_module_detectedAt_idx" ON "Incident"("module", "detectedAt");

-- CreateIndex
CREATE INDEX "IncidentStep_incidentId_at_idx" ON "IncidentStep"("incidentId", "at");

-- CreateIndex
CREATE INDEX "ModuleStateChange_module_at_idx" ON "ModuleStateChange"("module", "at");

-- AddForeignKey
ALTER TABLE "IncidentStep" ADD CONSTRAINT "IncidentStep_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

