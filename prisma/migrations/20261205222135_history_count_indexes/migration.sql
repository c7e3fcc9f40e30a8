-- History counts at 1 M runs: covering indexes so each capped facet count is an index-only scan.

-- DropIndex
DROP INDEX "sync_runs_binding_id_error_class_created_at_idx";

-- DropIndex
DROP INDEX "sync_runs_binding_id_reason_code_created_at_idx";

-- DropIndex
DROP INDEX "sync_runs_binding_id_status_created_at_idx";

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_status_created_at_tenant_id_event_enti_idx" ON "sync_runs"("binding_id", "status", "created_at" DESC, "tenant_id", "event", "entity_type", "provider", "reason_code", "error_class");

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_reason_code_created_at_tenant_id_statu_idx" ON "sync_runs"("binding_id", "reason_code", "created_at" DESC, "tenant_id", "status", "event", "entity_type", "provider");

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_error_class_created_at_tenant_id_statu_idx" ON "sync_runs"("binding_id", "error_class", "created_at" DESC, "tenant_id", "status", "event", "entity_type", "provider");

-- Runs with warnings are rare: a partial index finds them without reading the rest (raw SQL: the
-- schema cannot express a partial index).
CREATE INDEX "sync_runs_binding_id_created_at_with_warnings_idx" ON "sync_runs"("binding_id", "created_at" DESC) WHERE cardinality("warnings") > 0;
