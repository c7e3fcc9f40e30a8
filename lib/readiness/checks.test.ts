import assert from "node:assert/strict";
import { test } from "node:test";
import { failureCode, withTimeout } from "./checks";
import { compareMigrations } from "./database";
import { inngestTarget } from "./inngest";

test("failureCode: Prisma's adapter kind, else a Node code on the error or its causes, never a message", () => {
  const prisma = Object.assign(new Error("Can't reach database server at db.internal:5432"), {
    code: "P2010",
    meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable", host: "db.internal", port: 5432 } } },
  });
  assert.equal(failureCode(prisma), "DatabaseNotReachable");
  assert.equal(
    failureCode(
      new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:8288"), { code: "ECONNREFUSED" }) }),
    ),
    "ECONNREFUSED",
  );
  assert.equal(failureCode(Object.assign(new Error("x"), { code: "has spaces and secrets" })), "error");
  assert.equal(failureCode(new DOMException("The operation was aborted due to timeout", "TimeoutError")), "timeout");
});

test("withTimeout rejects a slow promise with code `timeout`", async () => {
  await assert.rejects(withTimeout(new Promise(() => undefined), 10), (e: Error & { code?: string }) => e.code === "timeout");
  assert.equal(await withTimeout(Promise.resolve(7), 1000), 7);
});

test("compareMigrations: applied, pending in order, failed and rolled-back rows", () => {
  const at = new Date();
  const r = compareMigrations(
    ["1_init", "2_more", "3_new"],
    [
      { migration_name: "1_init", finished_at: at, rolled_back_at: null },
      { migration_name: "2_more", finished_at: null, rolled_back_at: at }, // rolled back: must apply again
      { migration_name: "3_new", finished_at: null, rolled_back_at: null }, // started, never finished
      { migration_name: "0_from_a_newer_build", finished_at: at, rolled_back_at: null },
    ],
  );
  assert.deepEqual(r, { applied: 1, pending: ["2_more", "3_new"], failed: ["3_new"] });
});

test("inngestTarget follows the SDK: INNGEST_DEV URL, dev flag, a base URL (self-hosted), else Cloud", () => {
  assert.deepEqual(inngestTarget({ INNGEST_DEV: "http://127.0.0.1:8288/" }), { mode: "dev", base: "http://127.0.0.1:8288" });
  assert.deepEqual(inngestTarget({ INNGEST_DEV: "1" }), { mode: "dev", base: "http://localhost:8288" });
  assert.deepEqual(inngestTarget({ INNGEST_DEV: "0", INNGEST_BASE_URL: "http://inngest:8288" }), {
    mode: "self_hosted",
    base: "http://inngest:8288",
  });
  assert.deepEqual(inngestTarget({ INNGEST_BASE_URL: "http://inngest:8288", INNGEST_API_BASE_URL: "http://api.inngest:8288" }), {
    mode: "self_hosted",
    base: "http://api.inngest:8288",
  });
  assert.deepEqual(inngestTarget({}), { mode: "cloud", base: "https://api.inngest.com" });
});
