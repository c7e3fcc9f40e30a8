import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { seedStore } from "@/test/support/builders/stores";
import { signingKeys } from "@/test/support/inngest";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { callServe, driveRun, executorRunForEvent, type StepResult } from "./support/hand-executor";
import { diff, snapshot } from "./support/snapshot";

/**
 * Issue 12 #1 and #2 — nobody but the executor runs Ledger's steps, and a step never trusts a memo.
 *
 * #1: the attack as it was found: a POST to /api/inngest replaying a real run's memoised steps with a
 * `start` scope and an invented £1 000 + £200 VAT Magento invoice, unsigned (and with a signature by
 * the wrong key), against the real stack. 401, and nothing anywhere changes: no Sage document, no
 * attempt row, no run change.
 *
 * #2: the same kind of memo signed with the real key (a leaked key, a compromised executor, a bug):
 * a `start` scope copied from another workspace's real run fails the run as `internal` before any
 * Magento or Sage call, and the chip says so.
 */

let s: SyncStack;
const SERVE = () => `${s.ledgerUrl}/api/inngest`;
const FN = "ledger-sync-invoice-created";

before(async () => {
  s = await startSyncStack();
  await s.magento("POST", "products", { sku: "SIGNED-1", name: "Signed lamp", type_id: "simple", price: 30, tax_class_id: 2 });
});
after(async () => {
  await s?.stop();
});

const order = async (email: string) =>
  (
    (await s.magento("POST", "orders", {
      guest: { email, firstname: "Sig", lastname: "Ned" },
      lines: [{ sku: "SIGNED-1", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as {
      invoice: { entity_id: number; increment_id: string };
    }
  ).invoice;

async function sageRequests(): Promise<Record<string, number>> {
  return ((await s.sageAdmin("GET", "/stats")) as { requests: Record<string, number> }).requests;
}
const posts = (r: Record<string, number>) =>
  Object.entries(r)
    .filter(([k]) => k.startsWith("POST ") || k.startsWith("PUT "))
    .reduce((n, [, v]) => n + v, 0);

/** The invented invoice: one £1 000 line with £200 VAT, on the real invoice's customer. */
function forgedInvoice(real: Record<string, unknown>): Record<string, unknown> {
  const line = {
    sku: "FORGED",
    name: "Consulting (forged)",
    qty: 1,
    unit_price: 1000,
    line_subtotal: 1000,
    line_tax: 200,
    line_total: 1200,
    tax_rate: 0.2,
  };
  return {
    ...real,
    increment_id: "FORGED-0001",
    lines: [line],
    subtotal: 1000,
    tax_amount: 200,
    shipping_amount: 0,
    shipping_tax_amount: 0,
    discount_amount: 0,
    grand_total: 1200,
  };
}

test("#1 an unsigned replay of a real run's memoised steps with a forged invoice → 401, and nothing changes anywhere", async () => {
  const inv = await order("signed-real@example.com");
  await s.settle();
  const run = (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === inv.entity_id)!;
  assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);

  // The forged request, built from the real run's memoised steps as the executor holds them.
  const { event, run: executed } = await executorRunForEvent(s.executor.url, run.inngestEventId!);
  const stepNamed = (name: string) => executed.steps.find((st) => st.name === name)!;
  const [start, fetched, policy] = ["start", "fetch-canonical", "apply-policy"].map(stepNamed);
  assert.ok(start && fetched && policy, `memoised steps: ${executed.steps.map((st) => st.name).join(", ")}`);
  const forgedFetch: StepResult = { data: forgedInvoice((fetched.result as { data: Record<string, unknown> }).data) };
  const storedEvent = Object.fromEntries(Object.entries(event).filter(([k]) => k !== "received_at"));
  const body = {
    event: storedEvent,
    steps: { [start.id]: start.result, [fetched.id]: forgedFetch, [policy.id]: policy.result },
    stack: [start.id, fetched.id, policy.id],
    runId: `forged-${randomUUID()}`,
  };

  const before = await snapshot();
  const sageBefore = await sageRequests();
  const wrongKey = `signkey-prod-${"ab".repeat(32)}`;
  for (const [how, key] of [
    ["unsigned", null],
    ["signed with another key", wrongKey],
  ] as const) {
    const answer = await callServe(SERVE(), FN, body, key);
    assert.equal(answer.status, 401, `${how}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }

  assert.deepEqual(diff(before, await snapshot()), [], "no run change, no attempt row, nothing stored");
  assert.deepEqual(await sageRequests(), sageBefore, "Sage was not called at all");
  const forged = (await s.sage("/sales_invoices?search=FORGED-0001")) as { $items?: unknown[] };
  assert.equal(forged.$items?.length ?? 0, 0, "no forged invoice in Sage");
  const after = await db().syncRun.findUniqueOrThrow({ where: { id: run.id }, include: { attempts: true } });
  assert.equal(after.status, "succeeded");
  assert.equal(after.attempts.length, run.attempts.length);
});

test("#2 a memoised `start` scope copied from another workspace's run fails the run as internal without calling Magento or Sage", async () => {
  // The other workspace: a real run of its own, whose scope is what a forger would copy.
  const other = await seedStore({ bindings: [{ status: "active", region: "GB" }], baseUrl: "http://127.0.0.1:9" });
  const policy = await db().syncPolicy.findFirstOrThrow({ where: { bindingId: s.bindingId }, orderBy: { version: "desc" } });
  const otherRun = await db().syncRun.create({
    data: {
      tenantId: other.tenantId,
      bindingId: other.bindingIds[0],
      event: "invoice.created",
      entityType: "invoice",
      magentoEntityId: 991,
      idempotencyKey: "invoice.created:991",
      status: "succeeded",
      provider: "sage_accounting",
      policyVersion: 1,
      policySnapshot: policy.settings ?? {},
    },
  });
  const { loadRunScope } = await import("@/lib/sync/runs");
  const otherScope = (await loadRunScope(otherRun.id))!;

  // This workspace's run for a real invoice, handed to no executor: this test is the executor.
  const inv = await order("signed-tampered@example.com");
  const id = randomUUID();
  const eventId = `run:${id}`;
  await db().syncRun.create({
    data: {
      id,
      tenantId: s.tenantId,
      bindingId: s.bindingId,
      event: "invoice.created",
      entityType: "invoice",
      magentoEntityId: inv.entity_id,
      idempotencyKey: `invoice.created:${inv.entity_id}`,
      status: "queued",
      provider: "sage_accounting",
      policyVersion: policy.version,
      policySnapshot: policy.settings ?? {},
      inngestEventId: eventId,
    },
  });
  const event = {
    id: eventId,
    name: "ledger/invoice.created",
    ts: Date.now(),
    data: {
      runId: id,
      bindingId: s.bindingId,
      tenantId: s.tenantId,
      magentoEntityId: inv.entity_id,
      entityKey: `${s.bindingId}:invoice:${inv.entity_id}`,
      sageKey: s.sageConnectionId,
    },
  };
  const sageBefore = await sageRequests();
  const otherBefore = await db().syncRun.findMany({ where: { tenantId: other.tenantId } });

  const { calls, names } = await driveRun(SERVE(), FN, { event, runId: `hand-${id}` }, signingKeys().signingKey, (name, result) => {
    if (name !== "start") return result;
    const memo = (result as { data: { go: boolean; scope: Record<string, unknown> } }).data;
    return { data: { ...memo, scope: { ...otherScope, runId: id, inngestEventId: eventId, magentoEntityId: inv.entity_id } } };
  });
  assert.equal(calls.at(-1)?.status, 200, `the run ended: ${calls.at(-1)?.text.slice(0, 300)}`);
  assert.ok(Object.values(names).includes("record-failure"), `steps: ${Object.values(names).join(", ")}`);

  const done = await db().syncRun.findUniqueOrThrow({ where: { id }, include: { attempts: true } });
  assert.equal(done.status, "failed");
  assert.equal(done.errorClass, "internal");
  assert.match(
    done.errorMessage ?? "",
    /disagrees with the run's record \(tenantId, bindingId, magentoConnectionId, sageConnectionId, sageBusinessId\)/,
  );
  assert.deepEqual(
    done.attempts.map((a) => [a.step, a.outcome, a.errorClass]),
    [["fetch-canonical", "failed", "internal"]],
  );
  assert.equal(posts(await sageRequests()), posts(sageBefore), "nothing was posted to Sage");
  assert.deepEqual(
    await db().syncRun.findMany({ where: { tenantId: other.tenantId } }),
    otherBefore,
    "the other workspace's runs are untouched",
  );

  // The chip: the real executor runs the push the failed run asked for.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === inv.entity_id);
    if (row?.sync_status === "failed") {
      assert.equal(row.error_code, "internal");
      break;
    }
    if (Date.now() > deadline) throw new Error(`no failed chip: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

test("#3 an execution whose run was handed to another event stops quietly: recognised by the error's name across Inngest's round trip, the run is left to its new owner", async () => {
  const policy = await db().syncPolicy.findFirstOrThrow({ where: { bindingId: s.bindingId }, orderBy: { version: "desc" } });
  const inv = await order("signed-stale@example.com");
  const id = randomUUID();
  const eventId = `run:${id}`;
  // The row already belongs to a retry's event; this (older) execution still carries the first one.
  await db().syncRun.create({
    data: {
      id,
      tenantId: s.tenantId,
      bindingId: s.bindingId,
      event: "invoice.created",
      entityType: "invoice",
      magentoEntityId: inv.entity_id,
      idempotencyKey: `invoice.created:${inv.entity_id}`,
      status: "queued",
      provider: "sage_accounting",
      policyVersion: policy.version,
      policySnapshot: policy.settings ?? {},
      inngestEventId: `${eventId}:retry:1`,
    },
  });
  const event = {
    id: eventId,
    name: "ledger/invoice.created",
    ts: Date.now(),
    data: {
      runId: id,
      bindingId: s.bindingId,
      tenantId: s.tenantId,
      magentoEntityId: inv.entity_id,
      entityKey: `${s.bindingId}:invoice:${inv.entity_id}`,
      sageKey: s.sageConnectionId,
    },
  };
  const sageBefore = await sageRequests();
  const { calls, names } = await driveRun(SERVE(), FN, { event, runId: `hand-stale-${id}` }, signingKeys().signingKey, (name, result) => {
    if (name !== "start") return result;
    const memo = (result as { data: { go: boolean; scope: Record<string, unknown> } }).data;
    return { data: { ...memo, scope: { ...memo.scope, inngestEventId: eventId } } };
  });
  assert.equal(calls.at(-1)?.status, 200, `the run ended: ${calls.at(-1)?.text.slice(0, 300)}`);
  assert.deepEqual(JSON.parse(calls.at(-1)?.text ?? "null"), { skipped: "stale" });
  assert.ok(!Object.values(names).includes("record-failure"), `steps: ${Object.values(names).join(", ")}`);
  const row = await db().syncRun.findUniqueOrThrow({ where: { id }, include: { attempts: true } });
  assert.equal(row.status, "running", "left to the execution that owns it now");
  assert.equal(row.errorClass, null);
  assert.deepEqual(row.attempts, [], "a stale execution records nothing");
  assert.equal(posts(await sageRequests()), posts(sageBefore), "nothing was posted to Sage");
});

test("a sync event whose payload does not match its schema fails the function at entry, naming the field; nothing runs", async () => {
  const event = { id: `bad-${randomUUID()}`, name: "ledger/invoice.created", ts: Date.now(), data: { runId: "not-a-uuid" } };
  const { calls, names } = await driveRun(SERVE(), FN, { event, runId: `hand-bad-${randomUUID()}` }, signingKeys().signingKey);
  const last = calls.at(-1);
  assert.equal(last?.status, 400, `refused: ${last?.status} ${last?.text.slice(0, 300)}`);
  assert.match(last?.text ?? "", /ledger\/invoice\.created payload does not match its schema \(runId: /);
  assert.deepEqual(Object.values(names), [], "no step ran");
});
