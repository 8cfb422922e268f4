-- CreateTable
CREATE TABLE "Bouncer" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "tokenId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "address" TEXT,
    "version" TEXT,
    "lastPullAt" DATETIME,
    "lastStatus" INTEGER,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "intervalMs" INTEGER,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Bouncer_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Bouncer_tokenId_key" ON "Bouncer"("tokenId");

