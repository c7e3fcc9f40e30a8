import "@/test/support/env";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { appInngestEnv, executorAuth } from "@/test/support/inngest";
import { spawnRouteServer } from "@/test/support/route-server";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import {
  callJson,
  closedPort,
  MAGENTO_ROUTE_FILES,
  startIntakeHarness,
  type IntakeHarness,
} from "../../test/support/magento/intake-harness";
import { rowCounts, seedStore, webhookBody, type SeededStore } from "../../test/support/builders/stores";

/** Accepted webhooks: runs per binding, idempotent repeats (§12.1), concurrency, and 503s. */

let h: IntakeHarness;
// Imported after the harness pointed the app at its executor: the Inngest client reads its environment once, when constructed.
let dispatchWaitingRuns: typeof import("@/lib/sync/dispatch").dispatchWaitingRuns;
const now = () => Math.floor(Date.now() / 1000);
const token = (s: SeededStore) => mintOutboundForApiKey(s.apiKey, s.connectionId, now());

function deliver(s: SeededStore, event: string, body: string, key: string | null, query = "") {
  return h.request("POST", `/webhooks/magento/${s.connectionId}/${event}${query}`, {
    token: token(s),
    body,
    headers: key === null ? {} : { "Idempotency-Key": key },
  });
}

async function executorEvent(id: string): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${h.executor.url}/v1/events/${encodeURIComponent(id)}`, { headers: executorAuth() });
  if (res.status !== 200) return null;
  return ((await res.json()) as { data: Record<string, unknown> | null }).data;
}

/** Events leave after the 202 (commit, then send): wait for one to arrive. */
async function arrivedEvent(id: string): Promise<Record<string, unknown> | null> {
  for (let i = 0; i < 400; i++) {
    const event = await executorEvent(id);
    if (event) return event;
    await new Promise((r) => setTimeout(r, 25));
  }
  return null;
}

before(async () => {
  h = await startIntakeHarness();
  ({ dispatchWaitingRuns } = await import("@/lib/sync/dispatch"));
});
after(async () => {
  await h.stop();
  await db().$disconnect();
});
beforeEach(() => truncateAll());

describe("webhook intake", () => {
  it("stores one run per live binding with the policy snapshot and dispatches the active ones", async () => {
    const s = await seedStore({ bindings: [{ status: "active" }, { status: "pending_sage", provider: "xero" }, { status: "revoked" }] });
    const res = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
    assert.equal(res.status, 202, res.text);
    assert.equal(res.headers.get("cache-control"), "no-store, no-transform", "never cached, never compressed");
    const runs = await db().syncRun.findMany({ orderBy: { createdAt: "asc" }, include: { receipt: true } });
    assert.equal(runs.length, 2);
    assert.equal(res.json.sync_run_id, runs.find((r) => r.bindingId === s.bindingIds[0])?.id);
    const [active, waiting] = [runs.find((r) => r.bindingId === s.bindingIds[0])!, runs.find((r) => r.bindingId === s.bindingIds[1])!];
    assert.equal(active.status, "queued");
    assert.equal(active.inngestEventId, `run:${active.id}`);
    assert.equal(waiting.status, "waiting");
    assert.equal(waiting.inngestEventId, null);
    assert.equal(waiting.provider, "xero");
    for (const r of runs) {
      assert.equal(r.event, "invoice.created");
      assert.equal(r.entityType, "invoice");
      assert.equal(r.magentoEntityId, 42n, "stored as bigint");
      assert.equal(r.magentoIncrementId, "000000042");
      assert.equal(r.websiteId, 1n);
      assert.equal(r.storeId, 1n);
      assert.equal(r.occurredAt?.toISOString(), "2026-04-30T12:00:00.000Z");
      assert.equal(r.idempotencyKey, "invoice.created:42");
      assert.equal(r.policyVersion, 1);
      assert.equal((r.policySnapshot as Record<string, unknown>).sync_unpaid_invoices !== undefined, true);
      assert.equal(r.receipt?.generation, 1);
      assert.equal(r.receipt?.bodySha256, createHash("sha256").update(webhookBody(42)).digest("hex"));
    }
    const event = await arrivedEvent(`run:${active.id}`);
    assert.equal(event?.name, "ledger/invoice.created");
    assert.deepEqual((event?.data as Record<string, unknown>).runId, active.id);
    assert.equal(await executorEvent(`run:${waiting.id}`), null);

    // Sage gets connected: the waiting run starts with the policy as it is now.
    await db().binding.update({ where: { id: s.bindingIds[1] }, data: { status: "active" } });
    assert.equal(await dispatchWaitingRuns(s.bindingIds[1]), 1);
    const started = await db().syncRun.findUniqueOrThrow({ where: { id: waiting.id } });
    assert.equal(started.status, "queued");
    assert.equal(started.inngestEventId, `run:${waiting.id}`);
    assert.equal((await executorEvent(`run:${waiting.id}`))?.name, "ledger/invoice.created");
    assert.equal(await dispatchWaitingRuns(s.bindingIds[1]), 0);
  });

  it("?provider= fans out to that provider's bindings only", async () => {
    const s = await seedStore({ bindings: [{ status: "active" }, { status: "active", provider: "xero" }] });
    const res = await deliver(s, "customer.upserted", webhookBody(7, { payload: [] }), "customer.upserted:7", "?provider=xero");
    assert.equal(res.status, 202, res.text);
    const runs = await db().syncRun.findMany();
    assert.deepEqual(
      runs.map((r) => [r.bindingId, r.entityType, r.magentoIncrementId]),
      [[s.bindingIds[1], "customer", null]],
    );
  });

  it("without an Idempotency-Key header uses Magento's derived key <event>:sha1(body)", async () => {
    const s = await seedStore();
    const body = webhookBody(9);
    const res = await deliver(s, "creditmemo.created", body, null);
    assert.equal(res.status, 202, res.text);
    const run = await db().syncRun.findFirstOrThrow();
    assert.equal(run.idempotencyKey, `creditmemo.created:${createHash("sha1").update(body).digest("hex")}`);
  });

  it("a repeat of a live or succeeded key answers 200 with the original sync_run_id and stores nothing new", async () => {
    const s = await seedStore({ bindings: [{ status: "active" }, { status: "active", provider: "xero" }] });
    const first = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
    assert.equal(first.status, 202);
    const counts = await rowCounts();
    // Magento's resync CLI: same key, fresh occurred_at.
    const again = await deliver(s, "invoice.created", webhookBody(42, { occurred_at: "2026-05-01T08:00:00Z" }), "invoice.created:42");
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.sync_run_id, first.json.sync_run_id);
    await db().syncRun.updateMany({ data: { status: "succeeded" } });
    const third = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
    assert.equal(third.json.sync_run_id, first.json.sync_run_id);
    const after = await rowCounts();
    assert.deepEqual([after.receipts, after.runs], [counts.receipts, counts.runs]);
    assert.equal(after.jtis, counts.jtis + 2);
  });

  it("a burst of 40 distinct deliveries shares its statements: each answered with its own run, written in fewer transactions than deliveries", async () => {
    const s = await seedStore();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => deliver(s, "invoice.created", webhookBody(1000 + i), `invoice.created:${1000 + i}`)),
    );
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([202]));
    const runs = await db().syncRun.findMany();
    const byId = new Map(runs.map((r) => [r.id, Number(r.magentoEntityId)]));
    assert.deepEqual(
      answers.map((a) => byId.get(a.json.sync_run_id as string)),
      answers.map((_, i) => 1000 + i),
    );
    // Rows written by one transaction share its id (xmin): a batch is one statement, one commit.
    const [{ n }] = await db().$queryRaw<{ n: number }[]>`SELECT count(DISTINCT xmin::text)::int AS n FROM webhook_receipts`;
    assert.ok(n < 40, `${n} transactions for 40 deliveries`);
  });

  it("one token sent twice at once: one delivery stored, the other refused as replayed", async () => {
    const s = await seedStore();
    const shared = token(s);
    const send = (id: number) =>
      h.request("POST", `/webhooks/magento/${s.connectionId}/invoice.created`, {
        token: shared,
        body: webhookBody(id),
        headers: { "Idempotency-Key": `invoice.created:${id}` },
      });
    const answers = await Promise.all([send(51), send(52), send(53)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [202, 401, 401]);
    assert.deepEqual(
      answers.filter((a) => a.status === 401).map((a) => a.json.error),
      ["token_replayed", "token_replayed"],
    );
    const counts = await rowCounts();
    assert.deepEqual([counts.receipts, counts.runs, counts.jtis], [1, 1, 1]);
  });

  it("deliveries of another store in the same burst fail alone: a revoked store's 4xx does not touch its neighbours", async () => {
    const live = await seedStore();
    const revoked = await seedStore({ bindings: [{ status: "revoked" }] });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        deliver(i % 3 ? live : revoked, "invoice.created", webhookBody(2000 + i), `invoice.created:${2000 + i}`),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map((_, i) => (i % 3 ? 202 : 401)),
      answers.map((a) => a.text).join("\n"),
    );
    assert.equal(await db().syncRun.count(), 8);
  });

  it("half a surrogate pair in a body → 400 bad_request (PostgreSQL cannot store it, PHP cannot send it); its neighbours are stored", async () => {
    const s = await seedStore();
    const poison = webhookBody(3005, { payload: { increment_id: "X" } }).replace('"X"', '"\\ud800"');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        deliver(s, "invoice.created", i === 5 ? poison : webhookBody(3000 + i), `invoice.created:${3000 + i}`),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map((_, i) => (i === 5 ? 400 : 202)),
    );
    assert.equal(answers[5].json.error, "bad_request");
    assert.equal(await db().syncRun.count(), 11);
  });

  it("a delivery the database refuses fails alone (503, Magento retries it); the rest of its batch is stored", async () => {
    const s = await seedStore();
    // A refusal from PostgreSQL itself, for one entity only: a constraint the test adds and drops.
    await db().$executeRawUnsafe(`ALTER TABLE sync_runs ADD CONSTRAINT refuse_4005 CHECK (magento_entity_id <> 4005) NOT VALID`);
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => deliver(s, "invoice.created", webhookBody(4000 + i), `invoice.created:${4000 + i}`)),
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        answers.map((_, i) => (i === 5 ? 503 : 202)),
      );
      const runs = await db().syncRun.findMany({ select: { magentoEntityId: true } });
      assert.deepEqual(
        runs.map((r) => Number(r.magentoEntityId)).sort(),
        [4000, 4001, 4002, 4003, 4004, 4006, 4007, 4008, 4009, 4010, 4011],
      );
      assert.equal(await db().webhookReceipt.count(), 11, "the refused delivery left no receipt: its retry starts afresh");
    } finally {
      await db().$executeRawUnsafe(`ALTER TABLE sync_runs DROP CONSTRAINT refuse_4005`);
    }
  });

  it("10 concurrent identical deliveries → one receipt, one run per binding, one answer", async () => {
    const s = await seedStore({ bindings: [{ status: "active" }, { status: "pending_sage", provider: "xero" }] });
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(s, "invoice.paid", webhookBody(42), "invoice.paid:42")));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    assert.equal(new Set(answers.map((a) => a.json.sync_run_id)).size, 1);
    const counts = await rowCounts();
    assert.deepEqual([counts.receipts, counts.runs, counts.jtis], [1, 2, 10]);
  });

  for (const terminal of ["failed", "skipped_by_policy"] as const) {
    it(`a repeat after ${terminal} starts a new generation for that binding only`, async () => {
      const s = await seedStore({ bindings: [{ status: "active" }, { status: "active", provider: "xero" }] });
      const first = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
      await db().syncRun.updateMany({ where: { bindingId: s.bindingIds[0] }, data: { status: terminal } });
      await db().syncRun.updateMany({ where: { bindingId: s.bindingIds[1] }, data: { status: "succeeded" } });
      const again = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
      assert.equal(again.status, 202, again.text);
      assert.notEqual(again.json.sync_run_id, first.json.sync_run_id);
      const fresh = await db().syncRun.findUniqueOrThrow({ where: { id: String(again.json.sync_run_id) }, include: { receipt: true } });
      assert.equal(fresh.bindingId, s.bindingIds[0]);
      assert.equal(fresh.status, "queued");
      assert.equal(fresh.receipt?.generation, 2);
      assert.equal((await rowCounts()).runs, 3);
      // and the new generation is itself deduplicated
      const third = await deliver(s, "invoice.created", webhookBody(42), "invoice.created:42");
      assert.equal(third.status, 200);
      assert.equal(third.json.sync_run_id, again.json.sync_run_id);
    });
  }

  it("a succeeded key returning after Magento's outbox GC with a new body is processed again", async () => {
    const s = await seedStore();
    const first = await deliver(s, "customer.upserted", webhookBody(7), "customer.upserted:7");
    await db().syncRun.updateMany({ data: { status: "succeeded" } });
    await db().webhookReceipt.updateMany({ data: { createdAt: new Date(Date.now() - 31 * 24 * 3600_000) } });
    const same = await deliver(s, "customer.upserted", webhookBody(7), "customer.upserted:7");
    assert.equal(same.json.sync_run_id, first.json.sync_run_id, "same body: still a repeat");
    const edited = await deliver(s, "customer.upserted", webhookBody(7, { occurred_at: "2026-06-01T00:00:00Z" }), "customer.upserted:7");
    assert.equal(edited.status, 202);
    assert.notEqual(edited.json.sync_run_id, first.json.sync_run_id);
  });
});

describe("webhook intake: commit, then send", () => {
  it("Inngest unreachable: still 202, the run is stored queued and not yet dispatched (the relay and the sweep send it later)", async () => {
    const s = await seedStore();
    const child = await spawnRouteServer(MAGENTO_ROUTE_FILES, {
      ...appInngestEnv(`http://127.0.0.1:${await closedPort()}`),
      LOG_LEVEL: "silent",
    });
    try {
      const res = await callJson(`${child.url}/webhooks/magento/${s.connectionId}/invoice.created`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token(s)}`, "Idempotency-Key": "invoice.created:42", "Content-Type": "application/json" },
        body: webhookBody(42),
      });
      assert.equal(res.status, 202, res.text);
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: String(res.json.sync_run_id) } });
      assert.equal(run.status, "queued");
      assert.equal(run.inngestEventId, `run:${run.id}`);
      assert.deepEqual(
        await db().runOutbox.findUnique({ where: { runId: run.id }, select: { eventId: true } }),
        { eventId: run.inngestEventId },
        "the send failed: the outbox still owes the run's event, for the sweep",
      );
    } finally {
      await child.stop();
    }
    const counts = await rowCounts();
    assert.deepEqual([counts.receipts, counts.runs, counts.jtis], [1, 1, 1]);
  });
});

describe("webhook intake: transient failures answer 503", () => {
  it("503 (never 401) when the database is down, for webhooks and the health tile", async () => {
    const s = await seedStore();
    const dbUrl = `postgresql://postgres@127.0.0.1:${await closedPort()}/ledger_test`;
    const child = await spawnRouteServer(MAGENTO_ROUTE_FILES, {
      DATABASE_URL: dbUrl,
      ...appInngestEnv(h.executor.url),
      LOG_LEVEL: "silent",
    });
    try {
      const hook = await callJson(`${child.url}/webhooks/magento/${s.connectionId}/invoice.created`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token(s)}`, "Content-Type": "application/json" },
        body: webhookBody(42),
      });
      assert.equal(hook.status, 503, hook.text);
      assert.equal(hook.json.error, "service_unavailable");
      const health = await callJson(`${child.url}/v1/tile/health`, { headers: { Authorization: `Bearer ${token(s)}` } });
      assert.equal(health.status, 503, health.text);
    } finally {
      await child.stop();
    }
  });
});
