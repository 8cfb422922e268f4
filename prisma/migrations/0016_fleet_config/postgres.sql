-- CreateTable
CREATE TABLE "FleetConfigAssignment" (
    "id" SERIAL NOT NULL,
    "targetKey" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FleetConfigAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetConfigVersion" (
    "id" SERIAL NOT NULL,
    "assignmentId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredVersion" INTEGER,

    CONSTRAINT "FleetConfigVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FleetConfigHostState" (
    "hostId" INTEGER NOT NULL,
    "appliedRevision" INTEGER,
    "rejectedRevision" INTEGER,
    "reason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FleetConfigHostState_pkey" PRIMARY KEY ("hostId")
);

-- CreateIndex
CREATE UNIQUE INDEX "FleetConfigAssignment_targetKey_key" ON "FleetConfigAssignment"("targetKey");

-- CreateIndex
CREATE UNIQUE INDEX "FleetConfigVersion_assignmentId_version_key" ON "FleetConfigVersion"("assignmentId", "version");

-- AddForeignKey
ALTER TABLE "FleetConfigVersion" ADD CONSTRAINT "FleetConfigVersion_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "FleetConfigAssignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
