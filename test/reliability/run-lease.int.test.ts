import "@/test/support/env";
import "./support/als";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { db } from "@/lib/db";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { actionRequest, inRequestScope, sessionCookie } from "./support/next-request";
import { sageCount } from "./support/storm";

/**
 * Issue 12 #4 — no run stays `running` forever. A run whose execution is lost mid-step (here: the
 * executor's run is cancelled while Sage holds the invoice POST, as if the executor had been restored
 * from an older backup) is recovered by the sweep once its lease (LEDGER_RUN_LEASE, 15 min) has run
 * out — time is moved by ageing the row, never by waiting — and completes once: one Sage invoice.
 * After LEDGER_RUN_LEASE_RECOVERIES recoveries it is failed as `internal` with the chip pushed, and the
 * dashboard's Retry (the server action behind the button) works on it — and on a run stuck `running`
 * before the sweep got to it.
 */

let s: SyncStack;
let cookie: string;

before(async () => {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
  s = await startSyncStack();
  cookie = await sessionCookie(s.userId);
  await s.magento("POST", "products", { sku: "LEASE-1", name: "Lease lantern", type_id: "simple", price: 25, tax_class_id: 2 });
  await s.settle();
});
after(async () => {
  await s?.stop();
});

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const invoiceRun = async (entityId: number) =>
  (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === entityId)!;

/**
 * A run stuck `running`: Sage commits its invoice and holds the answer while the executor's run is
 * cancelled underneath it, so nothing will ever settle the row.
 */
async function stuckRun(email: string) {
  await s.sageAdmin("POST", "/faults", {
    method: "POST",
    path: "/v3.1/sales_invoices",
    kind: "timeout",
    phase: "after",
    hang_ms: 2_000,
    count: 1,
  });
  const { invoice } = (await s.magento("POST", "orders", {
    guest: { email, firstname: "Lea", lastname: "Se" },
    lines: [{ sku: "LEASE-1", qty: 1, tax_percent: 20 }],
    payment_method: "checkmo",
    invoice_state: "open",
  })) as unknown as {
    invoice: { entity_id: number; increment_id: string };
  };
  await s.drain();
  await waitFor("Sage to hold the invoice", async () => (await sageCount(s, `/sales_invoices?search=${invoice.increment_id}`)) === 1);
  const run = await invoiceRun(invoice.entity_id);
  await sql("UPDATE inngest_local.runs SET status = 'Cancelled', ended_at = now() WHERE event_id = $1", [run.inngestEventId]);
  await sql("DELETE FROM inngest_local.queue WHERE run_id IN (SELECT id FROM inngest_local.runs WHERE event_id = $1)", [
    run.inngestEventId,
  ]);
  // The held step finishes in the app (its attempt is recorded), but nobody will take the next step.
  await waitFor(
    "the held step to finish",
    async () => (await db().runAttempt.count({ where: { runId: run.id, step: "post-invoice" } })) === 1,
  );
  await new Promise((r) => setTimeout(r, 300));
  const stuck = await db().syncRun.findUniqueOrThrow({ where: { id: run.id } });
  assert.equal(stuck.status, "running", "the run is stuck");
  return { invoice, runId: run.id };
}

/** Move the run's last progress back past the lease (15 min by default). */
const ageRun = (runId: string, minutes = 20) =>
  sql(`UPDATE sync_runs SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [runId, minutes]);

async function sweepLeases() {
  const { recoverExpiredLeases } = await import("@/lib/sync/lease");
  return recoverExpiredLeases();
}

async function retryFromDashboard(runId: string): Promise<{ ok: boolean; message: string }> {
  const { retryRunAction } = await import("@/app/dashboard/sync/actions");
  const form = new FormData();
  form.set("runId", runId);
  const r = await inRequestScope(actionRequest(cookie, s.tenantId), () => retryRunAction(null, form));
  return r.ok ? { ok: true, message: r.data } : { ok: false, message: r.error.message };
}

test("a run whose execution was lost is recovered by the sweep after its lease and completes once", async () => {
  const { invoice, runId } = await stuckRun("lease-1@example.com");
  // Within its lease a run is left alone.
  await sweepLeases();
  assert.equal((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).status, "running");
  assert.equal((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).leaseRecoveries, 0);

  await ageRun(runId);
  await sweepLeases();
  const recovered = await db().syncRun.findUniqueOrThrow({ where: { id: runId }, include: { attempts: true } });
  assert.equal(recovered.leaseRecoveries, 1);
  assert.match(recovered.inngestEventId ?? "", /:recover:1$/);
  assert.ok(
    recovered.attempts.some((a) => a.step === "lease-recovery" && /dispatched again \(recovery 1 of 3\)/.test(a.errorMessage ?? "")),
  );

  await s.settle();
  const done = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  assert.equal(done.status, "succeeded", `${done.errorClass} ${done.errorMessage}`);
  assert.equal(await sageCount(s, `/sales_invoices?search=${invoice.increment_id}`), 1, "exactly one Sage invoice");
  assert.equal((await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)?.sync_status, "synced");
});

test("after the last recovery the sweep fails the run as internal and pushes the chip; the dashboard's Retry completes it", async () => {
  const { invoice, runId } = await stuckRun("lease-2@example.com");
  // As if the sweep had already recovered it three times (LEDGER_RUN_LEASE_RECOVERIES) without progress.
  await sql("UPDATE sync_runs SET lease_recoveries = 3 WHERE id = $1", [runId]);
  await ageRun(runId);
  await sweepLeases();
  const failed = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  assert.equal(failed.status, "failed");
  assert.equal(failed.errorClass, "internal");
  assert.match(failed.errorMessage ?? "", /No progress for more than 15 min, 4 times/);
  await waitFor("the failed chip in Magento", async () => {
    const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id);
    return row?.sync_status === "failed" && row.error_code === "internal";
  });

  const retried = await retryFromDashboard(runId);
  assert.equal(retried.ok, true, retried.message);
  await s.settle();
  const done = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  assert.equal(done.status, "succeeded", `${done.errorClass} ${done.errorMessage}`);
  assert.equal(done.leaseRecoveries, 0, "a retry starts the count again");
  assert.equal(await sageCount(s, `/sales_invoices?search=${invoice.increment_id}`), 1, "exactly one Sage invoice");
  assert.equal((await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)?.sync_status, "synced");
});

test("the dashboard's Retry works on a run stuck running past its lease, and is refused within it", async () => {
  const { invoice, runId } = await stuckRun("lease-3@example.com");
  const { getRunDetail } = await import("@/lib/history/detail");
  assert.equal((await getRunDetail(s.tenantId, runId))?.retryable, false, "no Retry within the lease");
  const early = await retryFromDashboard(runId);
  assert.equal(early.ok, false);
  assert.match(early.message, /running/);

  await ageRun(runId);
  assert.equal((await getRunDetail(s.tenantId, runId))?.retryable, true, "Retry offered once the lease ran out");
  const retried = await retryFromDashboard(runId);
  assert.equal(retried.ok, true, retried.message);
  await s.settle();
  const done = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
  assert.equal(done.status, "succeeded", `${done.errorClass} ${done.errorMessage}`);
  assert.equal(await sageCount(s, `/sales_invoices?search=${invoice.increment_id}`), 1, "exactly one Sage invoice");
});
