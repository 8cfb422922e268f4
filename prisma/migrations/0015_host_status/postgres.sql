-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "status" TEXT;

