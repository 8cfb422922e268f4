-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "enrollmentTokenId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Host_enrollmentTokenId_publicKey_key" ON "Host"("enrollmentTokenId", "publicKey");

