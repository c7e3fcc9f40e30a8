-- CreateEnum
CREATE TYPE "ReconciliationStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "reconciliations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "binding_id" UUID NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "status" "ReconciliationStatus" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "progress_note" TEXT,
    "sage_calls" INTEGER NOT NULL DEFAULT 0,
    "base_currency" TEXT,
    "counts" JSONB,
    "totals" JSONB,
    "difference_summary" JSONB,
    "notified_at" TIMESTAMPTZ(3),
    "error_message" TEXT,
    "requested_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_rows" (
    "id" UUID NOT NULL,
    "reconciliation_id" UUID NOT NULL,
    "document_type" TEXT NOT NULL,
    "class" TEXT NOT NULL,
    "reason" TEXT,
    "reason_detail" TEXT,
    "document_date" DATE NOT NULL,
    "magento_entity_id" BIGINT,
    "magento_increment_id" TEXT,
    "run_id" UUID,
    "currency" TEXT NOT NULL,
    "magento_pence" INTEGER,
    "sage_pence" INTEGER,
    "difference_pence" INTEGER,
    "base_magento_pence" INTEGER,
    "base_sage_pence" INTEGER,
    "sage_id" TEXT,
    "sage_reference" TEXT,
    "sage_doc_reference" TEXT,
    "sage_status" TEXT,

    CONSTRAINT "reconciliation_rows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reconciliations_tenant_id_binding_id_created_at_idx" ON "reconciliations"("tenant_id", "binding_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "reconciliations_binding_id_period_start_period_end_created__idx" ON "reconciliations"("binding_id", "period_start", "period_end", "created_at" DESC);

-- CreateIndex
CREATE INDEX "reconciliation_rows_reconciliation_id_class_document_date_idx" ON "reconciliation_rows"("reconciliation_id", "class", "document_date");

-- CreateIndex
CREATE INDEX "reconciliation_rows_run_id_idx" ON "reconciliation_rows"("run_id");

-- AddForeignKey
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reconciliations" ADD CONSTRAINT "reconciliations_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reconciliation_rows" ADD CONSTRAINT "reconciliation_rows_reconciliation_id_fkey" FOREIGN KEY ("reconciliation_id") REFERENCES "reconciliations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
