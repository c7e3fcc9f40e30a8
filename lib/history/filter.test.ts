import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseStatusViewParams, statusViewHref } from "@/lib/status-views/params";
import { decodeCursor, encodeCursor } from "./cursor";
import { DEFAULT_FILTER, filterToSearchParams, isFiltered, parseHistoryFilter, timeWindow, type HistoryFilter } from "./filter";
import { HISTORY_PATH, historyHref, LIMIT_STEP, MAX_LIMIT, parseHistoryView } from "./href";
import { entityRunsUrl, entityViewUrl, runUrl } from "./links";

test("a filter round-trips through URL search params", () => {
  const url = new URLSearchParams({
    status: "skipped_by_policy,failed",
    code: "outside_sync_since",
    warning: "total_mismatch",
    event: "invoice.created",
    entity: "42",
    type: "invoice",
    provider: "sage_accounting",
    binding: "0b7d7f3e-1c2a-4d5e-8f90-123456789abc",
    range: "custom",
    from: "2026-05-01T00:00:00.000Z",
    to: "2026-05-02T00:00:00.000Z",
    sort: "duration",
    dir: "asc",
  });
  const f = parseHistoryFilter(url);
  assert.deepEqual(f.status, ["skipped_by_policy", "failed"]);
  assert.equal(f.entity, 42);
  assert.deepEqual(f.from, new Date("2026-05-01T00:00:00.000Z"));
  assert.deepEqual(parseHistoryFilter(filterToSearchParams(f)), f);
  assert.equal(filterToSearchParams(f).get("status"), "skipped_by_policy,failed");
  assert.equal(f.warning, "total_mismatch");
  assert.equal(
    filterToSearchParams(parseHistoryFilter({ warning: "any" })).toString(),
    "warning=any",
    "“with warnings” is kept in the URL",
  );
});

test("defaults are omitted and junk falls back to no filter", () => {
  assert.equal(filterToSearchParams(DEFAULT_FILTER).toString(), "");
  assert.equal(isFiltered(DEFAULT_FILTER), false);
  const f = parseHistoryFilter({
    status: ["bogus", "failed", "failed"],
    code: "DROP TABLE",
    warning: "everything",
    entity: "-3",
    range: "forever",
    sort: "x",
    event: "order.placed",
  });
  assert.deepEqual(f, { ...DEFAULT_FILTER, status: ["failed"] });
  assert.equal(isFiltered(f), true);
  // status given as repeated params is the same filter as a comma list
  assert.deepEqual(parseHistoryFilter(new URLSearchParams("status=failed&status=queued")).status, ["queued", "failed"]);
  // custom without bounds is the default week; bounds without custom are ignored
  assert.equal(parseHistoryFilter({ range: "custom" }).range, "7d");
  assert.equal(parseHistoryFilter({ from: "2026-05-01T00:00:00Z" }).from, undefined);
});

test("time presets are relative to now", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "1h" }), now), { from: new Date("2026-06-01T11:00:00Z") });
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "7d" }), now), { from: new Date("2026-05-25T12:00:00Z") });
  assert.deepEqual(timeWindow(DEFAULT_FILTER, now), { from: new Date("2026-05-25T12:00:00Z") });
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "all" }), now), {});
  assert.equal(filterToSearchParams(parseHistoryFilter({ range: "all" })).toString(), "range=all");
});

test("cursors round-trip and reject tampering", () => {
  const c = { v: 3, t: "2026-06-01T12:00:00.000Z", id: "0b7d7f3e-1c2a-4d5e-8f90-123456789abc" };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  assert.equal(decodeCursor("not-base64-json"), null);
  assert.equal(decodeCursor(Buffer.from(JSON.stringify({ ...c, id: "x" })).toString("base64url")), null);
});

describe("URL state through nuqs: same URLs in, same filters out", () => {
  const ACME = "0b7d7f3e-1c2a-4d5e-8f90-123456789abc";

  test("links written before nuqs (URLSearchParams-encoded) and after read as the same filter", () => {
    const legacy =
      "status=skipped_by_policy%2Cfailed&code=outside_sync_since&warning=any&range=custom&from=2026-05-01T00%3A00%3A00.000Z&sort=duration&dir=asc";
    const today =
      "status=skipped_by_policy,failed&code=outside_sync_since&warning=any&range=custom&from=2026-05-01T00:00:00.000Z&sort=duration&dir=asc";
    const f = parseHistoryFilter(new URLSearchParams(legacy));
    assert.deepEqual(parseHistoryFilter(new URLSearchParams(today)), f);
    assert.deepEqual(f, {
      status: ["skipped_by_policy", "failed"],
      code: "outside_sync_since",
      warning: "any",
      range: "custom",
      from: new Date("2026-05-01T00:00:00.000Z"),
      sort: "duration",
      dir: "asc",
    });
    // What we write now is the readable form, in the same key order as before.
    assert.equal(historyHref(f), `/dashboard/sync?${today}`);
  });

  test("the links the app and its users already share keep their meaning", () => {
    const cases: [string, Partial<HistoryFilter>][] = [
      ["", {}],
      ["warning=total_mismatch", { warning: "total_mismatch" }],
      [`binding=${ACME}&status=queued,running,waiting`, { binding: ACME, status: ["queued", "running", "waiting"] }],
      [`binding=${ACME}&status=failed&range=24h`, { binding: ACME, status: ["failed"], range: "24h" }],
      ["entity=101&type=invoice&range=all", { entity: 101, type: "invoice", range: "all" }],
      ["event=invoice.paid&provider=sage_accounting", { event: "invoice.paid", provider: "sage_accounting" }],
      ["status=&code=&entity=", {}],
      ["entity=12abc&binding=nope&type=order&from=yesterday&range=custom", {}],
    ];
    for (const [qs, want] of cases) assert.deepEqual(parseHistoryFilter(new URLSearchParams(qs)), { ...DEFAULT_FILTER, ...want }, qs);
    // Next's searchParams object (arrays for repeated keys) reads like the query string.
    assert.deepEqual(parseHistoryFilter({ status: ["failed", "queued"], entity: ["7", "8"] }), {
      ...DEFAULT_FILTER,
      status: ["queued", "failed"],
      entity: 7,
    });
  });

  test("every filter and view round-trips through its own link", () => {
    const filters: HistoryFilter[] = [
      DEFAULT_FILTER,
      { ...DEFAULT_FILTER, warning: "any" },
      {
        ...DEFAULT_FILTER,
        status: ["waiting", "failed"],
        code: "http",
        event: "creditmemo.created",
        entity: 2_147_483_647,
        type: "creditmemo",
        provider: "sage_accounting",
        binding: ACME,
        range: "1h",
        sort: "attempts",
        dir: "asc",
      },
      { ...DEFAULT_FILTER, range: "custom", to: new Date("2026-06-01T12:30:00.000Z") },
    ];
    const cursor = encodeCursor({ v: "failed", t: "2026-06-01T12:00:00.000Z", id: ACME });
    for (const f of filters) {
      for (const view of [{}, { limit: 150 }, { cursor, run: ACME }]) {
        const href = historyHref(f, view);
        const back = parseHistoryView(new URL(href, "http://x").searchParams);
        assert.deepEqual(back.filter, f, href);
        assert.deepEqual(back.view, { limit: LIMIT_STEP, cursor: null, run: null, ...view }, href);
      }
    }
  });

  test("keyset paging: limit is a multiple of the step within bounds and left out at its default; the cursor survives as written", () => {
    assert.equal(parseHistoryView(new URLSearchParams("limit=70")).view.limit, 100);
    assert.equal(parseHistoryView(new URLSearchParams("limit=9999")).view.limit, MAX_LIMIT);
    assert.equal(parseHistoryView(new URLSearchParams("limit=-1&cursor=&run=")).view.limit, LIMIT_STEP);
    assert.deepEqual(parseHistoryView(new URLSearchParams("cursor=&run=")).view, { limit: LIMIT_STEP, cursor: null, run: null });
    assert.equal(historyHref(DEFAULT_FILTER, { limit: LIMIT_STEP }), HISTORY_PATH);
    const cursor = encodeCursor({ v: 12, t: "2026-06-01T12:00:00.000Z", id: ACME });
    const href = historyHref({ ...DEFAULT_FILTER, status: ["failed"] }, { cursor });
    assert.equal(href, `/dashboard/sync?status=failed&cursor=${cursor}`);
    assert.deepEqual(decodeCursor(parseHistoryView(new URL(href, "http://x").searchParams).view.cursor), {
      v: 12,
      t: "2026-06-01T12:00:00.000Z",
      id: ACME,
    });
  });

  test("deep links between the views are written by the same serializers", () => {
    assert.equal(entityRunsUrl("invoice", 101), "/dashboard/sync?entity=101&type=invoice&range=all");
    assert.equal(entityRunsUrl("invoice", 101, "invoice.paid"), "/dashboard/sync?event=invoice.paid&entity=101&type=invoice&range=all");
    assert.equal(runUrl(ACME), `/dashboard/sync?run=${ACME}`);
    assert.equal(entityViewUrl("creditmemo", 5), "/dashboard/credit-memos?entity=5");
    assert.equal(entityViewUrl("product", 5), null);
  });
});

describe("status views' URL state", () => {
  test("same URLs in, same params out; defaults left out of links; junk falls back", () => {
    assert.deepEqual(parseStatusViewParams({}), { sort: "recent", dir: "desc", view: "documents" });
    const p = parseStatusViewParams(
      new URLSearchParams("chip=failed&entity=106&q=+MAG-000000028+&sort=total&dir=asc&view=orders&after=eyJ2IjpudWxsfQ"),
    );
    assert.deepEqual(p, {
      chip: "failed",
      entity: 106,
      q: "MAG-000000028",
      sort: "total",
      dir: "asc",
      view: "orders",
      after: "eyJ2IjpudWxsfQ",
    });
    assert.equal(
      statusViewHref("/dashboard/invoices", p),
      "/dashboard/invoices?chip=failed&entity=106&q=MAG-000000028&sort=total&dir=asc&view=orders&after=eyJ2IjpudWxsfQ",
    );
    assert.deepEqual(parseStatusViewParams(new URL(statusViewHref("/dashboard/invoices", p), "http://x").searchParams), p);
    assert.equal(
      statusViewHref("/dashboard/invoices", p, {
        chip: undefined,
        entity: undefined,
        q: undefined,
        sort: "recent",
        dir: "desc",
        view: "documents",
        after: undefined,
      }),
      "/dashboard/invoices",
    );
    assert.deepEqual(
      parseStatusViewParams({ chip: "purple", after: "not a cursor!", sort: "x", q: "x".repeat(81), entity: "-1" }),
      parseStatusViewParams({}),
    );
    assert.deepEqual(parseStatusViewParams({ q: "two words" }).q, "two words");
    assert.equal(
      statusViewHref("/dashboard/customers", { ...parseStatusViewParams({}), q: "two words & more" }),
      "/dashboard/customers?q=two+words+%26+more",
    );
  });
});
