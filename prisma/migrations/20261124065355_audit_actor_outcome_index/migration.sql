-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_outcome_id_idx" ON "AuditEvent"("actorEmail", "outcome", "id");
