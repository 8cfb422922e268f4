-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "connection" TEXT;

