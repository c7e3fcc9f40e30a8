-- History sorts at 1 M runs: the duration sort reads a stored column instead of computing an
-- expression over every filtered row, and both it and the attempts sort get a binding-prefixed index
-- in keyset order (sort value, created_at, id), so a page costs about one page of index entries.

-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "duration_ms" BIGINT NOT NULL DEFAULT -1;

-- Kept by the database, not the writers: every path that settles a run (workers, the sweep, intake's
-- instant skips, retries that reset it) gets the same figure without having to remember it.
CREATE FUNCTION sync_runs_duration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.duration_ms := COALESCE(ROUND(EXTRACT(EPOCH FROM (NEW.finished_at - COALESCE(NEW.started_at, NEW.created_at))) * 1000)::bigint, -1);
  RETURN NEW;
END $$;

CREATE TRIGGER sync_runs_duration BEFORE INSERT OR UPDATE OF finished_at, started_at, created_at, duration_ms ON "sync_runs"
  FOR EACH ROW EXECUTE FUNCTION sync_runs_duration();

UPDATE "sync_runs"
   SET "duration_ms" = COALESCE(ROUND(EXTRACT(EPOCH FROM ("finished_at" - COALESCE("started_at", "created_at"))) * 1000)::bigint, -1)
 WHERE "finished_at" IS NOT NULL;

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_attempt_count_created_at_id_idx" ON "sync_runs"("binding_id", "attempt_count" DESC, "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_duration_ms_created_at_id_idx" ON "sync_runs"("binding_id", "duration_ms" DESC, "created_at" DESC, "id" DESC);
