import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { startHttpReceiver, startSmtpSink, type HttpReceiver, type SmtpSink } from "@/test/support/alerts/receivers";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

/**
 * Issue 16 — every alert kind that comes from a sync, produced through both simulators and delivered
 * by the executor's alert-deliver function to a real SMTP server and a real HTTP receiver: a failed
 * run (Sage's 422), total_mismatch (the emulator's wrong_total fault, D11), a run stuck past its lease
 * (the lease sweep gives up on it), Magento unreachable (the simulator's outage admin API), and Sage
 * refusing the refresh (the refresh token revoked at the emulator). Each raises its alert event; the
 * digests then reach the inbox and the webhook, signed.
 */

let s: SyncStack;
let smtp: SmtpSink;
let hook: HttpReceiver;
let secret: string;

type Created = { invoice: { entity_id: number; increment_id: string } };

before(async () => {
  smtp = await startSmtpSink();
  hook = await startHttpReceiver();
  process.env.LEDGER_SMTP_URL = smtp.url;
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
  // The sweep fails a stuck run at its first expired lease instead of re-dispatching it.
  process.env.LEDGER_RUN_LEASE_RECOVERIES = "0";
  s = await startSyncStack();
  await s.magento("POST", "products", { sku: "BELL", name: "Brass bell", type_id: "simple", price: 20, tax_class_id: 2 });
  await s.settle();
  const { setWebhook } = await import("@/lib/notifications/webhook");
  secret = (await setWebhook(s.tenantId, hook.url)).secret!;
});
after(async () => {
  await s?.stop();
  await smtp?.stop();
  await hook?.stop();
});

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const order = async (email: string) =>
  (
    (await s.magento("POST", "orders", {
      guest: { email, firstname: "Al", lastname: "Ert" },
      lines: [{ sku: "BELL", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as Created
  ).invoice;
const invoiceRun = async (id: number) => (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === id)!;
const alerts = (kind: string) => db().alertEvent.findMany({ where: { tenantId: s.tenantId, kind } });

test("a failed run raises run_failed, linking to the run", async () => {
  await s.savePolicy({ tax_rate_map: { "20.00": "GB_RETIRED_RATE" } });
  const inv = await order("fail@example.com");
  await s.settle();
  const run = await invoiceRun(inv.entity_id);
  assert.equal(run.status, "failed");
  const [event] = await alerts("run_failed");
  assert.equal(event.dedupeKey, `run:${run.id}`);
  assert.equal(event.bindingId, s.bindingId);
  assert.match(event.summary, new RegExp(`^Invoice ${inv.increment_id} failed \\(provider\\)`));
  assert.equal(event.link, `/dashboard/sync?run=${run.id}`);
  await s.savePolicy({});
});

test("Sage storing a wrong total raises total_mismatch (D11)", async () => {
  await s.sageAdmin("POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "wrong_total", delta: 0.01, count: 1 });
  const inv = await order("wrong@example.com");
  await s.settle();
  const run = await invoiceRun(inv.entity_id);
  assert.deepEqual([run.status, run.warnings], ["succeeded", ["total_mismatch"]]);
  const [event] = await alerts("total_mismatch");
  assert.equal(event.dedupeKey, `run:${run.id}`);
  assert.match(event.summary, new RegExp(`^Invoice ${inv.increment_id} reached Sage, but Sage's totals differ`));
});

test("a run stuck past its lease raises run_stuck when the sweep gives up on it", async () => {
  await s.sageAdmin("POST", "/faults", {
    method: "POST",
    path: "/v3.1/sales_invoices",
    kind: "timeout",
    phase: "after",
    hang_ms: 2_000,
    count: 1,
  });
  const inv = await order("stuck@example.com");
  await s.drain();
  await waitFor(
    "Sage to hold the invoice",
    async () => ((await s.sage(`/sales_invoices?search=${inv.increment_id}`)) as { $total: number }).$total === 1,
  );
  const run = await invoiceRun(inv.entity_id);
  // The execution is lost underneath the run (as if the executor were restored from an old backup).
  await sql("UPDATE inngest_local.runs SET status = 'Cancelled', ended_at = now() WHERE event_id = $1", [run.inngestEventId]);
  await sql("DELETE FROM inngest_local.queue WHERE run_id IN (SELECT id FROM inngest_local.runs WHERE event_id = $1)", [
    run.inngestEventId,
  ]);
  await waitFor(
    "the held step to finish",
    async () => (await db().runAttempt.count({ where: { runId: run.id, step: "post-invoice" } })) === 1,
  );
  await new Promise((r) => setTimeout(r, 300));
  await sql("UPDATE sync_runs SET updated_at = now() - interval '20 minutes' WHERE id = $1 AND status = 'running'", [run.id]);
  const { recoverExpiredLeases } = await import("@/lib/sync/lease");
  assert.deepEqual((await recoverExpiredLeases()).failed, [run.id]);
  const [event] = await alerts("run_stuck");
  assert.equal(event.dedupeKey, `run:${run.id}`);
  assert.match(event.summary, /made no progress and was stopped/);
});

test("Magento unreachable for 10 minutes raises magento_unreachable, once per outage", async () => {
  await s.magento("POST", "outage", { mode: "error", message: "SQLSTATE[HY000] [2002] Connection refused" });
  try {
    const { pingStore } = await import("@/lib/magento/liveness");
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await pingStore(s.magentoConnectionId, { now: () => elevenMinutesAgo });
    assert.equal((await pingStore(s.magentoConnectionId)).becameUnreachable, true);
    await pingStore(s.magentoConnectionId);
  } finally {
    await s.magento("POST", "outage", { mode: "none" });
  }
  const events = await alerts("magento_unreachable");
  assert.equal(events.length, 1);
  assert.match(events[0].summary, /has not answered since .* SQLSTATE\[HY000\] \[2002\] Connection refused$/);
});

test("Sage refusing the refresh raises sage_reconnect", async () => {
  const row = await db().sageConnection.findUniqueOrThrow({ where: { id: s.sageConnectionId } });
  const refresh = appVault().decrypt(row.encryptedRefreshToken!, secretContext.sageRefreshToken(row.id));
  const revoked = await fetch(`${s.sageUrl}/revoke`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      token: refresh,
      client_id: process.env.SAGE_CLIENT_ID!,
      client_secret: process.env.SAGE_CLIENT_SECRET!,
    }).toString(),
  });
  assert.equal(revoked.status, 200);
  await db().sageConnection.update({ where: { id: row.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
  const { getAccessToken } = await import("@/lib/sage/custody");
  await assert.rejects(getAccessToken(row.id), /Sage needs reconnecting/);
  const [event] = await alerts("sage_reconnect");
  assert.match(event.summary, /needs reconnecting: .*invalid_grant/);
});

test("each kind's digest reaches the owner's inbox and the webhook through the executor, signed", async () => {
  const { flushDigests } = await import("@/lib/notifications/digest");
  const { verifySignature } = await import("@/lib/notifications/signature");
  const kinds = ["run_failed", "total_mismatch", "run_stuck", "magento_unreachable", "sage_reconnect"];
  const received = () => new Set(hook.requests.map((r) => JSON.parse(r.body).kind as string));
  await waitFor("every kind at the webhook", async () => {
    await flushDigests();
    return kinds.every((k) => received().has(k));
  }).catch(async (e: unknown) => {
    const state = await db().alertDelivery.findMany({ include: { digest: { select: { kind: true } } } });
    throw new Error(
      `${String(e)}; received ${[...received()].join()}; deliveries ${JSON.stringify(state.map((d) => [d.digest.kind, d.channel, d.status, d.attempts, d.lastError, d.dispatchedAt]))}`,
    );
  });
  await waitFor("every kind in the inbox", async () => smtp.mails.length >= kinds.length);

  for (const req of hook.requests) {
    assert.ok(verifySignature(secret, req.body, String(req.headers["ledger-signature"]), Number(req.headers["ledger-timestamp"])));
  }
  const owner = await db().user.findUniqueOrThrow({ where: { id: s.userId } });
  assert.ok(smtp.mails.every((m) => m.to.join() === owner.email));
  const subjects = smtp.mails.map((m) => m.subject).sort();
  for (const title of ["Failed runs", "Totals differ from Magento", "Stuck runs", "Magento unreachable", "Sage needs reconnecting"]) {
    assert.ok(
      subjects.some((x) => x.startsWith(`[Ledger] ${title}: `)),
      `${title} in ${subjects.join(" | ")}`,
    );
  }
  const deliveries = await db().alertDelivery.findMany({ where: { tenantId: s.tenantId } });
  assert.ok(deliveries.length >= kinds.length * 2);
  assert.ok(deliveries.every((d) => d.status === "sent"));
});
