-- One entity's latest run of one event is looked up by every status-view refresh (each intake batch,
-- each run update) and by a payment waiting for its invoice. With (binding, type, entity, created_at)
-- the event was a filter, and the planner priced that index and (binding, event, created_at) alike
-- (one row each by its estimates, both needing a sort for the id tie-break): sessions that planned the
-- triggers' query while sync_runs was small kept the event index, then walked every run of the
-- binding's event for each document — 25–190 ms per intake batch at 30,000 runs of one binding, growing
-- with the store. With every column the lookup matches on and its order in one index, that index is the
-- cheapest path whenever sync_runs has statistics (autovacuum's first analysis, or ANALYZE); a table never
-- analysed can still be misplanned (docs/performance.md). It replaces the old entity index: lookups
-- without an event use its first three columns and sort the entity's few runs.

DROP INDEX "sync_runs_binding_id_entity_type_magento_entity_id_created__idx";

CREATE INDEX "sync_runs_binding_id_entity_type_magento_entity_id_event_cr_idx" ON "sync_runs"("binding_id", "entity_type", "magento_entity_id", "event", "created_at" DESC, "id" DESC);
