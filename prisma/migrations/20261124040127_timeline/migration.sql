-- CreateTable
CREATE TABLE "TimelineEvent" (
    "id" BIGSERIAL NOT NULL,
    "workspaceUid" UUID NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "phase" VARCHAR(64) NOT NULL,
    "subject" VARCHAR(253) NOT NULL DEFAULT '',
    "reason" VARCHAR(128),
    "message" VARCHAR(1024),
    "severity" VARCHAR(16) NOT NULL DEFAULT 'Normal',
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimelineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TimelineEvent_namespace_name_occurredAt_idx" ON "TimelineEvent"("namespace", "name", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineEvent_workspaceUid_phase_subject_occurredAt_key" ON "TimelineEvent"("workspaceUid", "phase", "subject", "occurredAt");
