-- Invoices → By order at 1 M runs (issue 15). The view shows one row per Magento order: its invoices,
-- how many reached Sage, newest first, optionally only orders holding an invoice of one chip. Grouping
-- the tenant's `status_documents` on every request costs O(invoices); this table holds each group, kept
-- by `status_views_refresh` in the same transaction as the invoice rows it sums, so a page and its
-- count walk an index in the page's own order.

-- One row per (binding, order key) with at least one invoice row: how many invoices it has per chip
-- (a chip filter is "at least one invoice of that chip"), its number and customer, and its latest
-- invoice's time (the page's sort). The invoices themselves are read from status_documents per page.
CREATE TABLE "status_orders" (
    "binding_id" UUID NOT NULL,
    "order_key" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "order_increment_id" TEXT,
    "customer_name" TEXT,
    "invoice_count" INTEGER NOT NULL,
    "synced_count" INTEGER NOT NULL,
    "pending_count" INTEGER NOT NULL,
    "skipped_count" INTEGER NOT NULL,
    "failed_count" INTEGER NOT NULL,
    "none_count" INTEGER NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "status_orders_pkey" PRIMARY KEY ("binding_id","order_key")
);

CREATE INDEX "status_orders_tenant_id_last_at_binding_id_order_key_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC);

-- Each chip filter pages over only the orders it keeps (failed ones are rare: a full index would walk
-- past every synced order to fill a page). Partial, so the schema cannot state them; an order gets an
-- entry only in the indexes of the chips it holds, so a new order writes one of them.
CREATE INDEX "status_orders_synced_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC) WHERE "synced_count" > 0;
CREATE INDEX "status_orders_pending_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC) WHERE "pending_count" > 0;
CREATE INDEX "status_orders_skipped_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC) WHERE "skipped_count" > 0;
CREATE INDEX "status_orders_failed_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC) WHERE "failed_count" > 0;
CREATE INDEX "status_orders_none_idx" ON "status_orders"("tenant_id", "last_at" DESC, "binding_id" DESC, "order_key" DESC) WHERE "none_count" > 0;

ALTER TABLE "status_orders" ADD CONSTRAINT "status_orders_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An order's row as its invoice rows give it now (invoice_count 0: it has none left). VOLATILE, so
-- each call reads what is committed at that moment, as status_documents_compute does.
CREATE FUNCTION status_orders_compute(bs UUID[], os TEXT[])
RETURNS TABLE (binding_id UUID, order_key TEXT, tenant_id UUID, order_increment_id TEXT, customer_name TEXT, invoice_count INTEGER,
               synced_count INTEGER, pending_count INTEGER, skipped_count INTEGER, failed_count INTEGER, none_count INTEGER, last_at TIMESTAMPTZ)
LANGUAGE sql VOLATILE AS $$
  SELECT x.b, x.o, bd.tenant_id, g.order_increment_id, g.customer_name, g.n, g.n_synced, g.n_pending, g.n_skipped, g.n_failed, g.n_none, g.last_at
    FROM (SELECT DISTINCT y.b, y.o FROM unnest(bs, os) AS y(b, o) WHERE y.o IS NOT NULL) x
    JOIN bindings bd ON bd.id = x.b
    CROSS JOIN LATERAL (
      SELECT max(d.order_increment_id) AS order_increment_id, max(d.customer_name) AS customer_name, count(*)::int AS n,
             (count(*) FILTER (WHERE d.chip = 'synced'))::int AS n_synced, (count(*) FILTER (WHERE d.chip = 'pending'))::int AS n_pending,
             (count(*) FILTER (WHERE d.chip = 'skipped'))::int AS n_skipped, (count(*) FILTER (WHERE d.chip = 'failed'))::int AS n_failed,
             (count(*) FILTER (WHERE d.chip = 'none'))::int AS n_none, max(d.last_at) AS last_at
        FROM status_documents d WHERE d.binding_id = x.b AND d.kind = 'invoice' AND d.order_key = x.o) g
$$;

-- Recomputes the given orders from their invoice rows, with the documents' claiming rule: a new order
-- is computed and written by one insert (a racing writer's insert of the same order waits for it, then
-- conflicts); every order that already has a row is claimed FOR UPDATE in key order and only then
-- recomputed in a fresh statement, which sees what any writer it waited for committed. Rows are written
-- only when a value changed.
CREATE FUNCTION status_orders_refresh(bs UUID[], os TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ib UUID[];
  io TEXT[];
  rb UUID[];
  ro TEXT[];
BEGIN
  WITH ins AS (
    INSERT INTO status_orders AS s (binding_id, order_key, tenant_id, order_increment_id, customer_name, invoice_count, synced_count, pending_count, skipped_count, failed_count, none_count, last_at)
    SELECT c.* FROM status_orders_compute(bs, os) c
     WHERE c.invoice_count > 0
       AND NOT EXISTS (SELECT 1 FROM status_orders o WHERE (o.binding_id, o.order_key) = (c.binding_id, c.order_key))
     ORDER BY c.binding_id, c.order_key
    ON CONFLICT DO NOTHING
    RETURNING s.binding_id, s.order_key)
  SELECT array_agg(ins.binding_id), array_agg(ins.order_key) INTO ib, io FROM ins;

  SELECT array_agg(x.b), array_agg(x.o) INTO rb, ro
    FROM (SELECT DISTINCT y.b, y.o FROM unnest(bs, os) AS y(b, o) WHERE y.o IS NOT NULL) x
   WHERE NOT EXISTS (SELECT 1 FROM unnest(ib, io) AS n(b, o) WHERE (n.b, n.o) = (x.b, x.o));
  IF rb IS NULL THEN
    RETURN;
  END IF;
  PERFORM 1 FROM status_orders s JOIN unnest(rb, ro) AS x(b, o) ON (s.binding_id, s.order_key) = (x.b, x.o)
   ORDER BY s.binding_id, s.order_key FOR UPDATE OF s;
  WITH c AS (SELECT * FROM status_orders_compute(rb, ro)),
  gone AS (
    DELETE FROM status_orders s USING c WHERE (s.binding_id, s.order_key) = (c.binding_id, c.order_key) AND c.invoice_count = 0
  ),
  -- an order whose first invoice came with this call, or whose row another writer deleted meanwhile
  added AS (
    INSERT INTO status_orders (binding_id, order_key, tenant_id, order_increment_id, customer_name, invoice_count, synced_count, pending_count, skipped_count, failed_count, none_count, last_at)
    SELECT c.* FROM c WHERE c.invoice_count > 0
       AND NOT EXISTS (SELECT 1 FROM status_orders o WHERE (o.binding_id, o.order_key) = (c.binding_id, c.order_key))
    ON CONFLICT DO NOTHING
  )
  UPDATE status_orders s
     SET order_increment_id = c.order_increment_id, customer_name = c.customer_name, invoice_count = c.invoice_count,
         synced_count = c.synced_count, pending_count = c.pending_count, skipped_count = c.skipped_count, failed_count = c.failed_count,
         none_count = c.none_count, last_at = c.last_at
    FROM c
   WHERE (s.binding_id, s.order_key) = (c.binding_id, c.order_key) AND c.invoice_count > 0
     AND (s.order_increment_id, s.customer_name, s.invoice_count, s.synced_count, s.pending_count, s.skipped_count, s.failed_count,
          s.none_count, s.last_at)
         IS DISTINCT FROM (c.order_increment_id, c.customer_name, c.invoice_count, c.synced_count, c.pending_count, c.skipped_count,
          c.failed_count, c.none_count, c.last_at);
END $$;

-- The document refresh of migration 20261206013000, now also telling which invoice rows changed in a
-- way an order shows (chip, time, order, number, customer) and refreshing only those orders — their old
-- and new order when an invoice moved. The orders are refreshed last, after every document row this
-- call claims, so all writers take document locks before order locks and cannot wait on each other in
-- a cycle. Credit memos and customers touch no order.
CREATE OR REPLACE FUNCTION status_views_refresh(bs UUID[], ks TEXT[], es BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  nb UUID[];
  nk TEXT[];
  ne BIGINT[];
  rb UUID[];
  rk TEXT[];
  re BIGINT[];
  -- orders to refresh: those of new invoices, then those of changed or deleted ones
  ob UUID[];
  oo TEXT[];
  cb UUID[];
  co TEXT[];
BEGIN
  WITH ins AS (
    INSERT INTO status_documents AS s (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
    SELECT c.* FROM status_documents_compute(bs, ks, es) c
     WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM status_documents o WHERE (o.binding_id, o.kind, o.entity_id) = (c.binding_id, c.kind, c.entity_id))
     ORDER BY c.binding_id, c.kind, c.entity_id
    ON CONFLICT DO NOTHING
    RETURNING s.binding_id, s.kind, s.entity_id, s.order_key)
  SELECT array_agg(ins.binding_id), array_agg(ins.kind), array_agg(ins.entity_id),
         array_agg(ins.binding_id) FILTER (WHERE ins.kind = 'invoice'), array_agg(ins.order_key) FILTER (WHERE ins.kind = 'invoice')
    INTO nb, nk, ne, ob, oo FROM ins;

  -- every other document: claim its row, then recompute
  SELECT array_agg(x.b), array_agg(x.k), array_agg(x.e) INTO rb, rk, re
    FROM (SELECT DISTINCT y.b, y.k, y.e FROM unnest(bs, ks, es) AS y(b, k, e)) x
   WHERE x.k IN ('invoice', 'creditmemo')
     AND NOT EXISTS (SELECT 1 FROM unnest(nb, nk, ne) AS n(b, k, e) WHERE (n.b, n.k, n.e) = (x.b, x.k, x.e));
  IF rb IS NOT NULL THEN
    PERFORM 1 FROM status_documents s JOIN unnest(rb, rk, re) AS x(b, k, e) ON (s.binding_id, s.kind, s.entity_id) = (x.b, x.k, x.e)
     ORDER BY s.binding_id, s.kind, s.entity_id FOR UPDATE OF s;
    -- `was`: the claimed row as it stands (this statement's snapshot is taken after the claim)
    WITH c AS (
      SELECT c.*, w.entity_id IS NOT NULL AS had_row, w.order_key AS was_order_key,
             (w.chip, w.last_at, w.order_key, w.order_increment_id, w.customer_name)
               IS DISTINCT FROM (c.chip, c.last_at, c.order_key, c.order_increment_id, c.customer_name) AS order_moved
        FROM status_documents_compute(rb, rk, re) c
        LEFT JOIN status_documents w ON (w.binding_id, w.kind, w.entity_id) = (c.binding_id, c.kind, c.entity_id)
    ),
    gone AS (
      DELETE FROM status_documents s USING c
       WHERE (s.binding_id, s.kind, s.entity_id) = (c.binding_id, c.kind, c.entity_id) AND c.doc_run_id IS NULL AND c.payment_run_id IS NULL
      RETURNING s.binding_id, s.kind, s.order_key
    ),
    -- a row another writer's insert held and then rolled back
    added AS (
      INSERT INTO status_documents AS s (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
      SELECT c.binding_id, c.kind, c.entity_id, c.tenant_id, c.doc_run_id, c.payment_run_id, c.run_id, c.chip, c.chip_rank, c.payment_failed,
             c.last_at, c.increment_id, c.customer_sort, c.total_sort, c.search_text, c.reference_key, c.order_key, c.order_increment_id,
             c.customer_name
        FROM c WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM status_documents o WHERE (o.binding_id, o.kind, o.entity_id) = (c.binding_id, c.kind, c.entity_id))
      ON CONFLICT DO NOTHING
      RETURNING s.binding_id, s.kind, s.order_key
    ),
    -- Rows whose values did not change are not rewritten (a run going from queued to running moves no
    -- chip), which spares their indexes on the hot path.
    upd AS (
      UPDATE status_documents s
         SET doc_run_id = c.doc_run_id, payment_run_id = c.payment_run_id, run_id = c.run_id, chip = c.chip, chip_rank = c.chip_rank,
             payment_failed = c.payment_failed, last_at = c.last_at, increment_id = c.increment_id, customer_sort = c.customer_sort,
             total_sort = c.total_sort, search_text = c.search_text, reference_key = c.reference_key, order_key = c.order_key,
             order_increment_id = c.order_increment_id, customer_name = c.customer_name
        FROM c
       WHERE (s.binding_id, s.kind, s.entity_id) = (c.binding_id, c.kind, c.entity_id) AND (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
         AND (s.doc_run_id, s.payment_run_id, s.run_id, s.chip, s.payment_failed, s.last_at, s.increment_id, s.customer_sort, s.total_sort,
              s.search_text, s.reference_key, s.order_key, s.order_increment_id, s.customer_name)
             IS DISTINCT FROM (c.doc_run_id, c.payment_run_id, c.run_id, c.chip, c.payment_failed, c.last_at, c.increment_id, c.customer_sort,
              c.total_sort, c.search_text, c.reference_key, c.order_key, c.order_increment_id, c.customer_name)
      RETURNING s.binding_id, s.kind, c.order_key, c.was_order_key, c.order_moved
    )
    SELECT array_agg(o.b), array_agg(o.k) INTO cb, co
      FROM (SELECT binding_id AS b, order_key AS k FROM gone WHERE kind = 'invoice'
            UNION ALL SELECT binding_id, order_key FROM added WHERE kind = 'invoice'
            UNION ALL SELECT binding_id, order_key FROM upd WHERE kind = 'invoice' AND order_moved
            UNION ALL SELECT binding_id, was_order_key FROM upd WHERE kind = 'invoice' AND order_moved AND was_order_key IS DISTINCT FROM order_key) o;
  END IF;

  IF ob IS NOT NULL OR cb IS NOT NULL THEN
    PERFORM status_orders_refresh(COALESCE(ob, '{}') || COALESCE(cb, '{}'), COALESCE(oo, '{}') || COALESCE(co, '{}'));
  END IF;

  -- customers: the key is the Magento customer id; runs of every binding of the store count
  PERFORM status_customers_refresh(array_agg(bd.magento_connection_id), array_agg(x.e::text))
     FROM unnest(bs, ks, es) AS x(b, k, e) JOIN bindings bd ON bd.id = x.b
    WHERE x.k = 'customer'
   HAVING count(*) > 0;
END $$;

-- Rows for what is already there.
SELECT status_orders_refresh(array_agg(binding_id), array_agg(order_key))
  FROM (SELECT DISTINCT binding_id, order_key FROM status_documents WHERE kind = 'invoice' AND order_key IS NOT NULL) d
HAVING count(*) > 0;
