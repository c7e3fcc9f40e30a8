-- Status views at 1 M runs (issue 15). The Invoices, Credit memos and Customers views show one row per
-- Magento document with the chip of its latest runs. Deriving that row by scanning every run of the
-- event costs O(runs) per page; these tables hold it, kept by the database in the same transaction as
-- the run (like `duration_ms`), so a page and its counts walk an index in the page's own order.

-- Substring search over document numbers, customers and orders uses a trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per (binding, invoice or credit memo): its latest own run, its latest payment run (invoices),
-- the chip decisions D4 gives them, the run that decides it, and the sort keys of every sort the view
-- offers. The display columns come from the runs themselves when a page is read.
CREATE TABLE "status_documents" (
    "binding_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "entity_id" BIGINT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "doc_run_id" UUID,
    "payment_run_id" UUID,
    "run_id" UUID,
    "chip" TEXT NOT NULL DEFAULT 'none',
    "chip_rank" SMALLINT NOT NULL DEFAULT 4,
    "payment_failed" BOOLEAN NOT NULL DEFAULT false,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    "increment_id" TEXT,
    "customer_sort" TEXT,
    "total_sort" DECIMAL,
    "search_text" TEXT,
    "reference_key" TEXT,
    "order_key" TEXT,
    "order_increment_id" TEXT,
    "customer_name" TEXT,

    CONSTRAINT "status_documents_pkey" PRIMARY KEY ("binding_id","kind","entity_id")
);

-- One row per (Magento store, customer key): its latest customer run (any binding of the store) and
-- when its Sage contacts last changed; guests have contacts only.
CREATE TABLE "status_customers" (
    "magento_connection_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "run_id" UUID,
    "chip" TEXT NOT NULL DEFAULT 'none',
    "run_at" TIMESTAMPTZ(3),
    "contacts_at" TIMESTAMPTZ(3),
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "status_customers_pkey" PRIMARY KEY ("magento_connection_id","key")
);

CREATE INDEX "status_documents_tenant_id_kind_last_at_binding_id_entity_i_idx" ON "status_documents"("tenant_id", "kind", "last_at" DESC, "binding_id" DESC, "entity_id" DESC);
CREATE INDEX "status_documents_tenant_id_kind_chip_last_at_binding_id_ent_idx" ON "status_documents"("tenant_id", "kind", "chip", "last_at" DESC, "binding_id" DESC, "entity_id" DESC);
CREATE INDEX "status_documents_tenant_id_kind_chip_rank_last_at_binding_i_idx" ON "status_documents"("tenant_id", "kind", "chip_rank" DESC, "last_at" DESC, "binding_id" DESC, "entity_id" DESC);
CREATE INDEX "status_documents_tenant_id_kind_entity_id_idx" ON "status_documents"("tenant_id", "kind", "entity_id");
CREATE INDEX "status_documents_tenant_id_kind_reference_key_idx" ON "status_documents"("tenant_id", "kind", "reference_key");
CREATE INDEX "status_documents_binding_id_kind_order_key_idx" ON "status_documents"("binding_id", "kind", "order_key");
CREATE INDEX "status_customers_tenant_id_last_at_magento_connection_id_ke_idx" ON "status_customers"("tenant_id", "last_at" DESC, "magento_connection_id" DESC, "key" DESC);
CREATE INDEX "status_customers_tenant_id_chip_last_at_magento_connection__idx" ON "status_customers"("tenant_id", "chip", "last_at" DESC, "magento_connection_id" DESC, "key" DESC);

-- The value sorts keep rows without a value last in both directions (keyset.ts), which one index
-- scanned backwards cannot give, so each has an index per direction. The schema cannot say NULLS LAST;
-- as partial indexes (over every row: `kind` is one of the two) they stay out of its comparison.
CREATE INDEX "status_documents_increment_desc_idx" ON "status_documents"("tenant_id", "kind", "increment_id" DESC NULLS LAST, "last_at" DESC, "binding_id" DESC, "entity_id" DESC) WHERE "kind" IN ('invoice', 'creditmemo');
CREATE INDEX "status_documents_increment_asc_idx" ON "status_documents"("tenant_id", "kind", "increment_id" ASC NULLS LAST, "last_at" ASC, "binding_id" ASC, "entity_id" ASC) WHERE "kind" IN ('invoice', 'creditmemo');
CREATE INDEX "status_documents_customer_desc_idx" ON "status_documents"("tenant_id", "kind", "customer_sort" DESC NULLS LAST, "last_at" DESC, "binding_id" DESC, "entity_id" DESC) WHERE "kind" IN ('invoice', 'creditmemo');
CREATE INDEX "status_documents_customer_asc_idx" ON "status_documents"("tenant_id", "kind", "customer_sort" ASC NULLS LAST, "last_at" ASC, "binding_id" ASC, "entity_id" ASC) WHERE "kind" IN ('invoice', 'creditmemo');
CREATE INDEX "status_documents_total_desc_idx" ON "status_documents"("tenant_id", "kind", "total_sort" DESC NULLS LAST, "last_at" DESC, "binding_id" DESC, "entity_id" DESC) WHERE "kind" IN ('invoice', 'creditmemo');
CREATE INDEX "status_documents_total_asc_idx" ON "status_documents"("tenant_id", "kind", "total_sort" ASC NULLS LAST, "last_at" ASC, "binding_id" ASC, "entity_id" ASC) WHERE "kind" IN ('invoice', 'creditmemo');

-- The search box's substring match (document number, customer name or e-mail, order number), partial
-- for the same reason.
CREATE INDEX "status_documents_search_text_trgm_idx" ON "status_documents" USING GIN ("search_text" gin_trgm_ops) WHERE "kind" IN ('invoice', 'creditmemo');

ALTER TABLE "status_documents" ADD CONSTRAINT "status_documents_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "status_customers" ADD CONSTRAINT "status_customers_magento_connection_id_fkey" FOREIGN KEY ("magento_connection_id") REFERENCES "magento_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Run status → chip (decisions D3), the SQL twin of `chipForStatus` (lib/status-views/vocabulary.ts);
-- lib/status-views/chip-rule.int.test.ts holds the two to one table of cases.
CREATE FUNCTION status_view_chip(s TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE s WHEN 'succeeded' THEN 'synced' WHEN 'skipped_by_policy' THEN 'skipped' WHEN 'failed' THEN 'failed'
                WHEN 'queued' THEN 'pending' WHEN 'running' THEN 'pending' WHEN 'waiting' THEN 'pending' ELSE 'none' END
$$;

-- A document's row as its runs give it now: the latest own and payment runs, the chip decisions D4
-- gives them and every sort and search key. VOLATILE, so each call reads what is committed at that
-- moment (READ COMMITTED), not the snapshot of the statement that fired the trigger.
CREATE FUNCTION status_documents_compute(bs UUID[], ks TEXT[], es BIGINT[])
RETURNS TABLE (binding_id UUID, kind TEXT, entity_id BIGINT, tenant_id UUID, doc_run_id UUID, payment_run_id UUID, run_id UUID,
               chip TEXT, chip_rank SMALLINT, payment_failed BOOLEAN, last_at TIMESTAMPTZ, increment_id TEXT, customer_sort TEXT,
               total_sort DECIMAL, search_text TEXT, reference_key TEXT, order_key TEXT, order_increment_id TEXT, customer_name TEXT)
LANGUAGE sql VOLATILE AS $$
  WITH latest AS (
    SELECT s.binding_id, s.kind, s.entity_id, s.tenant_id, d.id AS d_id, d.status::text AS d_status, d.created_at AS d_at, d.magento_increment_id AS d_inc,
           d.entity_summary AS d_sum, d.provider_reference AS d_ref, p.id AS p_id, p.status::text AS p_status, p.created_at AS p_at,
           p.magento_increment_id AS p_inc, p.entity_summary AS p_sum, p.provider_reference AS p_ref
      FROM (SELECT DISTINCT x.b AS binding_id, x.k AS kind, x.e AS entity_id, bd.tenant_id
              FROM unnest(bs, ks, es) AS x(b, k, e) JOIN bindings bd ON bd.id = x.b
             WHERE x.k IN ('invoice', 'creditmemo')) s
      LEFT JOIN LATERAL (SELECT r.id, r.status, r.created_at, r.magento_increment_id, r.entity_summary, r.provider_reference FROM sync_runs r
                          WHERE r.binding_id = s.binding_id AND r.entity_type = s.kind AND r.magento_entity_id = s.entity_id
                            AND r.event = CASE s.kind WHEN 'invoice' THEN 'invoice.created' ELSE 'creditmemo.created' END
                          ORDER BY r.created_at DESC, r.id DESC LIMIT 1) d ON true
      LEFT JOIN LATERAL (SELECT r.id, r.status, r.created_at, r.magento_increment_id, r.entity_summary, r.provider_reference FROM sync_runs r
                          WHERE s.kind = 'invoice' AND r.binding_id = s.binding_id AND r.entity_type = 'invoice'
                            AND r.magento_entity_id = s.entity_id AND r.event = 'invoice.paid'
                          ORDER BY r.created_at DESC, r.id DESC LIMIT 1) p ON true
  ), decided AS (
    SELECT l.*, c.chip, COALESCE(l.d_sum, l.p_sum) AS summary,
           -- D4: a failed payment decides; so does the payment when the document itself never ran
           (l.p_status = 'failed' OR l.d_id IS NULL) AS use_pay
      FROM latest l
      CROSS JOIN LATERAL (SELECT CASE WHEN l.p_status = 'failed' THEN 'failed'
                                      WHEN l.d_id IS NULL THEN CASE WHEN status_view_chip(l.p_status) = 'pending' THEN 'pending' ELSE 'none' END
                                      ELSE status_view_chip(l.d_status) END AS chip) c
  ), computed AS (
    SELECT binding_id, kind, entity_id, tenant_id, d_id, p_id, chip,
           CASE WHEN use_pay THEN p_id ELSE d_id END AS run_id,
           (array_position(ARRAY['failed','pending','skipped','none','synced'], chip) - 1)::smallint AS chip_rank,
           COALESCE(p_status = 'failed', false) AS payment_failed,
           GREATEST(d_at, p_at) AS last_at,
           COALESCE(d_inc, p_inc, d_sum->>'incrementId', p_sum->>'incrementId') AS increment_id,
           lower(summary->>'customerName') AS customer_sort,
           CASE WHEN summary->>'total' ~ '^-?[0-9]+(\.[0-9]+)?$' THEN (summary->>'total')::numeric END AS total_sort,
           lower(concat_ws(' ', COALESCE(d_inc, p_inc, d_sum->>'incrementId', p_sum->>'incrementId'), summary->>'customerName',
                           summary->>'customerEmail', summary->>'orderIncrementId')) AS search_text,
           upper(CASE WHEN use_pay THEN p_ref ELSE d_ref END) AS reference_key,
           COALESCE(summary->>'orderId', summary->>'orderIncrementId', 'invoice:' || entity_id) AS order_key,
           summary->>'orderIncrementId' AS order_increment_id,
           summary->>'customerName' AS customer_name
      FROM decided
  )
  SELECT binding_id, kind, entity_id, tenant_id, d_id, p_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort,
         total_sort, search_text, reference_key, order_key, order_increment_id, customer_name
    FROM computed
$$;

-- Recomputes the rows of the given documents and customers from their runs. A new document (intake's
-- common case) is computed and written by one insert. Concurrent writers of one document (an invoice's
-- created and paid events arrive together) are serialised on its row: a second writer's insert waits
-- for the first one's and then conflicts, and every document that already has a row is first claimed
-- (FOR UPDATE, waiting for any other writer) and only then recomputed, in a fresh statement that under
-- READ COMMITTED sees what the other committed — so the last writer never keeps a stale chip. Keys are
-- claimed in sorted order so two multi-row writers cannot deadlock on each other.
CREATE FUNCTION status_views_refresh(bs UUID[], ks TEXT[], es BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  nb UUID[];
  nk TEXT[];
  ne BIGINT[];
  rb UUID[];
  rk TEXT[];
  re BIGINT[];
BEGIN
  WITH ins AS (
    INSERT INTO status_documents AS s (binding_id, kind, entity_id, tenant_id, doc_run_id, payment_run_id, run_id, chip, chip_rank, payment_failed, last_at, increment_id, customer_sort, total_sort, search_text, reference_key, order_key, order_increment_id, customer_name)
    SELECT c.* FROM status_documents_compute(bs, ks, es) c
     WHERE (c.doc_run_id IS NOT NULL OR c.payment_run_id IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM status_documents o WHERE (o.binding_id, o.kind, o.entity_id) = (c.binding_id, c.kind, c.entity_id))
     ORDER BY c.binding_id, c.kind, c.entity_id
    ON CONFLICT DO NOTHING
    RETURNING s.binding_id, s.kind, s.entity_id)
  SELECT array_agg(ins.binding_id), array_agg(ins.kind), array_agg(ins.entity_id) INTO nb, nk, ne FROM ins;

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
         AND NOT EXISTS (SELECT 1 FROM status_documents o WHERE (o.binding_id, o.kind, o.entity_id) = (c.binding_id, c.kind, c.entity_id))
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

-- The same for customers, by (store, key): the latest customer run of any of the store's bindings, and
-- the last change to its Sage contacts. Same claiming rule as documents.
CREATE FUNCTION status_customers_refresh(c UUID[], k TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO status_customers (magento_connection_id, key, tenant_id, last_at)
  SELECT DISTINCT x.c, x.k, m.tenant_id, now()
    FROM unnest(c, k) AS x(c, k) JOIN magento_connections m ON m.id = x.c
   ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  PERFORM 1 FROM status_customers s JOIN unnest(c, k) AS x(c, k) ON (s.magento_connection_id, s.key) = (x.c, x.k)
   ORDER BY s.magento_connection_id, s.key FOR UPDATE OF s;
  WITH computed AS (
    SELECT x.c, x.k, r.id AS run_id, r.status::text AS status, r.created_at AS run_at, xr.at AS contacts_at
      FROM (SELECT DISTINCT * FROM unnest(c, k)) AS x(c, k)
      LEFT JOIN LATERAL (SELECT r.id, r.status, r.created_at FROM sync_runs r JOIN bindings bd ON bd.id = r.binding_id
                          WHERE bd.magento_connection_id = x.c AND r.entity_type = 'customer'
                            -- guests (`guest:<hash>`) have no runs; Magento ids are int unsigned
                            AND r.magento_entity_id = CASE WHEN x.k ~ '^[0-9]{1,18}$' THEN x.k::bigint END
                          ORDER BY r.created_at DESC, r.id DESC LIMIT 1) r ON true
      LEFT JOIN LATERAL (SELECT max(updated_at) AS at FROM entity_xrefs
                          WHERE magento_connection_id = x.c AND entity_type = 'contact' AND magento_key = x.k) xr ON true
  ), gone AS (
    DELETE FROM status_customers s USING computed x
     WHERE (s.magento_connection_id, s.key) = (x.c, x.k) AND x.run_id IS NULL AND x.contacts_at IS NULL
  )
  UPDATE status_customers s
     SET run_id = x.run_id, chip = status_view_chip(x.status), run_at = x.run_at, contacts_at = x.contacts_at,
         last_at = GREATEST(x.run_at, x.contacts_at)
    FROM computed x
   WHERE (s.magento_connection_id, s.key) = (x.c, x.k) AND (x.run_id IS NOT NULL OR x.contacts_at IS NOT NULL)
     AND (s.run_id, s.chip, s.run_at, s.contacts_at, s.last_at)
         IS DISTINCT FROM (x.run_id, status_view_chip(x.status), x.run_at, x.contacts_at, GREATEST(x.run_at, x.contacts_at));
END $$;

-- Statement triggers with transition tables: one call per statement however many runs it writes (intake
-- inserts one run per binding; a bulk retry resets thousands). Updates that change nothing the views
-- show (attempts, dispatch, pushes to Magento) cost a join of the two transition tables and no write.
CREATE FUNCTION sync_runs_status_views_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM status_views_refresh(array_agg(binding_id), array_agg(entity_type), array_agg(magento_entity_id))
     FROM new_runs WHERE entity_type IN ('invoice', 'creditmemo', 'customer') HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION sync_runs_status_views_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM status_views_refresh(array_agg(x.binding_id), array_agg(x.entity_type), array_agg(x.magento_entity_id))
     FROM (SELECT n.binding_id, n.entity_type, n.magento_entity_id FROM new_runs n JOIN old_runs o ON o.id = n.id
            WHERE (n.status, n.created_at, n.event, n.binding_id, n.entity_type, n.magento_entity_id, n.magento_increment_id, n.entity_summary,
                   n.provider_reference)
                  IS DISTINCT FROM (o.status, o.created_at, o.event, o.binding_id, o.entity_type, o.magento_entity_id, o.magento_increment_id,
                   o.entity_summary, o.provider_reference)
           UNION
           SELECT o.binding_id, o.entity_type, o.magento_entity_id FROM new_runs n JOIN old_runs o ON o.id = n.id
            WHERE (n.binding_id, n.entity_type, n.magento_entity_id) IS DISTINCT FROM (o.binding_id, o.entity_type, o.magento_entity_id)) x
    WHERE x.entity_type IN ('invoice', 'creditmemo', 'customer') HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION sync_runs_status_views_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM status_views_refresh(array_agg(binding_id), array_agg(entity_type), array_agg(magento_entity_id))
     FROM old_runs WHERE entity_type IN ('invoice', 'creditmemo', 'customer') HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE TRIGGER sync_runs_status_views_insert AFTER INSERT ON "sync_runs" REFERENCING NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION sync_runs_status_views_insert();
CREATE TRIGGER sync_runs_status_views_update AFTER UPDATE ON "sync_runs" REFERENCING OLD TABLE AS old_runs NEW TABLE AS new_runs
  FOR EACH STATEMENT EXECUTE FUNCTION sync_runs_status_views_update();
CREATE TRIGGER sync_runs_status_views_delete AFTER DELETE ON "sync_runs" REFERENCING OLD TABLE AS old_runs
  FOR EACH STATEMENT EXECUTE FUNCTION sync_runs_status_views_delete();

-- Sage contacts change a customer's row too (and are the only source of a guest's).
CREATE FUNCTION entity_xrefs_status_views() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM status_customers_refresh(array_agg(magento_connection_id), array_agg(magento_key))
       FROM new_xrefs WHERE entity_type = 'contact' HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM status_customers_refresh(array_agg(magento_connection_id), array_agg(magento_key))
       FROM old_xrefs WHERE entity_type = 'contact' HAVING count(*) > 0;
  ELSE
    PERFORM status_customers_refresh(array_agg(magento_connection_id), array_agg(magento_key))
       FROM (SELECT magento_connection_id, magento_key, entity_type FROM new_xrefs
             UNION SELECT magento_connection_id, magento_key, entity_type FROM old_xrefs) x
      WHERE entity_type = 'contact' HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER entity_xrefs_status_views_insert AFTER INSERT ON "entity_xrefs" REFERENCING NEW TABLE AS new_xrefs
  FOR EACH STATEMENT EXECUTE FUNCTION entity_xrefs_status_views();
CREATE TRIGGER entity_xrefs_status_views_update AFTER UPDATE ON "entity_xrefs" REFERENCING OLD TABLE AS old_xrefs NEW TABLE AS new_xrefs
  FOR EACH STATEMENT EXECUTE FUNCTION entity_xrefs_status_views();
CREATE TRIGGER entity_xrefs_status_views_delete AFTER DELETE ON "entity_xrefs" REFERENCING OLD TABLE AS old_xrefs
  FOR EACH STATEMENT EXECUTE FUNCTION entity_xrefs_status_views();

-- A customer's contacts, found without the business in the key.
CREATE INDEX "entity_xrefs_magento_connection_id_entity_type_magento_key_idx" ON "entity_xrefs"("magento_connection_id", "entity_type", "magento_key");

-- Rows for what is already there.
SELECT status_views_refresh(array_agg(binding_id), array_agg(entity_type), array_agg(magento_entity_id))
  FROM (SELECT DISTINCT binding_id, entity_type, magento_entity_id FROM sync_runs WHERE entity_type IN ('invoice', 'creditmemo', 'customer')) r
HAVING count(*) > 0;
SELECT status_customers_refresh(array_agg(magento_connection_id), array_agg(magento_key))
  FROM (SELECT DISTINCT magento_connection_id, magento_key FROM entity_xrefs WHERE entity_type = 'contact') x
HAVING count(*) > 0;
