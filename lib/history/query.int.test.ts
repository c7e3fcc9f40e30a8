import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { MAGENTO_EVENTS } from "@/lib/magento/events";
import { RUN_STATUSES, type RunStatusName } from "@/lib/status-views/vocabulary";
import { truncateAll } from "@/test/support/db";
import { getRunDetail } from "./detail";
import { parseHistoryFilter, SORT_KEYS, type HistoryFilter } from "./filter";
import { COUNT_CAP, formatCount } from "@/lib/status-views/counts";
import { countRuns, countRunsExact, listRuns, type HistoryRow } from "./query";
import { insertRuns, seedTenant, type RunSpec, type SeededTenant } from "../../test/support/builders/runs";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Filters from URL params; "all time" unless the case names a range (the default is the last 7 days). */
const f = (params: Record<string, string>): HistoryFilter => parseHistoryFilter(new URLSearchParams({ range: "all", ...params }));

async function all(tenantId: string, filter: HistoryFilter, limit = 4): Promise<HistoryRow[]> {
  const out: HistoryRow[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page = await listRuns(tenantId, filter, { cursor, limit, now: NOW });
    out.push(...page.rows);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

const MISMATCH = {
  warning: "total_mismatch",
  document: "sales_invoice",
  sageId: "SI_1",
  reference: "SI-1",
  field: "total_amount",
  after: "create",
  currency: "GBP",
  sage: 87.76,
  magento: 87.75,
};

let acme: SeededTenant;
let rival: SeededTenant;
let ids: Record<string, string>;

/**
 * A fixed data set: two Acme bindings (the second on another provider) and a Rival tenant whose runs
 * mirror Acme's filters, so any scoping mistake shows up as an extra row.
 */
async function seed(): Promise<void> {
  acme = await seedTenant("Acme", 2, { provider: ["sage_accounting", "sage_other"] });
  rival = await seedTenant("Rival", 1);
  const [b1, b2] = acme.bindingIds;
  const specs: [string, RunSpec][] = [
    [
      "ok1",
      {
        bindingId: b1,
        event: "invoice.created",
        entityId: 10,
        status: "succeeded",
        createdAt: ago(30 * MIN),
        startedAt: ago(30 * MIN),
        finishedAt: ago(30 * MIN - 1500),
        providerReference: "SI-1",
        warnings: ["total_mismatch"],
        warningDetails: [MISMATCH],
      },
    ],
    [
      "ok2",
      {
        bindingId: b2,
        event: "customer.upserted",
        entityId: 7,
        status: "succeeded",
        createdAt: ago(2 * HOUR),
        startedAt: ago(2 * HOUR),
        finishedAt: ago(2 * HOUR - 300),
        attemptCount: 2,
        provider: "sage_other",
        warnings: ["mixed_eu_goods_services_coerced_to_default", "total_mismatch"],
      },
    ],
    [
      "skipSince",
      {
        bindingId: b1,
        event: "invoice.created",
        entityId: 11,
        status: "skipped_by_policy",
        reasonCode: "outside_sync_since",
        createdAt: ago(3 * HOUR),
        finishedAt: ago(3 * HOUR - 100),
      },
    ],
    [
      "skipPay",
      {
        bindingId: b1,
        event: "invoice.paid",
        entityId: 10,
        status: "skipped_by_policy",
        reasonCode: "payment_method_not_mapped",
        createdAt: ago(25 * HOUR),
        finishedAt: ago(25 * HOUR - 50),
      },
    ],
    [
      "fail1",
      {
        bindingId: b1,
        event: "invoice.created",
        entityId: 12,
        status: "failed",
        errorClass: "provider",
        errorMessage: "Line items invalid",
        createdAt: ago(5 * MIN),
        startedAt: ago(5 * MIN),
        finishedAt: ago(5 * MIN - 9000),
        attemptCount: 3,
      },
    ],
    [
      "fail2",
      {
        bindingId: b2,
        event: "creditmemo.created",
        entityId: 3,
        status: "failed",
        errorClass: "validation",
        createdAt: ago(8 * 24 * HOUR),
        attemptCount: 1,
        provider: "sage_other",
      },
    ],
    [
      "queued",
      {
        bindingId: b2,
        event: "product.upserted",
        entityId: 44,
        status: "queued",
        createdAt: ago(MIN),
        attemptCount: 0,
        provider: "sage_other",
      },
    ],
    [
      "waiting",
      {
        bindingId: b1,
        event: "invoice.paid",
        entityId: 12,
        status: "waiting",
        createdAt: ago(4 * MIN),
        startedAt: ago(4 * MIN),
        attemptCount: 0,
      },
    ],
  ];
  const acmeIds = await insertRuns(
    acme.tenantId,
    specs.map(([, s]) => s),
  );
  ids = Object.fromEntries(specs.map(([k], i) => [k, acmeIds[i]]));
  // Rival: the same shapes (and entity ids) — must never show up for Acme.
  const rivalIds = await insertRuns(
    rival.tenantId,
    specs.map(([, s]) => ({ ...s, bindingId: rival.bindingIds[0] })),
  );
  ids.rivalFail = rivalIds[4];
}

beforeEach(async () => {
  await truncateAll();
  await seed();
});
after(async () => {
  await db().$disconnect();
});

const idsOf = (rows: HistoryRow[]) => rows.map((r) => r.id);
const keys = (rows: HistoryRow[]) => idsOf(rows).map((id) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id);

describe("history filters", () => {
  it("with no filter lists all of the tenant's runs, newest first", async () => {
    assert.deepEqual(keys(await all(acme.tenantId, f({}))), ["queued", "waiting", "fail1", "ok1", "ok2", "skipSince", "skipPay", "fail2"]);
  });

  it("defaults to the last 7 days", async () => {
    const page = await listRuns(acme.tenantId, parseHistoryFilter({}), { now: NOW });
    assert.deepEqual(keys(page.rows), ["queued", "waiting", "fail1", "ok1", "ok2", "skipSince", "skipPay"]);
  });

  it("filters each dimension on its own", async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ status: "skipped_by_policy" }, ["skipSince", "skipPay"]],
      [{ status: "failed,queued" }, ["queued", "fail1", "fail2"]],
      [{ code: "outside_sync_since" }, ["skipSince"]],
      [{ code: "provider" }, ["fail1"]],
      [{ warning: "any" }, ["ok1", "ok2"]],
      [{ warning: "mixed_eu_goods_services_coerced_to_default" }, ["ok2"]],
      [{ event: "invoice.paid" }, ["waiting", "skipPay"]],
      [{ entity: "10" }, ["ok1", "skipPay"]],
      [{ entity: "12", type: "invoice" }, ["waiting", "fail1"]],
      [{ binding: acme.bindingIds[1] }, ["queued", "ok2", "fail2"]],
      [{ provider: "sage_other" }, ["queued", "ok2", "fail2"]],
      [{ range: "1h" }, ["queued", "waiting", "fail1", "ok1"]],
      [{ range: "24h" }, ["queued", "waiting", "fail1", "ok1", "ok2", "skipSince"]],
      [{ range: "7d" }, ["queued", "waiting", "fail1", "ok1", "ok2", "skipSince", "skipPay"]],
      [{ range: "custom", from: ago(4 * HOUR).toISOString(), to: ago(HOUR).toISOString() }, ["ok2", "skipSince"]],
    ];
    for (const [params, want] of cases) {
      assert.deepEqual(keys(await all(acme.tenantId, f(params))), want, JSON.stringify(params));
    }
  });

  it("combines filters", async () => {
    assert.deepEqual(keys(await all(acme.tenantId, f({ status: "skipped_by_policy", event: "invoice.created", range: "24h" }))), [
      "skipSince",
    ]);
    assert.deepEqual(keys(await all(acme.tenantId, f({ status: "failed", binding: acme.bindingIds[0], code: "provider", entity: "12" }))), [
      "fail1",
    ]);
    assert.deepEqual(keys(await all(acme.tenantId, f({ status: "failed", code: "outside_sync_since" }))), []);
    assert.deepEqual(keys(await all(acme.tenantId, f({ warning: "total_mismatch", event: "invoice.created" }))), ["ok1"]);
    assert.deepEqual(keys(await all(acme.tenantId, f({ warning: "any", status: "failed" }))), []);
  });

  it("D11: a run's total_mismatch figures come back with its detail; the row says it has warnings", async () => {
    const detail = await getRunDetail(acme.tenantId, ids.ok1);
    assert.deepEqual(detail?.warnings, ["total_mismatch"]);
    assert.deepEqual(detail?.mismatches, [MISMATCH]);
    assert.deepEqual((await getRunDetail(acme.tenantId, ids.fail1))?.mismatches, []);
    const [row] = await all(acme.tenantId, f({ warning: "total_mismatch", entity: "10", type: "invoice" }));
    assert.deepEqual(row.warnings, ["total_mismatch"]);
  });

  it("never shows another tenant's runs, whatever the filter names", async () => {
    const rivalIds = new Set((await db().syncRun.findMany({ where: { tenantId: rival.tenantId }, select: { id: true } })).map((r) => r.id));
    assert.equal(rivalIds.size, 8);
    for (const params of [{}, { entity: "10" }, { status: "failed" }, { binding: rival.bindingIds[0] }] as Record<string, string>[]) {
      const rows = await all(acme.tenantId, f(params));
      assert.ok(
        rows.every((r) => !rivalIds.has(r.id)),
        JSON.stringify(params),
      );
    }
    assert.deepEqual(await all(acme.tenantId, f({ binding: rival.bindingIds[0] })), []);
    assert.deepEqual((await countRuns(acme.tenantId, f({ binding: rival.bindingIds[0] }))).byStatus.failed, 0);
    assert.equal(await getRunDetail(acme.tenantId, ids.rivalFail), null);
    assert.equal((await getRunDetail(rival.tenantId, ids.rivalFail))?.id, ids.rivalFail);
    assert.equal(await getRunDetail(acme.tenantId, "not-a-uuid"), null);
  });
});

describe("history counts", () => {
  it("counts per status ignore the status filter, per code ignore the code filter", async () => {
    const c = await countRuns(acme.tenantId, f({ status: "failed", code: "outside_sync_since" }), { now: NOW });
    // status counts: the code filter still applies
    assert.deepEqual(c.byStatus, { queued: 0, running: 0, waiting: 0, succeeded: 0, skipped_by_policy: 1, failed: 0 });
    // code counts: the status filter still applies
    assert.deepEqual(c.byCode, { provider: 1, validation: 1 });
    const all7d = await countRuns(acme.tenantId, f({ range: "7d" }), { now: NOW });
    assert.deepEqual(all7d.byStatus, { queued: 1, running: 0, waiting: 1, succeeded: 2, skipped_by_policy: 2, failed: 1 });
    assert.deepEqual(all7d.byCode, { outside_sync_since: 1, payment_method_not_mapped: 1, provider: 1 });
  });

  it("counts per warning ignore the warning filter and count each run once under `any`", async () => {
    const c = await countRuns(acme.tenantId, f({ warning: "mixed_eu_goods_services_coerced_to_default" }), { now: NOW });
    assert.deepEqual(c.byWarning, { any: 2, total_mismatch: 2, mixed_eu_goods_services_coerced_to_default: 1 });
    assert.equal(c.byStatus.succeeded, 1, "status counts keep the warning filter");
    const narrowed = await countRuns(acme.tenantId, f({ event: "invoice.created" }), { now: NOW });
    assert.deepEqual(narrowed.byWarning, { any: 1, total_mismatch: 1 });
  });
});

describe("history counts beyond the cap", () => {
  it(`counts exactly up to COUNT_CAP and reports more as COUNT_CAP + 1 (shown as "2,000+" at a cap of 2,000); other facets stay exact`, async () => {
    const [b1] = acme.bindingIds;
    // Bulk rows in one statement: 10,005 succeeded and 7 rate-limited failures, an hour ago.
    await db().$executeRaw`
      INSERT INTO sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, idempotency_key, status, error_class,
        policy_version, policy_snapshot, created_at, updated_at)
      SELECT gen_random_uuid(), ${acme.tenantId}::uuid, ${b1}::uuid, 'customer.upserted', 'customer', 900000 + i, 'bulk:' || i,
        (CASE WHEN i <= 7 THEN 'failed' ELSE 'succeeded' END)::"RunStatus", CASE WHEN i <= 7 THEN 'rate_limited' END, 1, '{}'::jsonb,
        ${ago(HOUR).toISOString()}::timestamptz, now()
      FROM generate_series(1, 10012) i`;
    const c = await countRuns(acme.tenantId, f({}), { now: NOW });
    assert.equal(c.byStatus.succeeded, COUNT_CAP + 1, "stops one past the cap");
    assert.equal(formatCount(c.byStatus.succeeded), `${COUNT_CAP.toLocaleString("en-GB")}+`);
    assert.equal(c.byStatus.failed, 2 + 7, "the seed's two failures plus the seven");
    assert.equal(c.byCode.rate_limited, 7);
    assert.equal(formatCount(COUNT_CAP), COUNT_CAP.toLocaleString("en-GB"), "exactly the cap is still exact");
    const narrowed = await countRuns(acme.tenantId, f({ event: "customer.upserted", range: "24h" }), { now: NOW });
    assert.equal(narrowed.byStatus.failed, 7);
    assert.equal(narrowed.byStatus.succeeded, COUNT_CAP + 1);
    // the exact count (a bulk retry's total) does not stop at the cap
    assert.equal(
      await countRunsExact(acme.tenantId, f({ event: "customer.upserted", range: "24h" }), { now: NOW }),
      10_012 + 1,
      "the bulk rows and the seed's one",
    );
    assert.equal(await countRunsExact(acme.tenantId, f({ status: "succeeded" }), { now: NOW }), 10_005 + 2);
  });
});

describe("history sorting and keyset pagination", () => {
  const statusIdx = (s: string) => RUN_STATUSES.indexOf(s as RunStatusName);
  function expectedOrder(rows: HistoryRow[], sort: HistoryFilter["sort"], dir: "asc" | "desc"): string[] {
    const val = (r: HistoryRow): number | string =>
      sort === "status"
        ? statusIdx(r.status)
        : sort === "event"
          ? r.event
          : sort === "duration"
            ? (r.durationMs ?? -1)
            : sort === "attempts"
              ? r.attemptCount
              : 0;
    const cmp = (a: HistoryRow, b: HistoryRow) => {
      const [x, y] = [val(a), val(b)];
      if (x !== y) return x < y ? -1 : 1;
      if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
      return a.id < b.id ? -1 : 1;
    };
    return [...rows].sort((a, b) => (dir === "asc" ? cmp(a, b) : -cmp(a, b))).map((r) => r.id);
  }

  it("pages through equal timestamps without gaps or duplicates, for every sort and direction", async () => {
    const same = ago(10 * MIN);
    const statuses: RunStatusName[] = ["failed", "succeeded", "skipped_by_policy", "queued"];
    await insertRuns(
      acme.tenantId,
      Array.from({ length: 30 }, (_, i) => ({
        bindingId: acme.bindingIds[i % 2],
        event: MAGENTO_EVENTS[i % 5],
        status: statuses[i % 4],
        reasonCode: statuses[i % 4] === "skipped_by_policy" ? "unpaid_invoice" : undefined,
        createdAt: same,
        startedAt: same,
        finishedAt: i % 3 === 0 ? null : new Date(same.getTime() + (i % 4) * 100),
        attemptCount: i % 3,
      })),
    );
    const everything = await all(acme.tenantId, f({}), 1000);
    assert.equal(everything.length, 38);
    for (const sort of SORT_KEYS) {
      for (const dir of ["asc", "desc"] as const) {
        for (const limit of [1, 7]) {
          const got = idsOf(await all(acme.tenantId, f({ sort, dir }), limit));
          assert.equal(new Set(got).size, got.length, `duplicates in ${sort} ${dir} /${limit}`);
          assert.deepEqual(got, expectedOrder(everything, sort, dir), `${sort} ${dir} /${limit}`);
        }
      }
    }
    // a status-filtered sort by event crosses partitions (binding × status × event) the same way
    const failedOnly = everything.filter((r) => r.status === "failed" || r.status === "queued");
    assert.deepEqual(
      idsOf(await all(acme.tenantId, f({ status: "failed,queued", sort: "event", dir: "asc" }), 3)),
      expectedOrder(failedOnly, "event", "asc"),
    );
  });

  it("reports durations from pick-up to settling, null while unfinished", async () => {
    const rows = await all(acme.tenantId, f({}));
    const byKey = Object.fromEntries(rows.map((r) => [keys([r])[0], r]));
    assert.equal(byKey.ok1.durationMs, 1500);
    assert.equal(byKey.fail1.durationMs, 9000);
    assert.equal(byKey.waiting.durationMs, null);
    assert.equal(byKey.skipSince.durationMs, 100, "falls back to created_at when never started");
  });

  it("keeps the stored duration right when a run settles or is retried (the duration_ms trigger)", async () => {
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: ids.waiting }, select: { startedAt: true, createdAt: true } });
    const started = run.startedAt ?? run.createdAt;
    await db().syncRun.update({
      where: { id: ids.waiting },
      data: { status: "succeeded", finishedAt: new Date(started.getTime() + 4321) },
    });
    const settled = (await all(acme.tenantId, f({}))).find((r) => r.id === ids.waiting);
    assert.equal(settled?.durationMs, 4321);
    await db().syncRun.update({ where: { id: ids.waiting }, data: { status: "queued", finishedAt: null } });
    const retried = (await all(acme.tenantId, f({ sort: "duration", dir: "asc" }))).find((r) => r.id === ids.waiting);
    assert.equal(retried?.durationMs, null, "unfinished again: sorts as -1, shown as —");
  });
});
