-- CreateTable
CREATE TABLE "Bouncer" (
    "name" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "address" TEXT,
    "version" TEXT,
    "lastPullAt" TIMESTAMP(3),
    "lastStatus" INTEGER,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "intervalMs" INTEGER,
    "stale" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Bouncer_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "Bouncer_tokenId_key" ON "Bouncer"("tokenId");

-- AddForeignKey
ALTER TABLE "Bouncer" ADD CONSTRAINT "Bouncer_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;

