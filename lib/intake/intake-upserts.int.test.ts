import "@/test/support/env";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { rowCounts, seedStore, webhookBody, type SeededStore } from "../../test/support/builders/stores";

/**
 * D12: upserts are never silently dropped. A customer or product body that differs from the one
 * behind the latest run for its key starts a new run once no run for the key is live, whatever its
 * age; an identical body is a duplicate; invoice, payment and credit-memo keys keep the 24-hour rule.
 */

let h: IntakeHarness;
const now = () => Math.floor(Date.now() / 1000);
const deliver = (s: SeededStore, event: string, body: string, key: string) =>
  h.request("POST", `/webhooks/magento/${s.connectionId}/${event}`, {
    token: mintOutboundForApiKey(s.apiKey, s.connectionId, now()),
    body,
    headers: { "Idempotency-Key": key },
  });
/** Magento's upsert bodies differ only by occurred_at (the save time): the canonical entity is fetched. */
const saved = (id: number, second: number) =>
  webhookBody(id, { occurred_at: `2026-06-01T10:00:${String(second).padStart(2, "0")}Z`, payload: {} });
const setStatus = (status: "succeeded" | "running" | "queued" | "waiting" | "failed") => db().syncRun.updateMany({ data: { status } });

before(async () => {
  h = await startIntakeHarness();
});
after(async () => {
  await h.stop();
  await db().$disconnect();
});
beforeEach(() => truncateAll());

describe("D12: upserts are never dropped", () => {
  for (const event of ["product.upserted", "customer.upserted"] as const) {
    it(`${event}: a changed body seconds after a succeeded run starts a new run; the same body again is a duplicate`, async () => {
      const s = await seedStore();
      const key = `${event}:9`;
      const first = await deliver(s, event, saved(9, 0), key);
      assert.equal(first.status, 202, first.text);
      await setStatus("succeeded");
      const again = await deliver(s, event, saved(9, 0), key);
      assert.equal(again.status, 200);
      assert.equal(again.json.sync_run_id, first.json.sync_run_id, "identical body: the original sync_run_id");
      const edited = await deliver(s, event, saved(9, 30), key);
      assert.equal(edited.status, 202, edited.text);
      assert.notEqual(edited.json.sync_run_id, first.json.sync_run_id);
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: String(edited.json.sync_run_id) }, include: { receipt: true } });
      assert.equal(run.status, "queued");
      assert.equal(run.receipt?.generation, 2);
      // a retry of the edited delivery is a duplicate of ITS run
      const retried = await deliver(s, event, saved(9, 30), key);
      assert.equal(retried.json.sync_run_id, edited.json.sync_run_id);
      assert.equal((await rowCounts()).runs, 2);
    });
  }

  it("a changed body while the key's run is queued or waiting joins that run (it has not read Magento yet)", async () => {
    const s = await seedStore();
    const first = await deliver(s, "product.upserted", saved(9, 0), "product.upserted:9");
    for (const status of ["queued", "waiting"] as const) {
      await setStatus(status);
      const edited = await deliver(s, "product.upserted", saved(9, 30), "product.upserted:9");
      assert.equal(edited.status, 200, `${status}: ${edited.text}`);
      assert.equal(edited.json.sync_run_id, first.json.sync_run_id);
    }
    assert.equal((await rowCounts()).runs, 1);
  });

  it("a changed body while the key's run is running is refused as transient (503 + Retry-After), storing nothing; Magento's retry then starts the run", async () => {
    const s = await seedStore({ bindings: [{ status: "active" }, { status: "active", provider: "xero" }] });
    await deliver(s, "product.upserted", saved(9, 0), "product.upserted:9");
    await db().syncRun.updateMany({ where: { bindingId: s.bindingIds[0] }, data: { status: "running" } });
    await db().syncRun.updateMany({ where: { bindingId: s.bindingIds[1] }, data: { status: "succeeded" } });
    const before = await rowCounts();
    const busy = await deliver(s, "product.upserted", saved(9, 30), "product.upserted:9");
    assert.equal(busy.status, 503, busy.text);
    assert.equal(busy.json.error, "service_unavailable");
    assert.match(String(busy.json.message), /product 9/);
    assert.equal(busy.headers.get("retry-after"), "60");
    const afterBusy = await rowCounts();
    assert.deepEqual(
      [afterBusy.receipts, afterBusy.runs],
      [before.receipts, before.runs],
      "nothing stored: the 503 keeps the event in Magento's outbox",
    );

    await db().syncRun.updateMany({ where: { bindingId: s.bindingIds[0] }, data: { status: "succeeded" } });
    const retried = await deliver(s, "product.upserted", saved(9, 30), "product.upserted:9");
    assert.equal(retried.status, 202, retried.text);
    const runs = await db().syncRun.findMany({
      where: { receiptId: { not: null } },
      include: { receipt: true },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      runs.map((r) => [r.bindingId === s.bindingIds[0] ? "sage" : "xero", r.receipt?.generation]),
      [
        ["sage", 1],
        ["xero", 1],
        ["sage", 2],
        ["xero", 2],
      ],
    );
  });

  it("a run that has not moved for over an hour no longer holds a changed save back", async () => {
    const s = await seedStore();
    const first = await deliver(s, "product.upserted", saved(9, 0), "product.upserted:9");
    await db().$executeRaw`UPDATE sync_runs SET status = 'running', updated_at = now() - interval '61 minutes'`;
    const edited = await deliver(s, "product.upserted", saved(9, 30), "product.upserted:9");
    assert.equal(edited.status, 202, edited.text);
    assert.notEqual(edited.json.sync_run_id, first.json.sync_run_id);
  });

  it("the same body while running is still a plain duplicate", async () => {
    const s = await seedStore();
    const first = await deliver(s, "customer.upserted", saved(5, 0), "customer.upserted:5");
    await setStatus("running");
    const again = await deliver(s, "customer.upserted", saved(5, 0), "customer.upserted:5");
    assert.equal(again.status, 200);
    assert.equal(again.json.sync_run_id, first.json.sync_run_id);
  });

  it("invoice keys keep the 24-hour rule: a changed body soon after a succeeded run is a duplicate", async () => {
    const s = await seedStore();
    const first = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
    await setStatus("succeeded");
    const edited = await deliver(s, "invoice.created", webhookBody(42, { occurred_at: "2026-06-01T00:00:00Z" }), "invoice.created:42");
    assert.equal(edited.status, 200);
    assert.equal(edited.json.sync_run_id, first.json.sync_run_id);
    await setStatus("running");
    const whileRunning = await deliver(
      s,
      "invoice.created",
      webhookBody(42, { occurred_at: "2026-06-02T00:00:00Z" }),
      "invoice.created:42",
    );
    assert.equal(whileRunning.status, 200, "no 503 for documents: their content never changes");
  });
});
