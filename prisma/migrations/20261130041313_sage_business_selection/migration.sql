-- AlterEnum
ALTER TYPE "SageConnectionStatus" ADD VALUE 'pending_selection';

-- AlterTable
ALTER TABLE "sage_connections" ADD COLUMN     "business_choices" JSONB,
ADD COLUMN     "pending_binding_id" UUID,
ADD COLUMN     "selection_expires_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "sage_connections_status_selection_expires_at_idx" ON "sage_connections"("status", "selection_expires_at");
