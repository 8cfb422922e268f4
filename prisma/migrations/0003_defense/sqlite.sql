-- CreateTable
CREATE TABLE "DefenseDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "scenario" TEXT,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "offence" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "liftedAt" DATETIME,
    "liftedBy" TEXT
);

-- CreateTable
CREATE TABLE "DefenseAllowEntry" (
    "source" TEXT NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "DefenseDecision_source_idx" ON "DefenseDecision"("source");

-- CreateIndex
CREATE INDEX "DefenseDecision_liftedAt_idx" ON "DefenseDecision"("liftedAt");

