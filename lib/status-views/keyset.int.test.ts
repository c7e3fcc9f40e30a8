import "@/test/support/env";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { insertRuns, seedTenant, type RunSpec, type SeededTenant } from "@/test/support/builders/runs";
import { truncateAll } from "@/test/support/db";
import { listCustomers } from "./customers";
import { listDocuments, listOrderRollups, type DocumentKind } from "./documents";
import { DOC_SORTS, parseStatusViewParams, type StatusViewParams } from "./params";

/**
 * Keyset paging of the status views: walking the pages one `after` cursor at a time returns every row
 * exactly once, in the same order as one big page, for every sort and direction — with many rows
 * sharing a timestamp, a customer name, a total or a missing total (ties and NULLs).
 */

const T0 = new Date("2026-06-01T10:00:00.000Z");
const P = (q: Record<string, string> = {}) => parseStatusViewParams(q);

let acme: SeededTenant;
let rival: SeededTenant;

before(async () => {
  await truncateAll();
  acme = await seedTenant("Acme", 2);
  rival = await seedTenant("Rival", 1);
  const specs: RunSpec[] = [];
  const statuses = ["succeeded", "failed", "queued", "skipped_by_policy"] as const;
  for (let i = 1; i <= 26; i++) {
    const bindingId = acme.bindingIds[i % 2];
    // three timestamps only, so most rows tie on time; entity ids repeat across the two bindings
    const createdAt = new Date(T0.getTime() + (i % 3) * 60_000);
    const entityId = 100 + (i % 13);
    const summary = {
      incrementId: i % 5 === 0 ? undefined : `INV-${i % 7}`,
      orderIncrementId: `#${i % 6}`,
      orderId: i % 6,
      customerName: i % 4 === 0 ? undefined : `Customer ${i % 3}`,
      total: i % 6 === 0 ? "n/a" : `${(i % 4) * 5}.50`,
      currency: "GBP",
    };
    const status = statuses[i % 4];
    specs.push({
      bindingId,
      event: "invoice.created",
      entityId,
      status,
      summary,
      createdAt,
      reasonCode: status === "skipped_by_policy" ? "unpaid_invoice" : undefined,
    });
    if (i % 5 === 0) specs.push({ bindingId, event: "invoice.paid", entityId, status: i % 10 ? "failed" : "succeeded", createdAt });
    if (i % 2) specs.push({ bindingId, event: "invoice.paid", entityId: 500 + i, status: "queued", createdAt });
    specs.push({ bindingId, event: "creditmemo.created", entityId, status, summary, createdAt });
    specs.push({ bindingId, event: "customer.upserted", entityId: 700 + (i % 11), status, summary: { name: `N${i % 2}` }, createdAt });
  }
  await insertRuns(acme.tenantId, specs);
  await insertRuns(
    rival.tenantId,
    specs.map((s) => ({ ...s, bindingId: rival.bindingIds[0] })),
  );
});
after(async () => {
  await db().$disconnect();
});

async function walk<T>(
  list: (p: StatusViewParams, limit: number) => Promise<{ rows: T[]; nextCursor: string | null }>,
  p: StatusViewParams,
  limit: number,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < 500; i++) {
    const page = await list({ ...p, after }, limit);
    assert.ok(page.rows.length <= limit);
    out.push(...page.rows);
    if (!page.nextCursor) return out;
    after = page.nextCursor;
  }
  throw new Error("paging did not end");
}

const docKey = (r: { bindingId: string; entityId: number }) => `${r.bindingId}/${r.entityId}`;

describe("status views: keyset paging", () => {
  for (const kind of ["invoice", "creditmemo"] as DocumentKind[]) {
    it(`${kind}: every document exactly once, in order, for every sort and direction`, async () => {
      const list = (p: StatusViewParams, limit: number) => listDocuments(acme.tenantId, kind, p, { limit });
      for (const sort of DOC_SORTS) {
        for (const dir of ["asc", "desc"] as const) {
          const p = P({ sort, dir });
          const whole = await listDocuments(acme.tenantId, kind, p, { limit: 1000 });
          assert.equal(whole.nextCursor, null);
          assert.equal(whole.rows.length, whole.total, "one page holds them all");
          for (const limit of [1, 4]) {
            const got = (await walk(list, p, limit)).map(docKey);
            assert.equal(new Set(got).size, got.length, `duplicates in ${kind} ${sort} ${dir} /${limit}`);
            assert.deepEqual(got, whole.rows.map(docKey), `${kind} ${sort} ${dir} /${limit}`);
          }
        }
      }
      // a chip filter pages the same way
      const failed = await listDocuments(acme.tenantId, kind, P({ chip: "failed" }), { limit: 1000 });
      assert.ok(failed.rows.length > 1);
      assert.deepEqual((await walk(list, P({ chip: "failed" }), 2)).map(docKey), failed.rows.map(docKey));
    });
  }

  it("invoice orders: every order exactly once", async () => {
    const list = async (p: StatusViewParams, limit: number) => {
      const r = await listOrderRollups(acme.tenantId, p, { limit });
      return { rows: r.orders, nextCursor: r.nextCursor };
    };
    const whole = await listOrderRollups(acme.tenantId, P({ view: "orders" }), { limit: 1000 });
    assert.equal(whole.orders.length, whole.total);
    const key = (o: { bindingId: string; orderKey: string }) => `${o.bindingId}/${o.orderKey}`;
    const got = (await walk(list, P({ view: "orders" }), 3)).map(key);
    assert.equal(new Set(got).size, got.length);
    assert.deepEqual(got, whole.orders.map(key));
    // the stored orders (no search) and the grouped ones (a search that matches every invoice of the
    // orders with a number: their invoices all carry it) agree, and each chip filter and search pages alike
    const grouped = await listOrderRollups(acme.tenantId, P({ view: "orders", q: "#" }), { limit: 1000 });
    assert.deepEqual(
      grouped.orders,
      whole.orders.filter((o) => o.orderIncrementId !== null),
    );
    assert.ok(grouped.orders.length > 1 && grouped.orders.length < whole.orders.length);
    const filters: Record<string, string>[] = [
      { chip: "failed" },
      { chip: "pending" },
      { chip: "skipped" },
      { q: "#" },
      { q: "customer", chip: "failed" },
    ];
    for (const q of filters) {
      const p = P({ view: "orders", ...q });
      const all = await listOrderRollups(acme.tenantId, p, { limit: 1000 });
      assert.ok(all.orders.length > 1 && all.orders.length === all.total, JSON.stringify(q));
      assert.deepEqual((await walk(list, p, 2)).map(key), all.orders.map(key), JSON.stringify(q));
    }
  });

  it("customers: every customer exactly once, and never another tenant's", async () => {
    const list = (p: StatusViewParams, limit: number) => listCustomers(acme.tenantId, p, { limit });
    const whole = await listCustomers(acme.tenantId, P(), { limit: 1000 });
    assert.equal(whole.rows.length, whole.total);
    assert.equal(whole.total, 22, "11 customers on each of Acme's two connections");
    const key = (c: { magentoConnectionId: string; key: string }) => `${c.magentoConnectionId}/${c.key}`;
    for (const limit of [1, 5]) {
      const got = await walk(list, P(), limit);
      assert.deepEqual(got.map(key), whole.rows.map(key));
      assert.ok(got.every((c) => acme.magentoConnectionIds.includes(c.magentoConnectionId)));
    }
  });

  it("a cursor that does not parse reads as the first page", async () => {
    const first = await listDocuments(acme.tenantId, "invoice", P(), { limit: 3 });
    const junk = await listDocuments(acme.tenantId, "invoice", P({ after: "bm90LWEtY3Vyc29y" }), { limit: 3 });
    assert.deepEqual(junk.rows.map(docKey), first.rows.map(docKey));
  });
});
