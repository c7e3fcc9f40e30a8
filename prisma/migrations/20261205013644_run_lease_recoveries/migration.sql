-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "lease_recoveries" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "sync_runs_status_updated_at_idx" ON "sync_runs"("status", "updated_at");
