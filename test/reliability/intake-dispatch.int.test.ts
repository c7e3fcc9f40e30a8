import "@/test/support/env";
import assert from "node:assert/strict";
import net from "node:net";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { appInngestEnv, executorAuth, pointAppAtExecutor, signingKeys } from "@/test/support/inngest";
import { seedStore, webhookBody, type SeededStore } from "@/test/support/builders/stores";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { freePort, startApp, type Child } from "./support/processes";

/**
 * Commit, then send (issue 15 point 1): intake stores a webhook's runs, answers 202, and only then
 * hands the events to Inngest. Two failures in between must lose nothing:
 * - the app dies after the commit and before the send → the sweep sends the run;
 * - Inngest is unreachable → every webhook still gets 202, and the runs start once it is back,
 *   without Magento sending anything again.
 * The app runs as a child process (the real route handlers) that the test SIGKILLs.
 */

let app: Child | undefined;
let executor: RunningExecutor | undefined;
let hang: net.Server | undefined;
const held: net.Socket[] = [];

before(() => truncateAll());
beforeEach(() => truncateAll());
afterEach(async () => {
  await app?.kill();
  app = undefined;
  await executor?.stop();
  executor = undefined;
  for (const s of held.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (hang ? hang.close(() => resolve()) : resolve()));
  hang = undefined;
});
after(() => db().$disconnect());

const now = () => Math.floor(Date.now() / 1000);

async function deliver(base: string, s: SeededStore, id: number): Promise<{ status: number; runId: string }> {
  const res = await fetch(`${base}/webhooks/magento/${s.connectionId}/invoice.created`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${mintOutboundForApiKey(s.apiKey, s.connectionId, now())}`,
      "Idempotency-Key": `invoice.created:${id}`,
      "Content-Type": "application/json",
    },
    body: webhookBody(id),
  });
  const json = (await res.json()) as { sync_run_id?: string };
  return { status: res.status, runId: json.sync_run_id ?? "" };
}

async function executorHas(ex: RunningExecutor, eventId: string): Promise<boolean> {
  const res = await fetch(`${ex.url}/v1/events/${encodeURIComponent(eventId)}`, { headers: executorAuth() });
  if (res.status !== 200) return false;
  return ((await res.json()) as { data: unknown }).data !== null;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startExecutorOn(port: number): Promise<RunningExecutor> {
  return startExecutor({ databaseUrl: process.env.DATABASE_URL!, port, workers: 1, pollMs: 100, syncIntervalMs: 0, ...signingKeys() });
}

test("the app is killed between commit and send: the webhook got its 202, and the sweep starts the run", async () => {
  const s = await seedStore();
  // An "Inngest" that accepts connections and never answers: the send hangs after the commit.
  hang = net.createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => hang!.listen(0, "127.0.0.1", () => resolve()));
  const hangPort = (hang.address() as net.AddressInfo).port;
  app = await startApp({ ...appInngestEnv(`http://127.0.0.1:${hangPort}`), LOG_LEVEL: "silent" });

  const accepted = await deliver(`http://127.0.0.1:${app.port}`, s, 501);
  assert.equal(accepted.status, 202, "answered before the send, which is still hanging");
  await waitFor("the send to reach the hanging Inngest", async () => held.length > 0);
  await app.kill();
  app = undefined;

  const run = await db().syncRun.findUniqueOrThrow({ where: { id: accepted.runId } });
  assert.equal(run.status, "queued");
  assert.equal(
    (await db().runOutbox.findUnique({ where: { runId: run.id } }))?.eventId,
    `run:${run.id}`,
    "the event never left the killed process",
  );

  executor = await startExecutorOn(0);
  await pointAppAtExecutor(executor.url);
  const { sweepStaleRuns } = await import("@/lib/sync/sweep");
  const swept = await sweepStaleRuns({ undispatchedAfterMs: 0 });
  assert.equal(swept.undispatched, 1);
  assert.ok(await executorHas(executor, `run:${run.id}`), "the run's event reached Inngest");
  assert.equal(await db().runOutbox.count({ where: { runId: run.id } }), 0, "sent: struck from the outbox");
  assert.equal((await sweepStaleRuns({ undispatchedAfterMs: 0 })).undispatched, 0, "sent once; the next sweep finds nothing");
});

test("Inngest unreachable: every webhook still gets 202; the runs start once it is back, with nothing re-sent by Magento", async () => {
  const s = await seedStore();
  const port = await freePort(); // nothing listens here yet
  app = await startApp({ ...appInngestEnv(`http://127.0.0.1:${port}`), LOG_LEVEL: "silent" });
  const base = `http://127.0.0.1:${app.port}`;

  const answers = await Promise.all([601, 602, 603, 604, 605].map((id) => deliver(base, s, id)));
  assert.deepEqual(
    answers.map((a) => a.status),
    [202, 202, 202, 202, 202],
  );
  const runs = await db().syncRun.findMany({ where: { id: { in: answers.map((a) => a.runId) } } });
  assert.equal(runs.length, 5);
  assert.ok(runs.every((r) => r.status === "queued"));

  executor = await startExecutorOn(port);
  await waitFor("every run's event at Inngest", async () => {
    for (const r of runs) if (!(await executorHas(executor!, `run:${r.id}`))) return false;
    return true;
  });
  await waitFor("every run struck from the outbox", async () => (await db().runOutbox.count()) === 0);
});

test("the outbox owes a run's newest event only, and forgets runs that have left queued", async () => {
  const s = await seedStore();
  const port = await freePort(); // Inngest is down while the webhooks arrive
  app = await startApp({ ...appInngestEnv(`http://127.0.0.1:${port}`), LOG_LEVEL: "silent" });
  const base = `http://127.0.0.1:${app.port}`;
  const handed = await deliver(base, s, 701);
  const settled = await deliver(base, s, 702);
  assert.deepEqual([handed.status, settled.status], [202, 202]);
  await app.kill();
  app = undefined;
  assert.equal(await db().runOutbox.count(), 2, "both events are owed");

  // A recovery hands the first run to a new event while its first event is still owed…
  const { dispatchRuns, oweEvent, storedEventFor } = await import("@/lib/sync/dispatch");
  const run = await db().syncRun.findUniqueOrThrow({ where: { id: handed.runId } });
  const first = storedEventFor(run, null);
  const newer = `run:${run.id}:recover:1`;
  await db().$transaction(async (tx) => {
    await tx.syncRun.update({ where: { id: run.id }, data: { inngestEventId: newer } });
    await oweEvent(tx, run.id, newer);
  });
  // …and the second run settled although the strike of its send was lost.
  await db().syncRun.update({ where: { id: settled.runId }, data: { status: "succeeded", finishedAt: new Date() } });

  executor = await startExecutorOn(port);
  await pointAppAtExecutor(executor.url);
  await dispatchRuns([first]); // the old event's late send confirms nothing about the new one
  assert.deepEqual(await db().runOutbox.findUnique({ where: { runId: run.id }, select: { eventId: true } }), { eventId: newer });

  const { sweepStaleRuns } = await import("@/lib/sync/sweep");
  const swept = await sweepStaleRuns({ undispatchedAfterMs: 0 });
  assert.equal(swept.undispatched, 1, "the newer event is sent; the settled run is struck, not sent");
  assert.ok(await executorHas(executor, newer));
  assert.equal(await executorHas(executor, `run:${settled.runId}`), false);
  assert.equal(await db().runOutbox.count(), 0);
});

test("a retry owes its new event until sent; when Inngest cannot take it, the run goes back as it was and owes nothing", async () => {
  const s = await seedStore();
  const port = await freePort();
  app = await startApp({ ...appInngestEnv(`http://127.0.0.1:${port}`), LOG_LEVEL: "silent" });
  const delivered = await deliver(`http://127.0.0.1:${app.port}`, s, 801);
  await app.kill();
  app = undefined;
  // The run went on to fail (its first event was sent and struck long ago).
  await db().runOutbox.deleteMany();
  await db().syncRun.update({
    where: { id: delivered.runId },
    data: { status: "failed", errorClass: "provider", errorMessage: "Sage said no", finishedAt: new Date() },
  });
  const { retryRun } = await import("@/lib/sync/retry");

  await pointAppAtExecutor(`http://127.0.0.1:${port}`); // nothing listens there
  await assert.rejects(retryRun({ tenantId: s.tenantId, runId: delivered.runId, actorUserId: s.userId }), { code: "service_unavailable" });
  const restored = await db().syncRun.findUniqueOrThrow({ where: { id: delivered.runId } });
  assert.deepEqual([restored.status, restored.errorMessage, restored.inngestEventId], ["failed", "Sage said no", `run:${delivered.runId}`]);
  assert.equal(await db().runOutbox.count(), 0, "the lost retry is not left for the sweep to send behind the operator's back");

  executor = await startExecutorOn(port);
  await pointAppAtExecutor(executor.url);
  await retryRun({ tenantId: s.tenantId, runId: delivered.runId, actorUserId: s.userId });
  const retried = await db().syncRun.findUniqueOrThrow({ where: { id: delivered.runId } });
  assert.equal(retried.status, "queued");
  assert.ok(await executorHas(executor, retried.inngestEventId!), "the retry's event reached Inngest");
  assert.equal(await db().runOutbox.count(), 0, "sent, and struck");
});
