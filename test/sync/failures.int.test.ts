import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };

let s: SyncStack;
before(async () => {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600"; // let the storm reach Sage: the emulator's 429s are the subject here
  s = await startSyncStack();
  await s.magento("POST", "products", { sku: "CUP", name: "Enamel Cup", type_id: "simple", price: 8, tax_class_id: 2 });
});
after(() => s?.stop());

const order = async (email: string) =>
  (
    (await s.magento("POST", "orders", {
      guest: { email, firstname: "Fay", lastname: "Fault" },
      lines: [{ sku: "CUP", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as Created
  ).invoice;
const invoiceRun = async (id: number) => (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === id)!;
const countByReference = async (inc: string) => ((await s.sage(`/sales_invoices?search=${inc}`)) as { $total: number }).$total;

test("a Sage 422 fails fast with Sage's message kept, the chip turns ✗; fixing the setting and retrying succeeds", async () => {
  await s.savePolicy({ tax_rate_map: { "20.00": "GB_RETIRED_RATE" } });
  const inv = await order("bad@example.com");
  await s.settle();
  const failed = await invoiceRun(inv.entity_id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.errorClass, "provider");
  assert.match(failed.errorMessage ?? "", /tax_rate|Couldn't find/i);
  assert.equal(failed.attempts.filter((a) => a.step === "post-invoice").length, 1, "not retried: Sage rejected the payload");
  const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === inv.entity_id)!;
  assert.equal(row.sync_status, "failed");
  assert.equal(row.error_code, "provider");

  await s.savePolicy({});
  const { retryRun } = await import("@/lib/sync/retry");
  await retryRun({ tenantId: s.tenantId, runId: failed.id, actorUserId: s.userId });
  await s.settle();
  const fixed = await invoiceRun(inv.entity_id);
  assert.equal(fixed.status, "succeeded");
  const posts = fixed.attempts.filter((a) => a.step === "post-invoice");
  assert.equal(posts.length, 2, "both attempts kept for the payload diff");
  assert.notDeepEqual(posts[0].payload, posts[1].payload);
  const mirror = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === inv.entity_id)!;
  assert.equal(mirror.sync_status, "synced");
});

test("a 429 storm: every invoice reaches Sage exactly once, Retry-After honoured", async () => {
  await s.sageAdmin("POST", "/reset", { stats: true });
  await s.sageAdmin("POST", "/faults", { path: "/v3.1/*", kind: "rate_limit", rate: 0.4, retry_after: 1 });
  const invoices = [];
  for (let i = 0; i < 8; i++) invoices.push(await order(`storm${i}@example.com`));
  await s.settle({ timeoutMs: 120_000 });
  await s.sageAdmin("POST", "/reset", { faults: true, stats: false });
  for (const inv of invoices) {
    const run = await invoiceRun(inv.entity_id);
    assert.equal(run.status, "succeeded", `${inv.increment_id}: ${run.errorClass} ${run.errorMessage}`);
    assert.equal(await countByReference(inv.increment_id), 1);
  }
  const all = await s.runs();
  assert.ok(
    all.some((r) => r.attempts.some((a) => a.errorClass === "rate_limited")),
    "the storm was real: some attempts were rate limited",
  );
});

test("a Sage outage that recovers: runs retry with backoff and complete", async () => {
  await s.sageAdmin("POST", "/faults", { path: "/v3.1/*", kind: "error", status: 503, count: 6 });
  const invoices = [await order("out1@example.com"), await order("out2@example.com")];
  await s.settle({ timeoutMs: 120_000 });
  for (const inv of invoices) {
    const run = await invoiceRun(inv.entity_id);
    assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);
    assert.equal(await countByReference(inv.increment_id), 1);
  }
  const attempts = (await s.runs()).flatMap((r) => r.attempts);
  assert.ok(
    attempts.some((a) => a.errorClass === "http" && a.httpStatus === 503),
    "the outage was seen and recorded",
  );
});

test("a crash between Sage's answer and our record: the retry replays to the same invoice, no duplicate", async () => {
  // Sage commits the invoice, then the answer is lost (a 500 after the write).
  await s.sageAdmin("POST", "/faults", {
    method: "POST",
    path: "/v3.1/sales_invoices",
    kind: "error",
    status: 500,
    phase: "after",
    count: 1,
  });
  const inv = await order("crash@example.com");
  await s.settle();
  const run = await invoiceRun(inv.entity_id);
  assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);
  assert.equal(await countByReference(inv.increment_id), 1, "exactly one Sage invoice");
  assert.ok(
    run.attempts.some((a) => a.step === "post-invoice" && a.outcome === "failed"),
    "the lost answer was an attempt",
  );
});
