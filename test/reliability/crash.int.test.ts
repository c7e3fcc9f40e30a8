import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { db } from "@/lib/db";
import { appInngestEnv } from "@/test/support/inngest";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { freePort, startApp, startExecutorProcess, startRelay, type Child, type Relay } from "./support/processes";
import { pendingOutbox, sageCount } from "./support/storm";

/**
 * Crash injection: the app (route handlers for webhooks, v1 and /api/inngest) and the executor run as
 * child processes and are SIGKILLed at step boundaries — including after Sage committed a document and
 * before Ledger recorded it. After a restart every run completes, nothing is duplicated in Sage and no
 * Magento event is lost.
 *
 * The workspace is set up by startSyncStack's real flows; then its in-process executor is stopped and
 * Magento is pointed at a relay in front of the child app, so every later call crosses process lines.
 */

let s: SyncStack;
let relay: Relay;
let app: Child | undefined;
let executor: Child | undefined;
let executorPort = 0;
const databaseUrl = process.env.DATABASE_URL!;

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function restartApp(): Promise<void> {
  await app?.kill();
  app = await startApp({ ...appInngestEnv(`http://127.0.0.1:${executorPort}`), LOG_LEVEL: "silent" });
  relay.target(app.port);
}

async function restartExecutor(): Promise<void> {
  await executor?.kill();
  executor = await startExecutorProcess({ port: executorPort, appUrl: `${relay.url}/api/inngest`, databaseUrl });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Deliver everything Magento still holds (a killed app leaves transient failures scheduled for later), then settle. */
async function settleAll(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const retrying = (await pendingOutbox(s)).filter((r) => (r as { attempts?: number }).attempts);
    if (retrying.length) await s.magento("POST", "outbox/requeue", { ids: retrying.map((r) => r.entity_id) });
    try {
      await s.settle({ timeoutMs: 15_000 });
      if ((await pendingOutbox(s)).length === 0) return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

before(async () => {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
  s = await startSyncStack();
  // Take over: the in-process executor stops; a child executor and a child app serve from now on.
  await s.executor.stop();
  s.executor.stop = async () => undefined;
  relay = await startRelay();
  executorPort = await freePort();
  await restartApp();
  await restartExecutor();
  await waitFor(
    "the child executor to register the app",
    async () => (await sql("SELECT 1 FROM inngest_local.apps WHERE url LIKE $1", [`${relay.url}%`])).length > 0,
  );
  await sql("UPDATE magento_sim.core_config_data SET value = $1 WHERE path = 'byte8/client/base_url'", [relay.url]);
  await s.magento("POST", "products", { sku: "CRASH-1", name: "Crash helmet", type_id: "simple", price: 40, tax_class_id: 2 });
  await settleAll();
});

after(async () => {
  await app?.kill();
  await executor?.kill();
  await relay?.close();
  await s?.stop();
});

const order = async (i: number) =>
  (
    (await s.magento("POST", "orders", {
      guest: { email: `crash${i}@example.com`, firstname: "Cass", lastname: `Crash${i}` },
      lines: [{ sku: "CRASH-1", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as {
      invoice: { entity_id: number; increment_id: string };
    }
  ).invoice;
const invoicePosts = async () =>
  ((await s.sageAdmin("GET", "/stats")) as { requests: Record<string, number> }).requests["POST /v3.1/sales_invoices"] ?? 0;

test("SIGKILL the app after Sage committed the invoice and before Ledger recorded it → one invoice after restart", async () => {
  const postsBefore = await invoicePosts();
  // Sage writes the invoice, then holds the answer: the app is killed while it waits.
  await s.sageAdmin("POST", "/faults", {
    method: "POST",
    path: "/v3.1/sales_invoices",
    kind: "timeout",
    phase: "after",
    hang_ms: 8_000,
    count: 1,
  });
  const inv = await order(1);
  await s.drain();
  await waitFor("Sage to receive the invoice POST", async () => (await invoicePosts()) > postsBefore);
  await waitFor("Sage to hold the invoice", async () => (await sageCount(s, `/sales_invoices?search=${inv.increment_id}`)) === 1);
  await app!.kill();
  const [run] = (await s.runs()).filter((r) => r.event === "invoice.created" && r.magentoEntityId === inv.entity_id);
  assert.equal(run.status, "running", "Ledger has not recorded the result");
  assert.equal(
    await db().entityXref.count({ where: { entityType: "sales_invoice", magentoKey: String(inv.entity_id) } }),
    0,
    "no xref yet",
  );

  await restartApp();
  await settleAll();
  const [done] = (await s.runs()).filter((r) => r.event === "invoice.created" && r.magentoEntityId === inv.entity_id);
  assert.equal(done.status, "succeeded", `${done.errorClass} ${done.errorMessage}`);
  assert.equal(await sageCount(s, `/sales_invoices?search=${inv.increment_id}`), 1, "exactly one Sage invoice");
  assert.ok((await invoicePosts()) >= postsBefore + 2, "the step really ran again after the restart");
  const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === inv.entity_id);
  assert.equal(row?.sync_status, "synced");
  assert.equal(row?.provider_entity_id, done.providerEntityId);
});

test("SIGKILL executor and app together mid-stream (webhooks in flight, runs between steps) → every event completes once", async () => {
  const invoices: Awaited<ReturnType<typeof order>>[] = [];
  for (let i = 10; i < 16; i++) invoices.push(await order(i));
  const attemptsBefore = await db().runAttempt.count();
  const draining = s.drain().catch(() => undefined);
  // Kill both once some runs have recorded steps and others have not started.
  await waitFor("runs to be mid-flight", async () => (await db().runAttempt.count()) >= attemptsBefore + 2, 60_000);
  await Promise.all([app!.kill(), executor!.kill()]);
  await draining;
  const midway = (await s.runs()).filter((r) => r.event === "invoice.created" && invoices.some((i) => i.entity_id === r.magentoEntityId));
  assert.ok(midway.some((r) => r.status !== "succeeded") || midway.length < invoices.length, "the crash interrupted work");

  await restartApp();
  await restartExecutor();
  await settleAll();

  const runs = (await s.runs()).filter((r) => r.event === "invoice.created" && invoices.some((i) => i.entity_id === r.magentoEntityId));
  assert.equal(runs.length, invoices.length, "one run per invoice: nothing lost, nothing doubled");
  assert.deepEqual(
    runs.filter((r) => r.status !== "succeeded").map((r) => `${r.magentoEntityId}: ${r.status} ${r.errorMessage}`),
    [],
  );
  for (const inv of invoices)
    assert.equal(await sageCount(s, `/sales_invoices?search=${inv.increment_id}`), 1, `invoice ${inv.increment_id} once`);
  const outbox = (await s.magento("GET", "outbox")) as unknown as { rows?: { status: string }[] } | { status: string }[];
  const rows = Array.isArray(outbox) ? outbox : (outbox.rows ?? []);
  assert.deepEqual(
    rows.filter((r) => r.status !== "succeeded"),
    [],
    "Magento's outbox delivered everything, no dead letters",
  );
  const mirror = await s.mirror("invoice");
  for (const inv of invoices) assert.equal(mirror.find((m) => Number(m.magento_id) === inv.entity_id)?.sync_status, "synced");
});
