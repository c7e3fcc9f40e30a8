import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { makeBinding, makeRun, makeTenant } from "@/test/support/builders/workspace";
import { db } from "@/lib/db";
import { tileHealth } from "@/lib/magento/health";
import { truncateAll } from "@/test/support/db";
import { bindingHealthForTenant, lastDays } from "./bindings";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

const NOW = new Date("2026-03-15T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);

test("lastDays: 14 UTC days ending today, oldest first", () => {
  const days = lastDays(NOW, 14);
  assert.equal(days.length, 14);
  assert.equal(days[0], "2026-03-02");
  assert.equal(days[13], "2026-03-15");
});

test("per-binding numbers equal what Magento's tile is told, and the colour follows them", async () => {
  const tenant = await makeTenant();
  const { binding, magento } = await makeBinding(tenant.id);
  await makeRun(binding, "succeeded", { createdAt: hoursAgo(50) });
  await makeRun(binding, "failed", { createdAt: hoursAgo(30), finishedAt: hoursAgo(2) }); // failed within 24 h
  await makeRun(binding, "failed", { createdAt: hoursAgo(40), finishedAt: hoursAgo(30) }); // too old
  await makeRun(binding, "queued", { createdAt: hoursAgo(1) });
  await makeRun(binding, "waiting", { createdAt: hoursAgo(3) });

  const [mine] = await bindingHealthForTenant(tenant.id, { now: NOW });
  const theirs = await tileHealth({ ...magento }, { now: NOW });
  assert.deepEqual(mine.health, theirs);
  assert.deepEqual(mine.health.sync, { pending_count: 2, failed_24h: 1, last_run_at: "2026-03-15T10:00:00Z" });
  assert.equal(mine.verdict.tone, "red");
});

test("colours per binding: green, amber pending, amber finish setup, red needs_reconnect, grey revoked", async () => {
  const tenant = await makeTenant();
  const green = await makeBinding(tenant.id);
  await makeRun(green.binding, "succeeded", { createdAt: hoursAgo(5) });
  const pending = await makeBinding(tenant.id);
  await makeRun(pending.binding, "running", { createdAt: hoursAgo(1) });
  const setup = await makeBinding(tenant.id, { sage: null });
  const parked = await makeBinding(tenant.id, { sage: { status: "needs_reconnect" } });
  const gone = await makeBinding(tenant.id, { magentoStatus: "revoked" });
  await db().binding.update({ where: { id: gone.binding.id }, data: { status: "revoked" } });

  const byId = new Map((await bindingHealthForTenant(tenant.id, { now: NOW })).map((h) => [h.bindingId, h]));
  assert.equal(byId.get(green.binding.id)?.verdict.tone, "green");
  assert.equal(byId.get(green.binding.id)?.verdict.words, "Connected");
  assert.equal(byId.get(pending.binding.id)?.verdict.tone, "amber");
  assert.equal(byId.get(setup.binding.id)?.verdict.action, "finish_setup");
  assert.equal(byId.get(setup.binding.id)?.health.binding.status, "");
  assert.equal(byId.get(parked.binding.id)?.verdict.action, "reconnect_sage");
  assert.equal(byId.get(gone.binding.id)?.verdict.words, "Disconnected");
});

test("the 14-day chart counts runs per UTC day by outcome, for this tenant only", async () => {
  const tenant = await makeTenant();
  const { binding } = await makeBinding(tenant.id);
  await makeRun(binding, "succeeded", { createdAt: new Date("2026-03-15T01:00:00Z") });
  await makeRun(binding, "succeeded", { createdAt: new Date("2026-03-15T09:00:00Z") });
  await makeRun(binding, "skipped_by_policy", { createdAt: new Date("2026-03-14T23:59:59Z") });
  await makeRun(binding, "failed", { createdAt: new Date("2026-03-02T00:00:00Z") });
  await makeRun(binding, "queued", { createdAt: new Date("2026-03-15T11:00:00Z") });
  await makeRun(binding, "succeeded", { createdAt: new Date("2026-03-01T23:59:59Z") }); // day 15: outside
  const rival = await makeTenant();
  const other = await makeBinding(rival.id);
  await makeRun(other.binding, "failed", { createdAt: new Date("2026-03-15T02:00:00Z") });

  const [h] = await bindingHealthForTenant(tenant.id, { now: NOW });
  const day = (d: string) => h.days.find((x) => x.day === d)?.counts;
  assert.equal(h.days.length, 14);
  assert.deepEqual(day("2026-03-15"), { synced: 2, skipped: 0, failed: 0, pending: 1 });
  assert.deepEqual(day("2026-03-14"), { synced: 0, skipped: 1, failed: 0, pending: 0 });
  assert.deepEqual(day("2026-03-02"), { synced: 0, skipped: 0, failed: 1, pending: 0 });
  assert.equal(
    h.days.reduce((n, d) => n + d.counts.synced + d.counts.skipped + d.counts.failed + d.counts.pending, 0),
    5,
  );
});
