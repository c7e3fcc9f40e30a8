import "@/test/support/env";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { db } from "@/lib/db";
import { superviseChild, type SupervisedChild } from "@/scripts/stack/children";
import { DEMO_BUSINESS_ID } from "@/sim/sage/seed";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { freePort, spawnChild, startExecutorProcess, startSageProcess, waitForHttp, type Child } from "./support/processes";
import { sageCount } from "./support/storm";

/**
 * Issue 12 #3 — workers that heal.
 * - The embedded executor (a child process, serving the real stack) survives PostgreSQL cutting all
 *   its connections mid-run (`pg_terminate_backend`), twice in a row: it logs, reconnects with
 *   backoff, and the runs it was carrying complete once.
 * - The Magento simulator and the Sage emulator survive the same and answer again.
 * - The stack's supervisor restarts a crashed component with backoff and logs the restart.
 */

const databaseUrl = process.env.DATABASE_URL!;
const repoRoot = path.resolve(import.meta.dirname, "../..");

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Cut every connection `application` holds to the test database; how many were cut. */
async function cut(application: string): Promise<number> {
  const rows = await sql<{ n: string }>(
    "SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()) t",
    [application],
  );
  return Number(rows[0].n);
}
const connections = async (application: string) =>
  Number(
    (
      await sql<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", [
        application,
      ])
    )[0].n,
  );

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free port below Linux's ephemeral range (32768+), so a restarted server can always bind it again. */
async function stablePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  return freePort();
}

const alive = (c: Child) => c.proc.exitCode === null && c.proc.signalCode === null;

describe("the embedded executor survives its connections being cut mid-run, twice in a row", () => {
  let s: SyncStack;
  let executor: Child;

  before(async () => {
    process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
    s = await startSyncStack();
    // The app keeps sending to the executor's address: a child executor takes over on that port.
    const port = Number(new URL(s.executor.url).port);
    await s.executor.stop();
    s.executor.stop = async () => undefined;
    executor = await startExecutorProcess({ port, appUrl: `${s.ledgerUrl}/api/inngest`, databaseUrl });
    await s.magento("POST", "products", { sku: "HEAL-1", name: "Healing balm", type_id: "simple", price: 12, tax_class_id: 2 });
    await s.settle();
  });
  after(async () => {
    await executor?.kill();
    await s?.stop();
  });

  const order = async (i: number) =>
    (
      (await s.magento("POST", "orders", {
        guest: { email: `heal${i}@example.com`, firstname: "Hal", lastname: `Heal${i}` },
        lines: [{ sku: "HEAL-1", qty: 1, tax_percent: 20 }],
        payment_method: "checkmo",
        invoice_state: "open",
      })) as unknown as {
        invoice: { entity_id: number; increment_id: string };
      }
    ).invoice;

  test("cut, reconnect, cut again: every run completes once and the process never dies", async () => {
    const posts = async () =>
      ((await s.sageAdmin("GET", "/stats")) as { requests: Record<string, number> }).requests["POST /v3.1/sales_invoices"] ?? 0;
    const before = await posts();
    // Sage holds the first invoice POSTs, so the runs are mid-step when the connections go.
    await s.sageAdmin("POST", "/faults", {
      method: "POST",
      path: "/v3.1/sales_invoices",
      kind: "timeout",
      phase: "before",
      hang_ms: 1_500,
      count: 2,
    });
    const invoices: Awaited<ReturnType<typeof order>>[] = [];
    for (let i = 0; i < 4; i++) invoices.push(await order(i));
    await s.drain();
    await waitFor("Sage to receive invoice POSTs", async () => (await posts()) > before);

    assert.ok((await cut("inngest-local")) >= 1, "the executor had connections to cut");
    await waitFor("the executor to reconnect", async () => (await connections("inngest-local")) >= 1);
    assert.ok((await cut("inngest-local")) >= 1, "and had reconnected when cut again");
    assert.ok(alive(executor), `the executor survived:\n${executor.output().slice(-2000)}`);

    await s.settle({ timeoutMs: 120_000 });
    assert.ok(alive(executor), `the executor is still up:\n${executor.output().slice(-2000)}`);
    const runs = (await s.runs()).filter((r) => r.event === "invoice.created" && invoices.some((i) => i.entity_id === r.magentoEntityId));
    assert.equal(runs.length, invoices.length);
    assert.deepEqual(
      runs.filter((r) => r.status !== "succeeded").map((r) => `${r.magentoEntityId}: ${r.status} ${r.errorMessage}`),
      [],
    );
    for (const inv of invoices)
      assert.equal(await sageCount(s, `/sales_invoices?search=${inv.increment_id}`), 1, `invoice ${inv.increment_id} once`);
    assert.match(executor.output(), /database connection lost; reconnecting/, "the cut was noticed and logged");

    // And the healed pool keeps working for new work.
    const later = await order(9);
    await s.settle();
    const run = (await s.runs()).find((r) => r.magentoEntityId === later.entity_id && r.event === "invoice.created");
    assert.equal(run?.status, "succeeded");
  });
});

describe("the simulators survive their connections being cut", () => {
  test("the Magento simulator and the Sage emulator answer again after two cuts and never exit", async () => {
    const [magentoPort, sagePort] = [await freePort(), await freePort()];
    const magento = spawnChild(
      ["sim/magento/server.ts"],
      {
        MAGENTO_SIM_DATABASE_URL: databaseUrl,
        MAGENTO_SIM_PORT: String(magentoPort),
        MAGENTO_SIM_STORE: `heal-${magentoPort}`,
        MAGENTO_SIM_DRAIN_SECONDS: "1",
        PGAPPNAME: "heal-magento-sim",
        LOG_LEVEL: "warn",
      },
      magentoPort,
    );
    const sage = await startSageProcess({
      SAGE_EMU_DATABASE_URL: databaseUrl,
      SAGE_EMU_PORT: String(sagePort),
      PGAPPNAME: "heal-sage-emu",
      LOG_LEVEL: "warn",
    });
    try {
      const magentoUrl = `http://127.0.0.1:${magentoPort}`;
      const sageUrl = `http://127.0.0.1:${sagePort}`;
      await waitForHttp(`${magentoUrl}/admin/api/state`, magento);
      await waitForHttp(`${sageUrl}/healthz`, sage);
      const magentoWorks = async (i: number) =>
        (
          await fetch(`${magentoUrl}/admin/api/products`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ sku: `CUT-${i}`, name: `Cut ${i}`, type_id: "simple", price: 5, tax_class_id: 2 }),
          })
        ).status;
      const sageWorks = async () => {
        const token = await fetch(`${sageUrl}/_admin/tokens`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ business_id: DEMO_BUSINESS_ID }),
        });
        if (token.status !== 201) return token.status;
        const { access_token } = (await token.json()) as { access_token: string };
        return (
          await fetch(`${sageUrl}/v3.1/contacts`, { headers: { authorization: `Bearer ${access_token}`, "x-business": DEMO_BUSINESS_ID } })
        ).status;
      };
      assert.equal(await magentoWorks(0), 200);
      assert.equal(await sageWorks(), 200);

      for (let round = 1; round <= 2; round++) {
        // Requests in flight while the connections go: they may fail; the processes must not.
        const inFlight = Promise.all([magentoWorks(100 + round), sageWorks()]).catch(() => undefined);
        assert.ok((await cut("heal-magento-sim")) >= 1, `round ${round}: the simulator had connections`);
        assert.ok((await cut("heal-sage-emu")) >= 1, `round ${round}: the emulator had connections`);
        await inFlight;
        await waitFor(`round ${round}: the simulator to answer`, async () => (await magentoWorks(round)) === 200, 30_000);
        await waitFor(`round ${round}: the emulator to answer`, async () => (await sageWorks()) === 200, 30_000);
        assert.ok(alive(magento), `the simulator survived:\n${magento.output().slice(-2000)}`);
        assert.ok(alive(sage), `the emulator survived:\n${sage.output().slice(-2000)}`);
      }
    } finally {
      await magento.kill();
      await sage.kill();
    }
  });
});

describe("the stack supervises its children", () => {
  test("a crashed simulator is restarted with backoff and the restart is logged; stop() ends it for good", async () => {
    // A port outside the ephemeral range: while the simulator is down, no outgoing connection on this
    // busy machine may take its number as a local port.
    const port = await stablePort();
    const lines: string[] = [];
    const child: SupervisedChild = superviseChild(
      {
        name: "magento",
        command: process.execPath,
        args: ["--import", "tsx", path.join(repoRoot, "sim/magento/server.ts")],
        env: {
          ...process.env,
          MAGENTO_SIM_DATABASE_URL: databaseUrl,
          MAGENTO_SIM_PORT: String(port),
          MAGENTO_SIM_STORE: `supervised-${port}`,
          MAGENTO_SIM_DRAIN_SECONDS: "0",
          LOG_LEVEL: "warn",
        },
        cwd: repoRoot,
        log: (source, line) => lines.push(`[${source}] ${line}`),
      },
      { initialDelayMs: 200, maxDelayMs: 1_000, minUptimeMs: 500, stableAfterMs: 60_000 },
    );
    const startedAt = Date.now();
    const url = `http://127.0.0.1:${port}/admin/api/state`;
    const up = async () =>
      (await fetch(url).then(
        (r) => r.status,
        () => 0,
      )) === 200;
    try {
      await waitFor("the simulator to start", up);
      // A child that dies within minUptimeMs of its first start is a start-up failure, deliberately
      // not restarted; the simulator can answer sooner than that (≈0.5 s here), so the crash comes after.
      await new Promise((r) => setTimeout(r, Math.max(0, startedAt + 600 - Date.now())));
      for (let crash = 1; crash <= 2; crash++) {
        const pid = child.pid!;
        process.kill(pid, "SIGKILL");
        await waitFor(`restart ${crash}`, async () => child.pid !== pid && (await up()), 120_000).catch((e: Error) => {
          throw new Error(`${e.message}\n${lines.slice(-40).join("\n")}`);
        });
        assert.equal(child.restarts(), crash);
      }
      const log = lines.join("\n");
      assert.match(log, /\[stack\] magento exited with a signal; restarting it in 0\.2 s \(restart 1\)/);
      assert.match(log, /\[stack\] magento exited with a signal; restarting it in 0\.4 s \(restart 2\)/, "the delay grows");
      assert.match(log, /\[stack\] magento restarted \(pid \d+\)/);
    } finally {
      await child.stop();
    }
    assert.equal(await up(), false, "stopped for good");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await up(), false, "and not restarted after stop()");
  });
});

after(async () => {
  await db().$disconnect();
});
