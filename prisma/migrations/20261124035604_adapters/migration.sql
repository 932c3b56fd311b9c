-- CreateTable
CREATE TABLE "Adapter" (
    "id" UUID NOT NULL,
    "name" VARCHAR(56) NOT NULL,
    "baseModel" VARCHAR(200) NOT NULL,
    "repository" VARCHAR(255) NOT NULL,
    "tag" VARCHAR(128) NOT NULL,
    "digest" VARCHAR(100) NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "config" JSONB NOT NULL,
    "files" JSONB NOT NULL,
    "tensorCount" INTEGER NOT NULL,
    "parameterCount" BIGINT NOT NULL,
    "warnings" TEXT[],
    "uploadedById" UUID,
    "uploadedByEmail" VARCHAR(320) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Adapter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Adapter_name_key" ON "Adapter"("name");

-- CreateIndex
CREATE INDEX "Adapter_createdAt_idx" ON "Adapter"("createdAt");
