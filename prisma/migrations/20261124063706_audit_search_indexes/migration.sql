-- Indexes for the audit view's filters and free-text search (see prisma/schema/audit.prisma).
-- pg_trgm provides the trigram operator class of the GIN indexes. It is a trusted extension
-- (PostgreSQL ≥ 13), so the database owner may create it; PGlite loads it in server/db/new-pglite.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_action_id_idx" ON "AuditEvent"("actorEmail", "action", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_targetNamespace_targetName_id_idx" ON "AuditEvent"("targetNamespace", "targetName", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_summary_trgm_idx" ON "AuditEvent" USING GIN ("summary" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_targetName_trgm_idx" ON "AuditEvent" USING GIN ("targetName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_actorEmail_trgm_idx" ON "AuditEvent" USING GIN ("actorEmail" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "AuditEvent_action_trgm_idx" ON "AuditEvent" USING GIN ("action" gin_trgm_ops);
