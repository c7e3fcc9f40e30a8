import "@/test/support/env";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { db } from "@/lib/db";
import { SyncError } from "@/lib/errors";
import { getReferenceData, refreshReferenceData, REFERENCE_KINDS } from "./reference-data";
import {
  DEMO_BUSINESS_ID,
  emuAdmin,
  emuReset,
  emuStats,
  requestCount,
  storedTokens,
  withLedgerSage,
} from "../../test/support/sage/emulator";

const ctx = withLedgerSage({ connect: true });

const LIST_CALLS = ["GET /v3.1/tax_rates", "GET /v3.1/ledger_accounts", "GET /v3.1/bank_accounts", "GET /v3.1/currencies"];
const sageListCalls = async () => {
  const s = await emuStats(ctx.emu);
  return Object.fromEntries(LIST_CALLS.map((k) => [k, requestCount(s, k)]));
};
const NO_CALLS = Object.fromEntries(LIST_CALLS.map((k) => [k, 0]));
const ONE_REFRESH = {
  ...NO_CALLS,
  "GET /v3.1/tax_rates": 1,
  "GET /v3.1/ledger_accounts": 2,
  "GET /v3.1/bank_accounts": 1,
  "GET /v3.1/currencies": 1,
};

async function ageCache(hours: number) {
  await db().sageReferenceData.updateMany({
    where: { bindingId: ctx.fx.bindingId },
    data: { fetchedAt: new Date(Date.now() - hours * 3600_000) },
  });
}

/** Ids Sage itself lists, straight from the emulator, to compare the cache against. */
async function sageIds(path: string): Promise<string[]> {
  const conn = await db().binding.findUniqueOrThrow({ where: { id: ctx.fx.bindingId } });
  const { access } = await storedTokens(conn.sageConnectionId!);
  const res = await fetch(`${ctx.emu.url}/v3.1${path}`, { headers: { authorization: `Bearer ${access}`, "x-business": DEMO_BUSINESS_ID } });
  const body = (await res.json()) as { $items: { id: string }[] };
  return body.$items.map((i) => i.id).sort();
}

describe("reference data cache", () => {
  it("refresh stores all five lists, normalised, with the sales/expenses split Sage applies", async () => {
    const data = await refreshReferenceData(ctx.fx.bindingId);

    assert.deepEqual(await sageListCalls(), ONE_REFRESH);
    const rows = await db().sageReferenceData.findMany({ where: { bindingId: ctx.fx.bindingId } });
    assert.deepEqual(rows.map((r) => r.kind).sort(), [...REFERENCE_KINDS].sort());
    assert.ok(rows.every((r) => r.fetchedAt.getTime() === data.fetchedAt.getTime()));

    const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
    assert.deepEqual(ids(data.items.sales_ledger_accounts), await sageIds("/ledger_accounts?visible_in=sales&items_per_page=200"));
    assert.deepEqual(ids(data.items.expense_ledger_accounts), await sageIds("/ledger_accounts?visible_in=expenses&items_per_page=200"));
    assert.notDeepEqual(ids(data.items.sales_ledger_accounts), ids(data.items.expense_ledger_accounts));
    assert.deepEqual(ids(data.items.tax_rates), await sageIds("/tax_rates?items_per_page=200"));

    const standard = data.items.tax_rates.find((t) => t.id === "GB_STANDARD");
    assert.deepEqual(standard && { id: standard.id, percentage: standard.percentage, hasLabel: standard.label.length > 0 }, {
      id: "GB_STANDARD",
      percentage: 20,
      hasLabel: true,
    });
    const sales = data.items.sales_ledger_accounts.find((l) => l.nominalCode === 4000);
    assert.ok(sales && sales.label.length > 0, "sales ledger 4000 is offered");
    const bank = data.items.bank_accounts.find((b) => b.nominalCode === 1200);
    assert.ok(bank && bank.currency === "GBP" && bank.ledgerAccountId);
    assert.ok(data.items.currencies.some((c) => c.id === "GBP" && c.label.length > 0));
  });

  it("a fresh cache is served without calling Sage; older than 24 h it is refreshed first", async () => {
    await refreshReferenceData(ctx.fx.bindingId);
    await ageCache(23);
    await emuReset(ctx.emu);

    const fresh = await getReferenceData(ctx.fx.bindingId);
    assert.deepEqual(await sageListCalls(), NO_CALLS);
    assert.ok(fresh.ageSeconds >= 23 * 3600 - 5 && fresh.ageSeconds <= 23 * 3600 + 60);

    await ageCache(25);
    const refreshed = await getReferenceData(ctx.fx.bindingId);
    assert.deepEqual(await sageListCalls(), ONE_REFRESH);
    assert.equal(refreshed.ageSeconds, 0);
    assert.equal(refreshed.refreshError, undefined);
    const rows = await db().sageReferenceData.findMany({ where: { bindingId: ctx.fx.bindingId } });
    assert.ok(rows.every((r) => Date.now() - r.fetchedAt.getTime() < 60_000));
  });

  it("honours maxAgeHours and refetches when a list is missing", async () => {
    await refreshReferenceData(ctx.fx.bindingId);
    await ageCache(2);
    await emuReset(ctx.emu);
    await getReferenceData(ctx.fx.bindingId, { maxAgeHours: 3 });
    assert.deepEqual(await sageListCalls(), NO_CALLS);
    await getReferenceData(ctx.fx.bindingId, { maxAgeHours: 1 });
    assert.deepEqual(await sageListCalls(), ONE_REFRESH);

    await db().sageReferenceData.deleteMany({ where: { bindingId: ctx.fx.bindingId, kind: "currencies" } });
    await emuReset(ctx.emu);
    const data = await getReferenceData(ctx.fx.bindingId);
    assert.deepEqual(await sageListCalls(), ONE_REFRESH);
    assert.ok(data.items.currencies.length > 0);
  });

  it("when Sage is down a stale cache is still served with the error; without a cache the error is thrown", async () => {
    await refreshReferenceData(ctx.fx.bindingId);
    await ageCache(30);
    await emuAdmin(ctx.emu, "POST", "/faults", { method: "GET", path: "/v3.1/tax_rates", kind: "error", status: 503 });

    const stale = await getReferenceData(ctx.fx.bindingId);
    assert.match(stale.refreshError ?? "", /temporarily unavailable/i);
    assert.ok(stale.ageSeconds >= 30 * 3600 - 5);
    assert.ok(stale.items.tax_rates.length > 0);

    await db().sageReferenceData.deleteMany({ where: { bindingId: ctx.fx.bindingId } });
    await assert.rejects(getReferenceData(ctx.fx.bindingId), (e: unknown) => e instanceof SyncError && e.syncClass === "http");
  });
});
