-- CreateTable
CREATE TABLE "InferenceUsage" (
    "id" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" UUID NOT NULL,
    "tokenId" UUID,
    "namespace" VARCHAR(63) NOT NULL,
    "workspace" VARCHAR(63) NOT NULL,
    "endpoint" VARCHAR(32) NOT NULL,
    "model" VARCHAR(253),
    "stream" BOOLEAN NOT NULL,
    "status" SMALLINT NOT NULL,
    "errorCode" VARCHAR(64),
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "usageEstimated" BOOLEAN NOT NULL DEFAULT false,
    "ttftMs" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "promptText" TEXT,
    "responseText" TEXT,

    CONSTRAINT "InferenceUsage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InferenceUsage_namespace_workspace_occurredAt_idx" ON "InferenceUsage"("namespace", "workspace", "occurredAt");

-- CreateIndex
CREATE INDEX "InferenceUsage_userId_occurredAt_idx" ON "InferenceUsage"("userId", "occurredAt");
