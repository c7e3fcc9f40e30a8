import "@/test/support/env";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import pg from "pg";
import { db } from "@/lib/db";
import { insertRuns, seedTenant, type RunSpec, type SeededTenant } from "@/test/support/builders/runs";
import { assertTestDatabase, truncateAll } from "@/test/support/db";
import { listCustomers } from "./customers";
import { listDocuments } from "./documents";
import { parseStatusViewParams } from "./params";
import { chipForStatus, RUN_STATUSES } from "./vocabulary";

/**
 * The status views read one stored row per document and per customer (`status_documents`,
 * `status_customers`), which triggers keep in the writers' own transactions. These tests change runs
 * and contacts the ways the engine does — new runs, status changes, retries, late payments, contacts
 * written by the sync — and check the views follow, including two writers of one invoice racing.
 */

const P = (q: Record<string, string> = {}) => parseStatusViewParams(q);
let t: SeededTenant;

async function doc(kind: "invoice" | "creditmemo", entity: number) {
  return db().statusDocument.findUnique({ where: { bindingId_kind_entityId: { bindingId: t.bindingIds[0], kind, entityId: entity } } });
}

/** A bare run row through plain SQL on its own connection, as a concurrent writer would insert it. */
function runInsert(c: pg.Client, event: string, entity: number, status: string): Promise<unknown> {
  return c.query(
    `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, idempotency_key, status, policy_version, policy_snapshot, updated_at)
     values ($1, $2, $3, $4, split_part($4, '.', 1), $5, $6, $7::"RunStatus", 1, '{}', now())`,
    [randomUUID(), t.tenantId, t.bindingIds[0], event, entity, `${event}:${entity}:${randomUUID()}`, status],
  );
}

/** An invoice run for order `order` (its Magento id and number), as a concurrent writer inserts it. */
/** An invoice's created run in an order (order key = its id), `at` ms from now. */
function orderInvoice(bindingId: string, entityId: number, order: number, status: RunSpec["status"], at = 0): RunSpec {
  return {
    bindingId,
    event: "invoice.created",
    entityId,
    status,
    createdAt: new Date(Date.now() + at),
    summary: { orderId: order, orderIncrementId: `O${order}`, customerName: `Buyer ${order}` },
  };
}

function invoiceInsert(c: pg.Client, entity: number, order: number, status: string): Promise<unknown> {
  return c.query(
    `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, idempotency_key, status, policy_version,
       policy_snapshot, entity_summary, updated_at)
     values ($1, $2, $3, 'invoice.created', 'invoice', $4, $5, $6::"RunStatus", 1, '{}', $7, now())`,
    [
      randomUUID(),
      t.tenantId,
      t.bindingIds[0],
      entity,
      `invoice.created:${entity}:${randomUUID()}`,
      status,
      { orderId: order, orderIncrementId: `O${order}`, customerName: `Buyer ${order}` },
    ],
  );
}

/**
 * Every stored order row against a from-scratch grouping of the invoice rows (and the other way round):
 * the By order view's figures, whatever wrote the runs.
 */
async function assertOrdersAgree(): Promise<{ order_key: string; invoice_count: number; synced_count: number; failed_count: number }[]> {
  const cols = `binding_id, order_key, tenant_id, order_increment_id, customer_name, invoice_count, synced_count, pending_count,
    skipped_count, failed_count, none_count, last_at`;
  const stored = await db().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${cols} FROM status_orders ORDER BY binding_id, order_key`);
  const grouped = await db().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${cols} FROM (
      SELECT binding_id, order_key, min(tenant_id::text)::uuid AS tenant_id, max(order_increment_id) AS order_increment_id,
        max(customer_name) AS customer_name, count(*)::int AS invoice_count,
        (count(*) FILTER (WHERE chip = 'synced'))::int AS synced_count, (count(*) FILTER (WHERE chip = 'pending'))::int AS pending_count,
        (count(*) FILTER (WHERE chip = 'skipped'))::int AS skipped_count, (count(*) FILTER (WHERE chip = 'failed'))::int AS failed_count,
        (count(*) FILTER (WHERE chip = 'none'))::int AS none_count, max(last_at) AS last_at
      FROM status_documents WHERE kind = 'invoice' GROUP BY binding_id, order_key) g ORDER BY binding_id, order_key`);
  assert.deepEqual(stored, grouped, "status_orders matches the invoice rows grouped from scratch");
  return stored as { order_key: string; invoice_count: number; synced_count: number; failed_count: number }[];
}

const orderFigures = (rows: { order_key: string; invoice_count: number; synced_count: number; failed_count: number }[]) =>
  rows.map((r) => [r.order_key, r.invoice_count, r.synced_count, r.failed_count]);

/**
 * Two transactions on their own connections: `first` writes and holds its transaction open while
 * `second` writes (and blocks, if the rows collide); then first commits, second finishes and commits.
 */
async function race(first: (c: pg.Client) => Promise<unknown>, second: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const url = assertTestDatabase();
  const a = new pg.Client({ connectionString: url });
  const b = new pg.Client({ connectionString: url });
  await Promise.all([a.connect(), b.connect()]);
  try {
    await a.query("begin");
    await b.query("begin");
    await first(a);
    const pending = second(b);
    await new Promise((r) => setTimeout(r, 100));
    await a.query("commit");
    await pending;
    await b.query("commit");
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
}

describe("status view rows follow the runs", () => {
  before(async () => {
    await truncateAll();
  });
  beforeEach(async () => {
    await truncateAll();
    t = await seedTenant("Rows", 2);
  });
  after(async () => {
    await db().$disconnect();
  });

  it("a credit memo's chip is its latest run's, for every status", async () => {
    const specs = RUN_STATUSES.map((status, i) => ({
      bindingId: t.bindingIds[0],
      event: "creditmemo.created" as const,
      entityId: 500 + i,
      status,
    }));
    await insertRuns(t.tenantId, specs);
    for (const [i, status] of RUN_STATUSES.entries()) assert.equal((await doc("creditmemo", 500 + i))?.chip, chipForStatus(status), status);
  });

  it("status changes, retries and late payments move the chip; other updates leave the row alone", async () => {
    const [created] = await insertRuns(t.tenantId, [
      {
        bindingId: t.bindingIds[0],
        event: "invoice.created",
        entityId: 7,
        status: "queued",
        incrementId: "000000007",
        summary: { customerName: "Zoë", total: "12.50" },
      },
    ]);
    const first = await doc("invoice", 7);
    assert.equal(first?.chip, "pending");
    assert.equal(first?.incrementId, "000000007");
    assert.equal(first?.customerSort, "zoë");
    assert.equal(first?.totalSort?.toString(), "12.5");

    await db().syncRun.update({ where: { id: created }, data: { status: "failed", errorClass: "validation" } });
    assert.equal((await doc("invoice", 7))?.chip, "failed");

    // a retry is a newer run of the same document: it decides from now on
    const [retry] = await insertRuns(t.tenantId, [
      {
        bindingId: t.bindingIds[0],
        event: "invoice.created",
        entityId: 7,
        status: "succeeded",
        createdAt: new Date(Date.now() + 1000),
        summary: { customerName: "Zoë", total: "12.50" },
      },
    ]);
    const synced = await doc("invoice", 7);
    assert.equal(synced?.chip, "synced");
    assert.equal(synced?.runId, retry);

    // D4: a failed payment decides and names its run
    const [paid] = await insertRuns(t.tenantId, [
      { bindingId: t.bindingIds[0], event: "invoice.paid", entityId: 7, status: "failed", createdAt: new Date(Date.now() + 2000) },
    ]);
    const payFailed = await doc("invoice", 7);
    assert.deepEqual([payFailed?.chip, payFailed?.runId, payFailed?.paymentFailed], ["failed", paid, true]);
    await db().syncRun.update({ where: { id: paid }, data: { status: "succeeded" } });
    assert.deepEqual([(await doc("invoice", 7))?.chip, (await doc("invoice", 7))?.runId], ["synced", retry]);

    // a write the view does not show (the push to Magento) leaves the row as it was
    const before = await db().$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM status_documents WHERE entity_id = 7`;
    await db().syncRun.update({ where: { id: retry }, data: { syncStatePushedAt: new Date(), attemptCount: 3 } });
    const afterPush = await db().$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM status_documents WHERE entity_id = 7`;
    assert.equal(afterPush[0].xmin, before[0].xmin);

    // Sage's reference arrives with the settled run; the search finds it whole, in any case
    await db().syncRun.update({ where: { id: retry }, data: { providerReference: "SI-7" } });
    assert.deepEqual(
      (await listDocuments(t.tenantId, "invoice", P({ q: "si-7" }))).rows.map((r) => r.entityId),
      [7],
    );
    assert.deepEqual((await listDocuments(t.tenantId, "invoice", P({ q: "SI-" }))).rows, []);
    assert.deepEqual(
      (await listDocuments(t.tenantId, "invoice", P({ q: "ZOË" }))).rows.map((r) => r.entityId),
      [7],
    );

    // and the view reads the row
    const page = await listDocuments(t.tenantId, "invoice", P());
    assert.deepEqual(
      page.rows.map((r) => [r.entityId, r.chip, r.runId, r.paymentStatus]),
      [[7, "synced", retry, "succeeded"]],
    );
  });

  it("two writers of one new invoice (created and paid arrive together) leave both runs in its row", async () => {
    // b's insert of the row waits for a's uncommitted one; once a commits, b reads a's run too
    await race(
      (a) => runInsert(a, "invoice.created", 41, "succeeded"),
      (b) => runInsert(b, "invoice.paid", 41, "succeeded"),
    );
    const row = await doc("invoice", 41);
    assert.ok(row?.docRunId && row.paymentRunId, "both runs named");
    assert.equal(row?.chip, "synced");
  });

  it("a status change racing a new payment run is not overwritten by a stale read", async () => {
    const [created] = await insertRuns(t.tenantId, [
      { bindingId: t.bindingIds[0], event: "invoice.created", entityId: 42, status: "queued" },
    ]);
    // without the row claim, b would compute from the invoice's old status (queued → pending)
    await race(
      (a) => a.query(`update sync_runs set status = 'succeeded' where id = $1`, [created]),
      (b) => runInsert(b, "invoice.paid", 42, "succeeded"),
    );
    assert.equal((await doc("invoice", 42))?.chip, "synced");
  });

  it("order rows follow their invoices: new invoices, status changes, a move to another order, deletes; credit memos and contacts leave them alone", async () => {
    const b = t.bindingIds[0];
    const inv = (entityId: number, order: number, status: RunSpec["status"], at = 0) => orderInvoice(b, entityId, order, status, at);
    // one statement with several invoices of one order, and one of another
    const [a1, , b1] = await insertRuns(t.tenantId, [inv(1, 10, "succeeded"), inv(2, 10, "failed"), inv(3, 20, "queued")]);
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [
      ["10", 2, 1, 1],
      ["20", 1, 0, 0],
    ]);
    const o10 = await db().statusOrder.findUnique({ where: { bindingId_orderKey: { bindingId: b, orderKey: "10" } } });
    assert.deepEqual([o10?.orderIncrementId, o10?.customerName, o10?.tenantId], ["O10", "Buyer 10", t.tenantId]);

    // a status change moves the chip counts
    await db().syncRun.update({ where: { id: b1 }, data: { status: "succeeded" } });
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [
      ["10", 2, 1, 1],
      ["20", 1, 1, 0],
    ]);

    // a credit memo, a customer and a Sage contact write no order row and leave these untouched
    const before = await db().$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM status_orders ORDER BY order_key`;
    await insertRuns(t.tenantId, [
      { bindingId: b, event: "creditmemo.created", entityId: 1, status: "failed", summary: { orderId: 10 } },
      { bindingId: b, event: "customer.upserted", entityId: 5, status: "failed" },
    ]);
    await db().entityXref.create({
      data: {
        magentoConnectionId: t.magentoConnectionIds[0],
        sageBusinessId: t.businessIds[0],
        entityType: "contact",
        magentoKey: "5",
        currency: "GBP",
        sageId: "c-5",
        sageReference: "C5",
      },
    });
    // a write no order shows (the push to Magento, the Sage reference) neither
    await db().syncRun.update({ where: { id: a1 }, data: { syncStatePushedAt: new Date(), providerReference: "SI-1" } });
    assert.deepEqual(await db().$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM status_orders ORDER BY order_key`, before);
    await assertOrdersAgree();

    // an invoice whose summary now names another order leaves the first and joins the second
    await db().syncRun.updateMany({
      where: { tenantId: t.tenantId, event: "invoice.created", magentoEntityId: 2 },
      data: { entitySummary: { orderId: 20, orderIncrementId: "O20", customerName: "Buyer 20" } },
    });
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [
      ["10", 1, 1, 0],
      ["20", 2, 1, 1],
    ]);

    // a newer run decides the latest time of its order
    await insertRuns(t.tenantId, [inv(3, 20, "failed", 60_000)]);
    const o20 = await db().statusOrder.findUnique({ where: { bindingId_orderKey: { bindingId: b, orderKey: "20" } } });
    assert.ok(o20 && o20.lastAt.getTime() > Date.now() + 30_000);
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [
      ["10", 1, 1, 0],
      ["20", 2, 0, 2],
    ]);

    // deleting an order's last invoice runs removes the order; deleting one of two shrinks it
    await db().syncRun.deleteMany({ where: { tenantId: t.tenantId, entityType: "invoice", magentoEntityId: 1 } });
    await db().syncRun.deleteMany({ where: { tenantId: t.tenantId, entityType: "invoice", magentoEntityId: 3 } });
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [["20", 1, 0, 1]]);
  });

  it("two writers of two new invoices of one new order both count in its row", async () => {
    // b's insert of the order row waits for a's uncommitted one, conflicts, then recounts with a's invoice
    await race(
      (a) => invoiceInsert(a, 61, 6, "succeeded"),
      (b) => invoiceInsert(b, 62, 6, "failed"),
    );
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [["6", 2, 1, 1]]);
  });

  it("a status change racing a new invoice of the same order is not overwritten by a stale count", async () => {
    const [first] = await insertRuns(t.tenantId, [orderInvoice(t.bindingIds[0], 71, 7, "queued")]);
    // without the order claim, b would count a's invoice as still pending
    await race(
      (a) => a.query(`update sync_runs set status = 'succeeded' where id = $1`, [first]),
      (b) => invoiceInsert(b, 72, 7, "succeeded"),
    );
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [["7", 2, 2, 0]]);
  });

  it("an order's last invoice deleted while another invoice of it arrives: the order stays, with the new one", async () => {
    await insertRuns(t.tenantId, [orderInvoice(t.bindingIds[0], 81, 8, "failed")]);
    await race(
      (a) => a.query(`delete from sync_runs where magento_entity_id = 81`),
      (b) => invoiceInsert(b, 82, 8, "succeeded"),
    );
    assert.deepEqual(orderFigures(await assertOrdersAgree()), [["8", 1, 1, 0]]);
  });

  it("customers: the latest run of any of the store's bindings, and guests from their Sage contacts", async () => {
    await insertRuns(t.tenantId, [
      {
        bindingId: t.bindingIds[0],
        event: "customer.upserted",
        entityId: 9,
        status: "failed",
        summary: { name: "Ada", email: "ada@example.test" },
      },
    ]);
    const contact = await db().entityXref.create({
      data: {
        magentoConnectionId: t.magentoConnectionIds[0],
        sageBusinessId: t.businessIds[0],
        entityType: "contact",
        magentoKey: "guest:abc",
        currency: "GBP",
        sageId: "c-1",
        sageReference: "GUEST1",
      },
    });
    let page = await listCustomers(t.tenantId, P());
    assert.deepEqual(page.rows.map((r) => [r.key, r.chip, r.contacts.map((c) => c.reference)]).sort(), [
      ["9", "failed", []],
      ["guest:abc", "none", ["GUEST1"]],
    ]);
    await db().syncRun.updateMany({ where: { tenantId: t.tenantId, magentoEntityId: 9 }, data: { status: "succeeded" } });
    await db().entityXref.delete({ where: { id: contact.id } });
    page = await listCustomers(t.tenantId, P());
    assert.deepEqual(
      page.rows.map((r) => [r.key, r.chip]),
      [["9", "synced"]],
    );
    assert.equal(page.total, 1);
  });
});
