-- Warning filters at 1 M runs. The partial index of runs with warnings gains `status` after the
-- binding, so the status counts of a warning filter walk it instead of bitmap-ANDing the status index
-- (raw SQL: the schema cannot express a partial index).
DROP INDEX IF EXISTS "sync_runs_binding_id_created_at_with_warnings_idx";
CREATE INDEX "sync_runs_binding_id_status_created_at_with_warnings_idx" ON "sync_runs"("binding_id", "status", "created_at" DESC) WHERE cardinality("warnings") > 0;

-- Without statistics on `cardinality(warnings)` the planner guesses a third of all runs have warnings
-- and picks a parallel heap scan; with them it walks the partial index above.
CREATE STATISTICS "sync_runs_warning_count" ON (cardinality("warnings")) FROM "sync_runs";
