import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { insertRuns, seedTenant, type RunSpec, type SeededTenant } from "@/test/support/builders/runs";
import { truncateAll } from "@/test/support/db";
import { COUNT_CAP } from "./counts";
import { listCustomers } from "./customers";
import { listDocuments, listOrderRollups } from "./documents";
import { parseStatusViewParams } from "./params";

const T0 = new Date("2026-06-01T10:00:00.000Z");
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const P = (q: Record<string, string> = {}) => parseStatusViewParams(q);

let acme: SeededTenant;
let rival: SeededTenant;

beforeEach(async () => {
  await truncateAll();
  acme = await seedTenant("Acme", 1);
  rival = await seedTenant("Rival", 1);
});
after(async () => {
  await db().$disconnect();
});

const inv = (entityId: number, order: string, extra: Partial<RunSpec> = {}): RunSpec => ({
  bindingId: acme.bindingIds[0],
  event: "invoice.created",
  entityId,
  incrementId: `INV-${entityId}`,
  summary: {
    incrementId: `INV-${entityId}`,
    orderIncrementId: order,
    orderId: Number(order.slice(1)),
    customerName: `Customer ${entityId}`,
    customerEmail: `c${entityId}@x.test`,
    total: "12.50",
    currency: "GBP",
  },
  ...extra,
});
const pay = (entityId: number, extra: Partial<RunSpec> = {}): RunSpec => ({
  bindingId: acme.bindingIds[0],
  event: "invoice.paid",
  entityId,
  incrementId: `INV-${entityId}`,
  ...extra,
});

describe("invoice chips (decisions D4)", () => {
  it("derives the chip from the latest invoice run, overridden only by a failed payment", async () => {
    const ids = await insertRuns(acme.tenantId, [
      /* 0*/ inv(1, "O1", { status: "succeeded", providerReference: "SI-1", providerEntityId: "s1", createdAt: at(0) }),
      /* 1*/ pay(1, { status: "failed", errorClass: "provider", errorMessage: "Bank account missing\nmore", createdAt: at(1) }),
      /* 2*/ inv(2, "O1", { status: "succeeded", providerReference: "SI-2", createdAt: at(0) }),
      /* 3*/ pay(2, { status: "skipped_by_policy", reasonCode: "payment_method_not_mapped", createdAt: at(2) }),
      /* 4*/ inv(3, "O2", { status: "failed", errorClass: "validation", createdAt: at(0) }),
      /* 5*/ pay(3, { status: "succeeded", createdAt: at(3) }),
      /* 6*/ inv(4, "O3", { status: "queued", createdAt: at(4) }),
      /* 7*/ pay(5, { status: "failed", errorClass: "not_found", createdAt: at(5) }),
      /* 8*/ pay(6, { status: "succeeded", createdAt: at(6) }),
      /* 9*/ inv(7, "O4", { status: "failed", errorClass: "http", createdAt: at(0) }),
      /*10*/ inv(7, "O4", { status: "succeeded", providerReference: "SI-7", createdAt: at(7) }),
      /*11*/ inv(8, "O5", { status: "succeeded", createdAt: at(0) }),
      /*12*/ pay(8, { status: "failed", errorClass: "http", createdAt: at(1) }),
      /*13*/ pay(8, { status: "succeeded", createdAt: at(8) }),
      /*14*/ inv(9, "O6", { status: "skipped_by_policy", reasonCode: "unpaid_invoice", createdAt: at(9) }),
    ]);
    await insertRuns(rival.tenantId, [{ ...inv(1, "O1", { status: "failed", bindingId: rival.bindingIds[0] }) }]);
    const { rows, counts, total } = await listDocuments(acme.tenantId, "invoice", P({ sort: "increment", dir: "asc" }));
    const by = Object.fromEntries(rows.map((r) => [r.entityId, r]));
    assert.equal(total, 9);
    assert.deepEqual(
      rows.map((r) => [r.entityId, r.chip]),
      [
        [1, "failed"],
        [2, "synced"],
        [3, "failed"],
        [4, "pending"],
        [5, "failed"],
        [6, "none"],
        [7, "synced"],
        [8, "synced"],
        [9, "skipped"],
      ],
    );
    assert.equal(by[1].runId, ids[1], "a failed payment decides and links to the payment run");
    assert.equal(by[1].paymentFailed, true);
    assert.equal(by[1].errorMessage, "Bank account missing\nmore");
    assert.equal(by[1].incrementId, "INV-1", "the invoice's own identity stays");
    assert.equal(by[2].runId, ids[2], "a skipped payment leaves the invoice's own state");
    assert.equal(by[2].providerReference, "SI-2");
    assert.equal(by[3].runId, ids[4], "the invoice's own failure stays when its payment succeeded");
    assert.equal(by[5].runId, ids[7], "a failed payment without an invoice run still shows failed");
    assert.equal(by[7].runId, ids[10], "the latest invoice run decides");
    assert.equal(by[8].runId, ids[11], "a later successful payment run clears the failure");
    assert.equal(by[1].customerName, "Customer 1");
    assert.equal(by[1].total, "12.50");
    assert.deepEqual(counts, { synced: 3, pending: 1, skipped: 1, failed: 3, none: 1 });

    const failed = await listDocuments(acme.tenantId, "invoice", P({ chip: "failed" }));
    assert.deepEqual(failed.rows.map((r) => r.entityId).sort(), [1, 3, 5]);
    assert.equal(failed.total, 3);
    assert.deepEqual(failed.counts, counts, "chip counts ignore the chip filter");
    assert.deepEqual(
      (await listDocuments(acme.tenantId, "invoice", P({ entity: "7" }))).rows.map((r) => r.runId),
      [ids[10]],
    );
    assert.deepEqual(
      (await listDocuments(acme.tenantId, "invoice", P({ q: "customer 9" }))).rows.map((r) => r.entityId),
      [9],
    );
  });

  it("credit memos: the latest run decides; another tenant's never appear", async () => {
    const cm = (entityId: number, extra: Partial<RunSpec>): RunSpec => ({
      bindingId: acme.bindingIds[0],
      event: "creditmemo.created",
      entityId,
      incrementId: `CM-${entityId}`,
      ...extra,
    });
    const ids = await insertRuns(acme.tenantId, [
      cm(1, { status: "failed", createdAt: at(0) }),
      cm(1, { status: "succeeded", providerReference: "CN-5", createdAt: at(1) }),
      cm(2, { status: "skipped_by_policy", reasonCode: "outside_sync_since", createdAt: at(2) }),
    ]);
    await insertRuns(rival.tenantId, [{ bindingId: rival.bindingIds[0], event: "creditmemo.created", entityId: 3, status: "failed" }]);
    const { rows } = await listDocuments(acme.tenantId, "creditmemo", P());
    assert.deepEqual(
      rows.map((r) => [r.incrementId, r.chip, r.runId, r.providerReference]),
      [
        ["CM-2", "skipped", ids[2], null],
        ["CM-1", "synced", ids[1], "CN-5"],
      ],
    );
  });
});

describe("order roll-up", () => {
  it("groups invoices by order and counts how many reached Sage", async () => {
    await insertRuns(acme.tenantId, [
      inv(1, "O1", { status: "succeeded", createdAt: at(0) }),
      inv(2, "O1", { status: "failed", createdAt: at(1) }),
      inv(3, "O2", { status: "succeeded", createdAt: at(2) }),
    ]);
    const { orders, total } = await listOrderRollups(acme.tenantId, P({ view: "orders" }));
    assert.equal(total, 2);
    assert.deepEqual(
      orders.map((o) => [o.orderIncrementId, o.synced, o.total, o.invoices.map((i) => `${i.incrementId}:${i.chip}`)]),
      [
        ["O2", 1, 1, ["INV-3:synced"]],
        ["O1", 1, 2, ["INV-1:synced", "INV-2:failed"]],
      ],
    );
    const withFailure = await listOrderRollups(acme.tenantId, P({ view: "orders", chip: "failed" }));
    assert.deepEqual(
      withFailure.orders.map((o) => o.orderIncrementId),
      ["O1"],
    );
  });

  it("filters by chip (an order with at least one invoice of it), search and deep link, never another tenant's", async () => {
    await insertRuns(acme.tenantId, [
      inv(1, "O1", { status: "succeeded", createdAt: at(0) }),
      inv(2, "O1", { status: "failed", createdAt: at(1) }),
      inv(3, "O2", { status: "queued", createdAt: at(2) }),
      inv(4, "O3", { status: "skipped_by_policy", createdAt: at(3) }),
      pay(5, { status: "succeeded", createdAt: at(4) }), // paid, never created here: chip none, order of its own
    ]);
    await insertRuns(rival.tenantId, [{ ...inv(9, "O1", { status: "failed", createdAt: at(5) }), bindingId: rival.bindingIds[0] }]);
    const orders = async (q: Record<string, string>) => {
      const page = await listOrderRollups(acme.tenantId, P({ view: "orders", ...q }));
      return [page.total, page.orders.map((o) => `${o.orderIncrementId ?? o.orderKey}:${o.synced}/${o.total}`)];
    };
    assert.deepEqual(await orders({}), [4, ["invoice:5:0/1", "O3:0/1", "O2:0/1", "O1:1/2"]]);
    assert.deepEqual(await orders({ chip: "synced" }), [1, ["O1:1/2"]]);
    assert.deepEqual(await orders({ chip: "failed" }), [1, ["O1:1/2"]]);
    assert.deepEqual(await orders({ chip: "pending" }), [1, ["O2:0/1"]]);
    assert.deepEqual(await orders({ chip: "skipped" }), [1, ["O3:0/1"]]);
    assert.deepEqual(await orders({ chip: "none" }), [1, ["invoice:5:0/1"]]);
    // a search or deep link shows each order with the invoices it matched
    assert.deepEqual(await orders({ q: "INV-2" }), [1, ["O1:0/1"]]);
    assert.deepEqual(await orders({ q: "o1" }), [1, ["O1:1/2"]]);
    assert.deepEqual(await orders({ q: "customer", chip: "failed" }), [1, ["O1:1/2"]]);
    assert.deepEqual(await orders({ entity: "1" }), [1, ["O1:1/1"]]);
    assert.deepEqual(await orders({ entity: "9" }), [0, []]);
  });

  it("counts orders up to COUNT_CAP and reports more as COUNT_CAP + 1, like the other views", async () => {
    const many = Array.from({ length: COUNT_CAP + 3 }, (_, i) =>
      inv(1000 + i, `O${1000 + i}`, { status: i === 7 ? "failed" : "succeeded", createdAt: at(i) }),
    );
    await insertRuns(acme.tenantId, many);
    const all = await listOrderRollups(acme.tenantId, P({ view: "orders" }));
    assert.equal(all.total, COUNT_CAP + 1, "stops one past the cap");
    assert.equal(all.orders[0].orderIncrementId, `O${1000 + COUNT_CAP + 2}`, "newest first");
    assert.ok(all.nextCursor);
    const failed = await listOrderRollups(acme.tenantId, P({ view: "orders", chip: "failed" }));
    assert.deepEqual([failed.total, failed.orders.map((o) => o.orderIncrementId)], [1, ["O1007"]]);
  });
});

describe("customers", () => {
  it("lists customers with their per-currency Sage contacts, guests included, scoped to the tenant", async () => {
    const [runId] = await insertRuns(acme.tenantId, [
      {
        bindingId: acme.bindingIds[0],
        event: "customer.upserted",
        entityId: 5,
        status: "succeeded",
        providerReference: "M5",
        summary: { name: "Jane Doe", email: "jane@x.test" },
        createdAt: at(0),
      },
    ]);
    const xref = (tenant: SeededTenant, key: string, currency: string, ref: string) =>
      db().entityXref.create({
        data: {
          magentoConnectionId: tenant.magentoConnectionIds[0],
          sageBusinessId: tenant.businessIds[0],
          bindingId: tenant.bindingIds[0],
          entityType: "contact",
          magentoKey: key,
          currency,
          sageId: `sage-${ref}`,
          sageReference: ref,
          data: { displayedAs: `Name ${ref}` },
        },
      });
    await xref(acme, "5", "GBP", "M5");
    await xref(acme, "5", "EUR", "M5EUR");
    await xref(acme, "guest:abc", "GBP", "G1");
    await xref(rival, "5", "GBP", "R5");
    const { rows, total } = await listCustomers(acme.tenantId, P());
    assert.equal(total, 2);
    const jane = rows.find((r) => r.key === "5");
    assert.ok(jane);
    assert.equal(jane.name, "Jane Doe");
    assert.equal(jane.chip, "synced");
    assert.equal(jane.runId, runId);
    assert.deepEqual(
      jane.contacts.map((c) => [c.currency, c.reference]),
      [
        ["EUR", "M5EUR"],
        ["GBP", "M5"],
      ],
    );
    const guest = rows.find((r) => r.key === "guest:abc");
    assert.ok(guest);
    assert.equal(guest.entityId, null);
    assert.equal(guest.chip, "none");
    assert.equal(guest.name, "Name G1");
    assert.deepEqual(
      (await listCustomers(acme.tenantId, P({ chip: "none" }))).rows.map((r) => r.key),
      ["guest:abc"],
    );
    assert.deepEqual(
      (await listCustomers(acme.tenantId, P({ q: "M5EUR" }))).rows.map((r) => r.key),
      ["5"],
    );
    const search = async (q: string) => (await listCustomers(acme.tenantId, P({ q }))).rows.map((r) => r.key).sort();
    assert.deepEqual(await search("jane DOE"), ["5"], "the latest run's name, any case");
    assert.deepEqual(await search("@x.test"), ["5"], "an e-mail fragment");
    assert.deepEqual(await search("name g1"), ["guest:abc"], "a guest, by the name its Sage contact holds");
    assert.deepEqual(await search("guest:abc"), ["guest:abc"], "the key");
    assert.deepEqual(await search("R5"), [], "never another tenant's contact");
    assert.deepEqual(await search("50%"), [], "LIKE's wildcards are matched literally");

    // A newer run renames the customer; a contact's removal takes its reference out of the search.
    await insertRuns(acme.tenantId, [
      {
        bindingId: acme.bindingIds[0],
        event: "customer.upserted",
        entityId: 5,
        status: "succeeded",
        summary: { name: "Jane Smith", email: "jane@x.test" },
        createdAt: at(1),
      },
    ]);
    assert.deepEqual(await search("jane smith"), ["5"]);
    assert.deepEqual(await search("jane doe"), [], "the old name is gone with the run that carried it");
    await db().entityXref.deleteMany({ where: { magentoConnectionId: acme.magentoConnectionIds[0], sageReference: "M5EUR" } });
    assert.deepEqual(await search("M5EUR"), []);
    assert.deepEqual(await search("M5"), ["5"], "its other contact still matches");
  });
});
