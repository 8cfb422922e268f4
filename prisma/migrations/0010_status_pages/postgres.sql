-- CreateTable
CREATE TABLE "StatusPage" (
    "slug" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusPage_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "StatusPost" (
    "id" TEXT NOT NULL,
    "page" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusPostUpdate" (
    "id" SERIAL NOT NULL,
    "postId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "author" TEXT NOT NULL,

    CONSTRAINT "StatusPostUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StatusPost_page_startsAt_idx" ON "StatusPost"("page", "startsAt");

-- CreateIndex
CREATE INDEX "StatusPostUpdate_postId_at_idx" ON "StatusPostUpdate"("postId", "at");

-- AddForeignKey
ALTER TABLE "StatusPostUpdate" ADD CONSTRAINT "StatusPostUpdate_postId_fkey" FOREIGN KEY ("postId") REFERENCES "StatusPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;

