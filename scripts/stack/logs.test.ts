import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLine, lineSplitter } from "./logs";

test("pino JSON lines become LEVEL message key=value; other lines pass unchanged", () => {
  const json = JSON.stringify({
    level: 40,
    time: "2026-11-30T04:00:00Z",
    pid: 7,
    hostname: "h",
    service: "ledger",
    msg: "sage request failed",
    status: 429,
    path: "/sales_invoices",
  });
  assert.equal(formatLine(json), "WARN sage request failed status=429 path=/sales_invoices");
  assert.equal(formatLine("  ▲ Next.js 16.4.6"), "  ▲ Next.js 16.4.6");
  assert.equal(formatLine('{"not":"pino"}'), '{"not":"pino"}');
  assert.equal(formatLine("{broken"), "{broken");
});

test("long values are shortened so one event stays one readable line", () => {
  const line = formatLine(JSON.stringify({ level: 30, msg: "m", detail: "x".repeat(300) }));
  assert.equal(line.length, "INFO m detail=".length + 118);
  assert.ok(line.endsWith("…"));
});

test("the splitter emits whole lines only and flushes the rest at the end", () => {
  const seen: string[] = [];
  const s = lineSplitter((l) => seen.push(l));
  s.push("one\ntw");
  s.push("o\r\n\nthr");
  assert.deepEqual(seen, ["one", "two"]);
  s.flush();
  assert.deepEqual(seen, ["one", "two", "thr"]);
});
