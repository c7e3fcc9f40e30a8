-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "warning_details" JSONB;
