-- CreateTable
CREATE TABLE "DefenseDecision" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "scenario" TEXT,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "offence" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "liftedAt" TIMESTAMP(3),
    "liftedBy" TEXT,

    CONSTRAINT "DefenseDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DefenseAllowEntry" (
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DefenseAllowEntry_pkey" PRIMARY KEY ("source")
);

-- CreateIndex
CREATE INDEX "DefenseDecision_source_idx" ON "DefenseDecision"("source");

-- CreateIndex
CREATE INDEX "DefenseDecision_liftedAt_idx" ON "DefenseDecision"("liftedAt");

