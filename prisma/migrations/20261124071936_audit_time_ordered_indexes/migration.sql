-- Pages are now ordered by (occurredAt, id) instead of id, so every filter index ends in
-- (occurredAt, id): a time range is then an index range instead of a walk over all newer rows.

-- DropIndex
DROP INDEX "AuditEvent_action_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_actorEmail_action_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_actorEmail_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_actorEmail_outcome_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_occurredAt_idx";

-- DropIndex
DROP INDEX "AuditEvent_outcome_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_targetName_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_targetNamespace_id_idx";

-- DropIndex
DROP INDEX "AuditEvent_targetNamespace_targetName_id_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_id_idx" ON "AuditEvent"("occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_occurredAt_id_idx" ON "AuditEvent"("actorEmail", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_action_occurredAt_id_idx" ON "AuditEvent"("actorEmail", "action", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_outcome_occurredAt_id_idx" ON "AuditEvent"("actorEmail", "outcome", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_action_occurredAt_id_idx" ON "AuditEvent"("action", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_occurredAt_id_idx" ON "AuditEvent"("outcome", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetNamespace_occurredAt_id_idx" ON "AuditEvent"("targetNamespace", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetNamespace_targetName_occurredAt_id_idx" ON "AuditEvent"("targetNamespace", "targetName", "occurredAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetName_occurredAt_id_idx" ON "AuditEvent"("targetName", "occurredAt", "id");
