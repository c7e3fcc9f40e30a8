import assert from "node:assert/strict";
import { test } from "node:test";
import { digestSubject, digestText, webhookPayload, type DigestForMessage } from "./message";
import { signPayload, verifySignature } from "./signature";

/** The digest in words (email and webhook JSON) and the webhook signature, as pure functions. */

const digest: DigestForMessage = {
  id: "d1",
  kind: "run_failed",
  count: 7,
  items: [
    { summary: "Invoice 000001 failed (provider): <bad> & worse", link: "/dashboard/sync?run=a" },
    { summary: "Invoice 000002 failed (http)", link: null },
  ],
  link: "/dashboard/sync?status=failed",
  test: false,
  createdAt: new Date("2026-12-05T10:00:00Z"),
};

test("email subject and text: count, items with absolute links, the rest behind the deep link", () => {
  assert.equal(digestSubject(digest, "Acme"), "[Ledger] Failed runs: 7 in Acme");
  const text = digestText(digest, "Acme", "https://ledger.example");
  assert.match(text, /^Failed runs in Acme: 7\./);
  assert.match(text, /- Invoice 000001 failed \(provider\): <bad> & worse \(https:\/\/ledger\.example\/dashboard\/sync\?run=a\)/);
  assert.match(text, /…and 5 more\./);
  assert.match(text, /See them all: https:\/\/ledger\.example\/dashboard\/sync\?status=failed/);
});

test("webhook JSON carries Slack mrkdwn text with escaped summaries and <url|label> links", () => {
  const body = webhookPayload(digest, { id: "t1", name: "Acme & Co" }, "https://ledger.example");
  assert.equal(body.kind, "run_failed");
  assert.equal(body.url, "https://ledger.example/dashboard/sync?status=failed");
  assert.deepEqual(body.items[1], { summary: "Invoice 000002 failed (http)", url: null });
  assert.equal(
    body.text,
    [
      "*Failed runs*: 7 in Acme &amp; Co",
      "• <https://ledger.example/dashboard/sync?run=a|Invoice 000001 failed (provider): &lt;bad&gt; &amp; worse>",
      "• Invoice 000002 failed (http)",
      "…and 5 more",
      "<https://ledger.example/dashboard/sync?status=failed|Open in Ledger>",
    ].join("\n"),
  );
});

test("signatures verify only for the same secret, body and a fresh timestamp", () => {
  const body = '{"a":1}';
  const header = signPayload("whsec_x", body, 1_765_000_000);
  assert.match(header, /^t=1765000000,v1=[0-9a-f]{64}$/);
  assert.equal(verifySignature("whsec_x", body, header, 1_765_000_100), true);
  assert.equal(verifySignature("whsec_y", body, header, 1_765_000_100), false);
  assert.equal(verifySignature("whsec_x", '{"a":2}', header, 1_765_000_100), false);
  assert.equal(verifySignature("whsec_x", body, header, 1_765_000_000 + 301), false, "replayed too late");
  assert.equal(verifySignature("whsec_x", body, "t=abc,v1=00", 1_765_000_000), false);
});
