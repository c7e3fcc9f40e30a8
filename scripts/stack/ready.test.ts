import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { failingChecks, waitForReady } from "./ready";

test("failingChecks names each check that is not ok, with its detail", () => {
  const body = {
    status: "not_ready",
    checks: {
      database: { status: "ok", detail: "PostgreSQL answers" },
      migrations: { status: "fail", detail: "2 of 5 migrations not applied: run `npm run db:deploy`" },
      inngest: { status: "fail", detail: "the Inngest server cannot be reached (ECONNREFUSED)" },
    },
  };
  assert.equal(
    failingChecks(body),
    "migrations: 2 of 5 migrations not applied: run `npm run db:deploy`; inngest: the Inngest server cannot be reached (ECONNREFUSED)",
  );
});

test("waitForReady waits through 503s until /api/ready answers 200, and reports the last failing checks on timeout", async () => {
  let calls = 0;
  let readyAfter = 3;
  const server = http.createServer((req, res) => {
    calls += 1;
    const ready = req.url === "/api/ready" && calls >= readyAfter;
    res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        ready ? { status: "ready", checks: {} } : { status: "not_ready", checks: { inngest: { status: "fail", detail: "not yet" } } },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await waitForReady(url, { timeoutMs: 30_000, label: "the app" });
    assert.equal(calls, 3);
    calls = 0;
    readyAfter = Infinity;
    await assert.rejects(
      waitForReady(url, { timeoutMs: 600, label: "the app" }),
      /the app was not ready at .*\/api\/ready within 1 s \(last: HTTP 503 — inngest: not yet\)/,
    );
  } finally {
    server.close();
  }
});
