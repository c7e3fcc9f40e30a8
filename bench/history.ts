/**
 * Sync-history query benchmark: 1 M runs (or 20 k with --short) over 90 days across three bindings,
 * then each history sort, filter and count, and the invoices, credit memos and customers status views,
 * through the pages' own code paths (lib/history, lib/status-views), reported as p50/p99 and as a
 * ratio to a primary-key lookup measured in the same run, plus whether the plan touched the table
 * sequentially. Goal (issue 15): p99 < 50 ms at 1 M runs.
 *
 *   node --import tsx bench/history.ts [--short] [--keep]
 *   BENCH_HISTORY_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ledger_bench_history_test)
 *
 * The database is dropped and re-migrated on each run unless --keep reuses existing rows.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import pg from "pg";

const SHORT = process.argv.includes("--short");
const KEEP = process.argv.includes("--keep");
const ROWS = SHORT ? 20_000 : 1_000_000;
const REPS = SHORT ? 10 : 100;
/** The status views are far slower per call; fewer repetitions keep the run bounded. */
const VIEW_REPS = SHORT ? 3 : 10;
const URL_ = process.env.BENCH_HISTORY_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ledger_bench_history_test";

const dbName = decodeURIComponent(new URL(URL_).pathname.slice(1));
if (!dbName.endsWith("_test")) throw new Error(`refusing to use database ${dbName}: the name must end in _test`);

process.env.DATABASE_URL = URL_;
process.env.LEDGER_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
// lib/env.ts requires Inngest keys outside `next dev`; this benchmark sends no events.
process.env.INNGEST_SIGNING_KEY ??= `signkey-bench-${"5e".repeat(32)}`;
process.env.INNGEST_EVENT_KEY ??= "bench-event-key-0123456789abcdef";
process.env.LOG_LEVEL ??= "warn";

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = URL_): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function prepare(): Promise<{ tenantId: string; bindings: string[] }> {
  const root = new URL(URL_);
  root.pathname = "/postgres";
  await admin(async (c) => {
    const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [dbName]);
    if (!rowCount) await c.query(`create database "${dbName}"`);
  }, root.toString());
  if (KEEP) {
    const found = await admin((c) =>
      c.query<{ tenant_id: string; ids: string[] }>(
        "select tenant_id, array_agg(id order by created_at) ids from bindings group by tenant_id order by count(*) desc limit 1",
      ),
    );
    if (found.rows[0]) return { tenantId: found.rows[0].tenant_id, bindings: found.rows[0].ids };
  }
  execFileSync(process.execPath, ["scripts/prisma-offline.mjs", "reset", "--force"], {
    env: { ...process.env, DATABASE_URL: URL_ },
    stdio: "ignore",
  });
  return admin(async (c) => {
    const tenant = (
      await c.query<{ id: string }>("insert into tenants (id, name, updated_at) values (gen_random_uuid(), 'Bench', now()) returning id")
    ).rows[0].id;
    const noise = (
      await c.query<{ id: string }>("insert into tenants (id, name, updated_at) values (gen_random_uuid(), 'Noise', now()) returning id")
    ).rows[0].id;
    const bindings: string[] = [];
    for (const [t, i] of [
      [tenant, 0],
      [tenant, 1],
      [tenant, 2],
      [noise, 3],
    ] as const) {
      const m = (
        await c.query<{ id: string }>(
          "insert into magento_connections (id, tenant_id, base_url, status, updated_at) values (gen_random_uuid(), $1, $2, 'active', now()) returning id",
          [t, `https://shop${i}.bench`],
        )
      ).rows[0].id;
      const b = (
        await c.query<{ id: string }>(
          "insert into bindings (id, tenant_id, magento_connection_id, status, updated_at) values (gen_random_uuid(), $1, $2, 'active', now()) returning id",
          [t, m],
        )
      ).rows[0].id;
      if (t === tenant) bindings.push(b);
      else await insertRuns(c, noise, [b], Math.round(ROWS / 10));
    }
    const t0 = performance.now();
    await insertRuns(c, tenant, bindings, ROWS);
    process.stdout.write(`inserted ${ROWS.toLocaleString("en-GB")} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    // the status-view rows the triggers wrote need statistics too, as autovacuum would give them
    await c.query("vacuum analyze sync_runs, status_documents, status_customers, status_orders");
    return { tenantId: tenant, bindings };
  });
}

/**
 * Realistic mix: binding weights 60/30/10; 85 % succeeded (1 in 250 with a total_mismatch warning),
 * 6 % skipped, 4 % failed, 5 % in flight; customer runs carry a name and e-mail for the search box;
 * timestamps truncated to the second so many runs share one (the keyset's tie-break gets exercised).
 */
async function insertRuns(c: pg.Client, tenantId: string, bindings: string[], n: number): Promise<void> {
  const batch = 200_000;
  for (let start = 0; start < n; start += batch) {
    await c.query(
      `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, magento_increment_id, idempotency_key,
          status, reason_code, error_class, error_message, warnings, policy_version, policy_snapshot, attempt_count, created_at, started_at, finished_at, updated_at,
          entity_summary)
       select gen_random_uuid(), $1, b, ev, split_part(ev, '.', 1), ent, 'INV-' || ent, ev || ':' || ent || ':' || i,
         st::"RunStatus",
         case when st = 'skipped_by_policy' then (array['unpaid_invoice','zero_value_invoice','outside_sync_since','website_filtered','payment_method_not_mapped'])[1 + (i % 5)] end,
         case when st = 'failed' then (array['provider','validation','http','rate_limited','auth'])[1 + (i % 5)] end,
         case when st = 'failed' then 'Sage said no' end,
         case when st = 'succeeded' and i % 250 = 0 then array['total_mismatch'] else '{}'::text[] end,
         1, '{}'::jsonb, case when st in ('queued') then 0 else 1 + (i % 3) end, ts, ts,
         case when st in ('succeeded','failed','skipped_by_policy') then ts + make_interval(secs => 0.2 + (i % 50) / 10.0) end, ts,
         case when ev = 'customer.upserted' then jsonb_build_object('name', 'Customer ' || ent, 'email', 'customer' || ent || '@example.com') end
       from (
         select i, r1, r2,
           $2::uuid[] as bs,
           case when r1 < 0.6 then 1 when r1 < 0.9 then 2 else 3 end as bi,
           case when r2 < 0.35 then 'invoice.created' when r2 < 0.60 then 'invoice.paid' when r2 < 0.80 then 'customer.upserted' when r2 < 0.95 then 'product.upserted' else 'creditmemo.created' end as ev,
           case when r3 < 0.85 then 'succeeded' when r3 < 0.91 then 'skipped_by_policy' when r3 < 0.95 then 'failed' when r3 < 0.97 then 'queued' when r3 < 0.99 then 'waiting' else 'running' end as st,
           1 + (random() * 200000)::int as ent,
           date_trunc('second', now() - random() * interval '90 days') as ts
         from (select i, random() r1, random() r2, random() r3 from generate_series($3::int, $4::int) i) g
       ) x cross join lateral (select least(bi, array_length(bs, 1)) as k) kk cross join lateral (select bs[kk.k] as b) bb`,
      [tenantId, bindings, start + 1, Math.min(n, start + batch)],
    );
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

interface Timing {
  p50: number;
  p99: number;
}

async function time(fn: () => Promise<unknown>, reps = REPS): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return { p50: pct(xs, 50), p99: pct(xs, 99) };
}

async function main(): Promise<void> {
  const { tenantId, bindings } = await prepare();
  const { db, Prisma } = await import("@/lib/db");
  const { parseHistoryFilter } = await import("@/lib/history/filter");
  const { buildListSql, countRuns, listRuns } = await import("@/lib/history/query");
  const someId = (await db().syncRun.findFirst({
    where: { tenantId },
    select: { id: true, magentoEntityId: true },
    orderBy: { createdAt: "desc" },
  }))!;
  // Same client and raw-query path as the history queries, so the ratio measures the query, not Prisma.
  const baseline = await time(() => db().$queryRaw`SELECT * FROM sync_runs WHERE id = ${someId.id}::uuid`);

  const filters: [string, Record<string, string>][] = [
    ["all (newest first)", {}],
    ["status=failed", { status: "failed" }],
    ["status=skipped_by_policy", { status: "skipped_by_policy" }],
    ["status=failed,skipped_by_policy", { status: "failed,skipped_by_policy" }],
    ["code=outside_sync_since", { code: "outside_sync_since" }],
    ["code=rate_limited", { code: "rate_limited" }],
    ["event=invoice.paid", { event: "invoice.paid" }],
    ["entity id", { entity: String(someId.magentoEntityId) }],
    ["binding (smallest)", { binding: bindings[bindings.length - 1] }],
    ["range=1h", { range: "1h" }],
    ["range=24h", { range: "24h" }],
    ["range=7d + status=failed + event", { range: "7d", status: "failed", event: "invoice.created" }],
    ["sort=status", { sort: "status" }],
    ["sort=event asc", { sort: "event", dir: "asc" }],
    ["sort=status asc", { sort: "status", dir: "asc" }],
    ["sort=event", { sort: "event" }],
    ["sort=attempts", { sort: "attempts" }],
    ["sort=attempts asc", { sort: "attempts", dir: "asc" }],
    ["sort=duration", { sort: "duration" }],
    ["sort=duration asc", { sort: "duration", dir: "asc" }],
    ["sort=duration + range=all", { sort: "duration", range: "all" }],
    ["sort=attempts + status=failed", { sort: "attempts", status: "failed" }],
  ];
  const out: string[] = ["| query | p50 ms | p99 ms | p99 < 50 ms | p50 ÷ PK lookup | seq scan |", "|---|---:|---:|:---:|---:|:---:|"];
  const row = (name: string, t: Timing, seq: string) =>
    out.push(
      `| ${name} | ${t.p50.toFixed(2)} | ${t.p99.toFixed(2)} | ${t.p99 < 50 ? "yes" : "**no**"} | ${(t.p50 / baseline.p50).toFixed(1)}× | ${seq} |`,
    );
  row("baseline: primary-key lookup", baseline, "no");
  for (const [name, params] of filters) {
    const f = parseHistoryFilter(new URLSearchParams(params));
    const sql = await buildListSql(tenantId, f, {});
    const plan = sql ? await db().$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sql}`) : [];
    const seq = plan.some((p) => /Seq Scan on sync_runs/.test(p["QUERY PLAN"])) ? "**yes**" : "no";
    row(`list: ${name}`, await time(() => listRuns(tenantId, f, {})), seq);
  }
  const first = await listRuns(tenantId, parseHistoryFilter({}), {});
  row("list: page 2 via cursor", await time(() => listRuns(tenantId, parseHistoryFilter({}), { cursor: first.nextCursor })), "no");
  for (const sort of ["attempts", "duration"] as const) {
    const f = parseHistoryFilter({ sort });
    const p1 = await listRuns(tenantId, f, {});
    row(`list: sort=${sort}, page 2 via cursor`, await time(() => listRuns(tenantId, f, { cursor: p1.nextCursor })), "no");
  }
  for (const [name, params] of [
    ["counts: no filter (last 7 days)", {}],
    ["counts: range=all", { range: "all" }],
    ["counts: range=24h", { range: "24h" }],
    ["counts: event=invoice.paid", { event: "invoice.paid" }],
    ["counts: event=invoice.paid + range=all", { event: "invoice.paid", range: "all" }],
    ["counts: status=failed + code=rate_limited", { status: "failed", code: "rate_limited" }],
    ["counts: warning=any + range=all", { warning: "any", range: "all" }],
  ] as const) {
    row(name, await time(() => countRuns(tenantId, parseHistoryFilter(new URLSearchParams(params)))), "—");
  }
  await statusViews(tenantId, row);
  process.stdout.write(
    `\n${ROWS.toLocaleString("en-GB")} runs, ${bindings.length} bindings, ${REPS} timed repetitions each (status views ${VIEW_REPS})\n\n${out.join("\n")}\n`,
  );
  await db().$disconnect();
}

/**
 * The Magento-side status views (each page with its chip counts) over the same runs: every sort in both
 * directions, a chip filter, a second page through the keyset cursor, and the search box.
 */
async function statusViews(tenantId: string, row: (name: string, t: Timing, seq: string) => void): Promise<void> {
  const { parseStatusViewParams } = await import("@/lib/status-views/params");
  const { listDocuments, listOrderRollups } = await import("@/lib/status-views/documents");
  const { listCustomers } = await import("@/lib/status-views/customers");
  const P = parseStatusViewParams;
  const second = (await listDocuments(tenantId, "invoice", P({ sort: "total" }))).nextCursor ?? undefined;
  const secondOrders = (await listOrderRollups(tenantId, P({ view: "orders" }))).nextCursor ?? undefined;
  const views: [string, () => Promise<unknown>][] = [
    ["view: invoices (recent)", () => listDocuments(tenantId, "invoice", P({}))],
    ["view: invoices, oldest first", () => listDocuments(tenantId, "invoice", P({ dir: "asc" }))],
    ["view: invoices, chip=failed", () => listDocuments(tenantId, "invoice", P({ chip: "failed" }))],
    ["view: invoices, sort=increment", () => listDocuments(tenantId, "invoice", P({ sort: "increment" }))],
    ["view: invoices, sort=increment asc", () => listDocuments(tenantId, "invoice", P({ sort: "increment", dir: "asc" }))],
    ["view: invoices, sort=customer asc", () => listDocuments(tenantId, "invoice", P({ sort: "customer", dir: "asc" }))],
    ["view: invoices, sort=total", () => listDocuments(tenantId, "invoice", P({ sort: "total" }))],
    ["view: invoices, sort=chip", () => listDocuments(tenantId, "invoice", P({ sort: "chip" }))],
    ["view: invoices, sort=total, page 2 via cursor", () => listDocuments(tenantId, "invoice", P({ sort: "total", after: second }))],
    ["view: invoices, search a document number", () => listDocuments(tenantId, "invoice", P({ q: "INV-123456" }))],
    ["view: invoices, search a number fragment", () => listDocuments(tenantId, "invoice", P({ q: "99999" }))],
    ["view: credit memos (recent)", () => listDocuments(tenantId, "creditmemo", P({}))],
    ["view: customers (recent)", () => listCustomers(tenantId, P({}))],
    ["view: customers, chip=failed", () => listCustomers(tenantId, P({ chip: "failed" }))],
    ["view: customers, search a name", () => listCustomers(tenantId, P({ q: "Customer 4242" }))],
    ["view: customers, search that matches nothing", () => listCustomers(tenantId, P({ q: "no such customer" }))],
    ["view: customers, search two characters", () => listCustomers(tenantId, P({ q: "42" }))],
    ["view: invoices by order", () => listOrderRollups(tenantId, P({ view: "orders" }))],
    ["view: invoices by order, chip=failed", () => listOrderRollups(tenantId, P({ view: "orders", chip: "failed" }))],
    ["view: invoices by order, page 2 via cursor", () => listOrderRollups(tenantId, P({ view: "orders", after: secondOrders }))],
    ["view: invoices by order, search a number fragment", () => listOrderRollups(tenantId, P({ view: "orders", q: "99999" }))],
  ];
  for (const [name, fn] of views) row(name, await time(fn, VIEW_REPS), "—");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
