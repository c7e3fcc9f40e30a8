-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "dispatched_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "sync_runs_status_dispatched_at_idx" ON "sync_runs"("status", "dispatched_at");

-- Runs already handed to Inngest before this column existed count as dispatched: the sweep must not resend history.
UPDATE "sync_runs" SET "dispatched_at" = "updated_at" WHERE "inngest_event_id" IS NOT NULL AND "status" <> 'waiting';

-- Every app instance caches a connection's verified key material for a few seconds
-- (lib/magento/key-cache.ts); any change to the row (key rotation, disconnect, re-pairing) or its
-- deletion tells every instance to drop it at once.
CREATE OR REPLACE FUNCTION "notify_magento_connection_changed"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('magento_connection_changed', OLD."id"::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "magento_connections_notify_changed"
  AFTER UPDATE OR DELETE ON "magento_connections"
  FOR EACH ROW EXECUTE FUNCTION "notify_magento_connection_changed"();
