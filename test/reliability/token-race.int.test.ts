import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { sageClientForBinding } from "@/lib/sage/custody";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { sageCount } from "./support/storm";

/**
 * Sage refresh tokens are single-use (D8): when the access token dies under a crowd of sync runs,
 * exactly one of them may refresh; a second refresh with the same refresh token would be answered
 * `invalid_grant` and cost the merchant a reconnect.
 */

interface TokenStats {
  refreshes_served: number;
  invalid_grant: number;
  responses_by_status: Record<string, number>;
}

let s: SyncStack;
before(async () => {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "6000";
  process.env.LEDGER_SAGE_PARALLEL_STEPS = "50";
  s = await startSyncStack();
  await s.magento("POST", "products", { sku: "TOK-1", name: "Token tin", type_id: "simple", price: 5, tax_class_id: 2 });
  await s.settle();
});
after(() => s?.stop());

const stats = async () => (await s.sageAdmin("GET", "/stats")) as TokenStats;

test("50 sync runs start on an access token Sage has expired → one refresh, no invalid_grant, all delivered", async () => {
  const N = 50;
  for (let i = 0; i < N; i++) {
    await s.magento("POST", "orders", {
      guest: { email: `race${i}@example.com`, firstname: "Rae", lastname: `Race${i}` },
      lines: [{ sku: "TOK-1", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    });
  }
  await s.sageAdmin("POST", "/reset", { stats: true });
  await s.sageAdmin("POST", "/expire-access-tokens");
  await s.settle({ timeoutMs: 180_000 });

  const after = await stats();
  assert.equal(after.invalid_grant, 0, "no refresh token was presented twice");
  assert.equal(after.refreshes_served, 1, `exactly one refresh (${JSON.stringify(after)})`);
  assert.ok((after.responses_by_status["401"] ?? 0) >= 1, "the expired token was really refused first");
  const runs = (await s.runs()).filter((r) => r.event === "invoice.created");
  assert.equal(runs.length, N);
  assert.deepEqual(
    runs.filter((r) => r.status !== "succeeded").map((r) => `${r.status} ${r.errorClass} ${r.errorMessage}`),
    [],
  );
  assert.equal(await sageCount(s, "/sales_invoices"), N);
  const conn = await db().sageConnection.findUniqueOrThrow({ where: { id: s.sageConnectionId } });
  assert.equal(conn.status, "active");
  assert.equal(conn.refreshFailureCount, 0);
});

test("50 concurrent Sage calls in one process on an expired token → still exactly one refresh", async () => {
  await s.sageAdmin("POST", "/reset", { stats: true });
  await s.sageAdmin("POST", "/expire-access-tokens");
  const answers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => (await sageClientForBinding(s.bindingId)).findContactsByReference(`NOBODY-${i}`)),
  );
  assert.equal(answers.length, 50);
  assert.ok(answers.every((a) => Array.isArray(a) && a.length === 0));
  const after = await stats();
  assert.equal(after.invalid_grant, 0);
  assert.equal(after.refreshes_served, 1, `exactly one refresh (${JSON.stringify(after)})`);
});
