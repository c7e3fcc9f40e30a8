-- Each intake batch asks which of its documents and orders have no status row yet. Written as
-- NOT EXISTS, PostgreSQL may answer with a hash anti-join over a sequential scan of the whole table
-- whenever its statistics call the table small: with stale statistics (a table that grew since it was
-- last analysed, autovacuum late or off) that scan grows with every row and every dead version, on
-- every webhook. Measured on intake's benchmark: 1.7 ms of the 6.8 ms batch statement went to a seq
-- scan of status_orders. A LATERAL probe with LIMIT cannot become a join: each key is one primary-key
-- lookup, whatever the statistics say. Nothing else in the two functions changes.

CREATE OR REPLACE FUNCTION status_orders_refresh(bs UUID[], os TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  fb UUID[];
  fo TEXT[];
  ib UUID[];
  io TEXT[];
  rb UUID[];
  ro TEXT[];
BEGIN
  -- orders with no row yet, found key by key: computed and written by one insert
  SELECT array_agg(x.b), array_agg(x.o) INTO fb, fo
    FROM (SELECT DISTINCT y.b, y.o FROM unnest(bs, os) AS y(b, o) WHERE y.o IS NOT NULL) x
    LEFT JOIN LATERAL (SELECT true AS found FROM status_orders s WHERE s.binding_id = x.b AND s.order_key = x.o LIMIT 1) s ON true
   WHERE s.found IS NULL;
  IF fb IS NOT NULL THEN
    WITH ins AS (
      INSERT INTO status_orders AS s (binding_id, order_key, tenant_id, order_increment_id, customer_name, invoice_count, synced_count, pending_count, skipped_count, failed_count, none_count, last_at)
      SELECT c.* FROM status_orders_compute(fb, fo) c
       WHERE c.invoice_count > 0
       ORDER BY c.binding_id, c.order_key
      ON CONFLICT DO NOTHING
      RETURNING s.binding_id, s.order_key)
    SELECT array_agg(ins.binding_id), array_agg(ins.order_key) INTO ib, io FROM ins;
  END IF;

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

CREATE OR REPLACE FUNCTION status_views_refresh(bs UUID[], ks TEXT[], es BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  fb UUID[];
  fk TEXT[];
  fe BIGINT[];
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
  -- documents with no row yet (intake's common case), found key by key: computed and written by one insert
  SELECT array_agg(x.b), array_agg(x.k), array_agg(x.e) INTO fb, fk, fe
    FROM (SELECT DISTINCT y.b, y.k, y.e FROM unnest(bs, ks, es) AS y(b, k, e) WHERE y.k IN ('invoice', 'creditmemo')) x
    LEFT JOIN LATERAL (SELECT true AS found FROM status_documents o WHERE o.binding_id = x.b AND o.kind = x.k AND o.entity_id = x.e LIMIT 1) o ON true
   WHERE o.found IS NULL;
  IF fb IS NOT NULL THEN
    WITH ins AS (
      INSERT INTO status_documents AS s (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
      SELECT c.* FROM status_documents_compute(fb, fk, fe) c
       WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
       ORDER BY c.binding_id, c.kind, c.entity_id
      ON CONFLICT DO NOTHING
      RETURNING s.binding_id, s.kind, s.entity_id, s.order_key)
    SELECT array_agg(ins.binding_id), array_agg(ins.kind), array_agg(ins.entity_id),
           array_agg(ins.binding_id) FILTER (WHERE ins.kind = 'invoice'), array_agg(ins.order_key) FILTER (WHERE ins.kind = 'invoice')
      INTO nb, nk, ne, ob, oo FROM ins;
  END IF;

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
