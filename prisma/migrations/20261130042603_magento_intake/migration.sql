-- CreateIndex
CREATE UNIQUE INDEX "magento_connections_tenant_id_base_url_key" ON "magento_connections"("tenant_id", "base_url");

-- CreateIndex
CREATE INDEX "sync_runs_receipt_id_idx" ON "sync_runs"("receipt_id");
