-- Warning counts with an event (or entity, provider) filter at 1 M runs. The partial index of runs with
-- warnings now carries what those filters and the per-code counts read, so they are index-only scans
-- instead of a heap visit per warned run: on the history benchmark the all-time count for one event went
-- from p50 33 / p99 51–52 ms to p50 18 / p99 37–41 ms, and `warning=any` over all time from p50 13 to
-- 4–5 ms. Runs without warnings (nearly all of them) are not in this index, so intake pays nothing for it.
DROP INDEX IF EXISTS "sync_runs_binding_id_status_created_at_with_warnings_idx";
CREATE INDEX "sync_runs_binding_id_status_created_at_with_warnings_idx" ON "sync_runs"("binding_id", "status", "created_at" DESC)
  INCLUDE ("tenant_id", "event", "entity_type", "provider", "warnings") WHERE cardinality("warnings") > 0;
