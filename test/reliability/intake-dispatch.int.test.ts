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
  assert.equal(run.dispatchedAt, null, "the event never left the killed process");

  executor = await startExecutorOn(0);
  await pointAppAtExecutor(executor.url);
  const { sweepStaleRuns } = await import("@/lib/sync/sweep");
  const swept = await sweepStaleRuns({ undispatchedAfterMs: 0 });
  assert.equal(swept.undispatched, 1);
  assert.ok(await executorHas(executor, `run:${run.id}`), "the run's event reached Inngest");
  const after = await db().syncRun.findUniqueOrThrow({ where: { id: run.id } });
  assert.notEqual(after.dispatchedAt, null);
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
  await waitFor("every run recorded as dispatched", async () => (await db().syncRun.count({ where: { dispatchedAt: null } })) === 0);
});
