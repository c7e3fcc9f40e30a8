-- Status-view upkeep, cheaper per statement (intake writes its runs in batches now, lib/intake/batch.ts):
-- * A new document's row was found missing by an anti-join that the planner, expecting the default
--   1,000 rows from the compute function, served with a sequential scan of every document row: a cost
--   that grew with the store on every intake statement. Missing rows are now looked up one key at a
--   time, and only the missing ones are computed for the insert (documents that already have a row were
--   computed twice before, once for an insert that then skipped them).
-- * The compute function says how many rows it typically returns, so plans around it use the keys.

ALTER FUNCTION status_documents_compute(UUID[], TEXT[], BIGINT[]) ROWS 10;

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
BEGIN
  -- documents with no row yet (intake's common case): computed and written by one insert
  SELECT array_agg(x.b), array_agg(x.k), array_agg(x.e) INTO fb, fk, fe
    FROM (SELECT DISTINCT y.b, y.k, y.e FROM unnest(bs, ks, es) AS y(b, k, e)) x
   WHERE x.k IN ('invoice', 'creditmemo')
     AND NOT EXISTS (SELECT 1 FROM status_documents o WHERE o.binding_id = x.b AND o.kind = x.k AND o.entity_id = x.e);
  IF fb IS NOT NULL THEN
    WITH ins AS (
      INSERT INTO status_documents AS s (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
      SELECT c.* FROM status_documents_compute(fb, fk, fe) c
       WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
       ORDER BY c.binding_id, c.kind, c.entity_id
      ON CONFLICT DO NOTHING
      RETURNING s.binding_id, s.kind, s.entity_id)
    SELECT array_agg(ins.binding_id), array_agg(ins.kind), array_agg(ins.entity_id) INTO nb, nk, ne FROM ins;
  END IF;

  -- every other document: claim its row, then recompute
  SELECT array_agg(x.b), array_agg(x.k), array_agg(x.e) INTO rb, rk, re
    FROM (SELECT DISTINCT y.b, y.k, y.e FROM unnest(bs, ks, es) AS y(b, k, e)) x
   WHERE x.k IN ('invoice', 'creditmemo')
     AND NOT EXISTS (SELECT 1 FROM unnest(nb, nk, ne) AS n(b, k, e) WHERE (n.b, n.k, n.e) = (x.b, x.k, x.e));
  IF rb IS NOT NULL THEN
    PERFORM 1 FROM status_documents s JOIN unnest(rb, rk, re) AS x(b, k, e) ON (s.binding_id, s.kind, s.entity_id) = (x.b, x.k, x.e)
     ORDER BY s.binding_id, s.kind, s.entity_id FOR UPDATE OF s;
    WITH c AS (SELECT * FROM status_documents_compute(rb, rk, re)),
    gone AS (
      DELETE FROM status_documents s USING c
       WHERE (s.binding_id, s.kind, s.entity_id) = (c.binding_id, c.kind, c.entity_id) AND c.doc_run_id IS NULL AND c.payment_run_id IS NULL
    ),
    -- a row another writer's insert held and then rolled back
    added AS (
      INSERT INTO status_documents (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
      SELECT c.* FROM c WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
      ON CONFLICT DO NOTHING
    )
    -- Rows whose values did not change are not rewritten (a run going from queued to running moves no
    -- chip), which spares their indexes on the hot path.
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
            c.total_sort, c.search_text, c.reference_key, c.order_key, c.order_increment_id, c.customer_name);
  END IF;

  -- customers: the key is the Magento customer id; runs of every binding of the store count
  PERFORM status_customers_refresh(array_agg(bd.magento_connection_id), array_agg(x.e::text))
     FROM unnest(bs, ks, es) AS x(b, k, e) JOIN bindings bd ON bd.id = x.b
    WHERE x.k = 'customer'
   HAVING count(*) > 0;
END $$;
