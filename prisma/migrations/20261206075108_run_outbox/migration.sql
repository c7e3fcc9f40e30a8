-- Which runs still have to be sent to Inngest moves from a column of the wide run row
-- (dispatched_at, set by an UPDATE that rewrote the run and all of its indexes and fired the
-- status-view triggers once per accepted webhook) to a narrow table of its own: a row is written with
-- the run and deleted once its event is sent (lib/sync/dispatch.ts).

-- CreateTable
CREATE TABLE "run_outbox" (
    "run_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_outbox_pkey" PRIMARY KEY ("run_id")
);

-- AddForeignKey
ALTER TABLE "run_outbox" ADD CONSTRAINT "run_outbox_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Runs committed but never confirmed sent stay owed to Inngest: the sweep sends them as before.
INSERT INTO "run_outbox" ("run_id", "event_id", "created_at")
SELECT "id", "inngest_event_id", "updated_at" FROM "sync_runs"
WHERE "status" = 'queued' AND "dispatched_at" IS NULL AND "inngest_event_id" IS NOT NULL;

-- DropIndex
DROP INDEX "sync_runs_status_dispatched_at_idx";

-- AlterTable
ALTER TABLE "sync_runs" DROP COLUMN "dispatched_at";
