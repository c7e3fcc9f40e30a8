import "@/test/support/env";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { truncateAll } from "@/test/support/db";
import { signingKeys, pointAppAtExecutor } from "@/test/support/inngest";

/**
 * Bulk retry end to end: the real `bulk-retry` Inngest function, served by the SDK over HTTP and run
 * by the embedded executor, retrying real runs in PostgreSQL. No sync functions are registered, so
 * retried runs stay `queued` and the assertions see exactly what the bulk retry did.
 */

let executor: RunningExecutor;
let app: Server;
type Mods = {
  db: typeof import("@/lib/db").db;
  bulk: typeof import("./bulk-retry");
  history: typeof import("@/lib/history/filter");
  testing: typeof import("@/test/support/builders/runs");
  AppError: typeof import("@/lib/errors").AppError;
};
let m: Mods;

before(async () => {
  executor = await startExecutor({ databaseUrl: process.env.DATABASE_URL!, port: 0, workers: 2, pollMs: 50, ...signingKeys() });
  // The Inngest client reads its environment when it is constructed, so the app modules load after this.
  await pointAppAtExecutor(executor.url);
  const [{ db }, bulk, history, testing, { AppError }, { serve }, { inngest }, { default: bulkRetry }] = await Promise.all([
    import("@/lib/db"),
    import("./bulk-retry"),
    import("@/lib/history/filter"),
    import("@/test/support/builders/runs"),
    import("@/lib/errors"),
    import("inngest/node"),
    import("@/lib/jobs/client"),
    import("@/inngest/functions/bulk-retry"),
  ]);
  m = { db, bulk, history, testing, AppError };
  app = createServer(serve({ client: inngest, functions: [bulkRetry] }));
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const [synced] = await executor.sync(`http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`);
  assert.ok(synced.ok, JSON.stringify(synced));
});

after(async () => {
  await executor?.stop();
  app?.closeAllConnections();
  await new Promise((resolve) => app?.close(resolve));
  await m?.db().$disconnect();
});

beforeEach(async () => {
  await truncateAll();
});

async function settled(tenantId: string, id: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await m.bulk.getBulkRetry(tenantId, id);
    if (job && job.status !== "running") return job;
    if (Date.now() > deadline) throw new Error(`bulk retry still running: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("bulk retry", () => {
  it("retries exactly the runs matching the filter, page by page, and counts them", async () => {
    const { seedTenant, insertRuns } = m.testing;
    const acme = await seedTenant("Acme", 2);
    const rival = await seedTenant("Rival", 1);
    const old = new Date(Date.now() - 3_600_000);
    const matching = await insertRuns(
      acme.tenantId,
      Array.from({ length: 57 }, (_, i) => ({
        bindingId: acme.bindingIds[i % 2],
        status: "failed" as const,
        errorClass: "http",
        createdAt: old,
      })),
    );
    const [otherClass, succeeded, skipped] = await insertRuns(acme.tenantId, [
      { bindingId: acme.bindingIds[0], status: "failed", errorClass: "validation", createdAt: old },
      { bindingId: acme.bindingIds[0], status: "succeeded", createdAt: old },
      { bindingId: acme.bindingIds[0], status: "skipped_by_policy", reasonCode: "unpaid_invoice", createdAt: old },
    ]);
    const [rivalRun] = await insertRuns(rival.tenantId, [
      { bindingId: rival.bindingIds[0], status: "failed", errorClass: "http", createdAt: old },
    ]);
    const filter = m.history.parseHistoryFilter({ code: "http" });

    assert.equal(await m.bulk.countRetryable(acme.tenantId, filter), 57);
    const job = await m.bulk.startBulkRetry({ tenantId: acme.tenantId, actorUserId: null, filter });
    assert.deepEqual([job.status, job.total, job.done], ["running", 57, 0]);
    assert.match(job.filter, /code=http/);
    assert.match(job.filter, /status=skipped_by_policy%2Cfailed/);

    const done = await settled(acme.tenantId, job.id);
    assert.deepEqual([done.status, done.total, done.done, done.failed], ["completed", 57, 57, 0]);
    const statuses = async (ids: string[]) =>
      (await m.db().syncRun.findMany({ where: { id: { in: ids } }, select: { status: true } })).map((r) => r.status);
    assert.deepEqual(new Set(await statuses(matching)), new Set(["queued"]));
    assert.deepEqual(await statuses([otherClass]), ["failed"]);
    assert.deepEqual(await statuses([succeeded]), ["succeeded"]);
    assert.deepEqual(await statuses([skipped]), ["skipped_by_policy"]);
    assert.deepEqual(await statuses([rivalRun]), ["failed"]);
    assert.equal(await m.db().auditLog.count({ where: { tenantId: acme.tenantId, action: "run.retried" } }), 57);
    assert.equal(await m.db().auditLog.count({ where: { tenantId: acme.tenantId, action: "runs.bulk_retried" } }), 1);
    // Another tenant cannot read the job.
    assert.equal(await m.bulk.getBulkRetry(rival.tenantId, job.id), null);
  });

  it("counts runs it could not retry as failed (binding disconnected)", async () => {
    const { seedTenant, insertRuns } = m.testing;
    const acme = await seedTenant("Acme", 2);
    await insertRuns(acme.tenantId, [
      { bindingId: acme.bindingIds[0], status: "failed", errorClass: "auth" },
      { bindingId: acme.bindingIds[1], status: "failed", errorClass: "auth" },
      { bindingId: acme.bindingIds[1], status: "failed", errorClass: "auth" },
    ]);
    await m.db().binding.update({ where: { id: acme.bindingIds[1] }, data: { status: "revoked" } });
    const job = await m.bulk.startBulkRetry({
      tenantId: acme.tenantId,
      actorUserId: null,
      filter: m.history.parseHistoryFilter({ status: "failed" }),
    });
    const done = await settled(acme.tenantId, job.id);
    assert.deepEqual([done.status, done.total, done.done, done.failed], ["completed", 3, 1, 2]);
  });

  it("refuses filters with nothing retryable, and a second job while one runs", async () => {
    const { seedTenant, insertRuns } = m.testing;
    const acme = await seedTenant("Acme", 1);
    await insertRuns(acme.tenantId, [{ bindingId: acme.bindingIds[0], status: "succeeded" }]);
    const refuse = (params: Record<string, string>) =>
      assert.rejects(
        m.bulk.startBulkRetry({ tenantId: acme.tenantId, actorUserId: null, filter: m.history.parseHistoryFilter(params) }),
        (e: unknown) => e instanceof m.AppError && e.code === "conflict",
      );
    await refuse({ status: "succeeded" });
    await refuse({ status: "failed" });
    await m.db().bulkRetry.create({ data: { tenantId: acme.tenantId, filter: { params: "" }, total: 1 } });
    await insertRuns(acme.tenantId, [{ bindingId: acme.bindingIds[0], status: "failed", errorClass: "http" }]);
    await refuse({ status: "failed" });
  });
});
