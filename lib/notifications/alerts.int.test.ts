import "@/test/support/env";
import "@/test/support/alerts/closed-inngest";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { makeBinding, makeMember, makeTenant } from "@/test/support/builders/workspace";
import { startHttpReceiver, startSmtpSink, type HttpReceiver, type SmtpSink } from "@/test/support/alerts/receivers";
import { deliverAlert, markDeliveryFailed } from "./deliver";
import { flushDigests, sendTestAlert } from "./digest";
import { redispatchStale } from "./dispatch";
import { DIGEST_WINDOW_MS } from "@/lib/alerts/kinds";
import { raiseExpiringSageGrants } from "@/lib/alerts/sage-grants";
import { savePreferences, preferencesOf } from "./preferences";
import { raiseAlert } from "@/lib/alerts/raise";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "./signature";
import { rotateWebhookSecret, setWebhook, webhookTarget } from "./webhook";

/**
 * Alerts from raise to the wire: events batched into digests (one per kind per workspace per 15
 * minutes), each delivered to a real SMTP server in-process and a real HTTP receiver on loopback. We
 * assert on what they received: the recipients, subject and text of each mail, and the webhook's JSON
 * with its HMAC-SHA256 signature verified independently.
 */

let smtp: SmtpSink;
let hook: HttpReceiver;

before(async () => {
  smtp = await startSmtpSink();
  hook = await startHttpReceiver();
  process.env.LEDGER_SMTP_URL = smtp.url;
  process.env.LEDGER_BASE_URL = "https://ledger.example";
});
after(async () => {
  await smtp.stop();
  await hook.stop();
  await db().$disconnect();
});
beforeEach(async () => {
  await truncateAll();
  smtp.mails.length = 0;
  hook.requests.length = 0;
  hook.status = 200;
});

async function workspace() {
  const tenant = await makeTenant("Acme Shop");
  const owner = await makeMember(tenant.id, "owner", "owner@acme.test");
  const viewer = await makeMember(tenant.id, "viewer", "viewer@acme.test");
  return { tenant, owner, viewer };
}

/** Delivers every pending delivery as the alert-deliver function would (the executor is not running here). */
async function deliverPending(now = new Date()) {
  const pending = await db().alertDelivery.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } });
  for (const d of pending) await deliverAlert(d.id, now);
  return pending.length;
}

const failedItem = (n: number) => ({
  key: `run:${n}`,
  summary: `Invoice 00000${n} failed (validation): bad tax rate`,
  link: `/dashboard/sync?run=r${n}`,
});

describe("digests", () => {
  it("batches a kind into one digest per 15 minutes, with the count, the first five items and the deep link", async () => {
    const { tenant } = await workspace();
    const t0 = new Date("2026-12-05T10:00:00Z");
    assert.equal(await raiseAlert({ tenantId: tenant.id, kind: "run_failed", items: [1, 2, 3, 4, 5, 6, 7].map(failedItem) }), 7);
    // Raising the same fact again (a retried step) adds nothing.
    assert.equal(await raiseAlert({ tenantId: tenant.id, kind: "run_failed", items: [failedItem(1)] }), 0);

    assert.deepEqual(await flushDigests({ now: t0 }), { digests: 1, deliveries: 1 });
    const digest = await db().alertDigest.findFirstOrThrow({ where: { tenantId: tenant.id } });
    assert.equal(digest.count, 7);
    assert.equal((digest.items as unknown[]).length, 5);
    assert.match(digest.link, /^\/dashboard\/sync\?status=failed/);

    // More failures within the window wait; after it they make the next digest.
    await raiseAlert({ tenantId: tenant.id, kind: "run_failed", items: [failedItem(8)] });
    assert.deepEqual(await flushDigests({ now: new Date(t0.getTime() + DIGEST_WINDOW_MS - 1000) }), { digests: 0, deliveries: 0 });
    // Another kind is not held back by run_failed's window.
    await raiseAlert({
      tenantId: tenant.id,
      kind: "magento_unreachable",
      items: [{ key: "m1", summary: "Magento at shop.test has not answered" }],
    });
    assert.deepEqual(await flushDigests({ now: new Date(t0.getTime() + 60_000) }), { digests: 1, deliveries: 1 });
    assert.deepEqual(await flushDigests({ now: new Date(t0.getTime() + DIGEST_WINDOW_MS) }), { digests: 1, deliveries: 1 });
    const later = await db().alertDigest.findFirstOrThrow({
      where: { tenantId: tenant.id, kind: "run_failed" },
      orderBy: { createdAt: "desc" },
    });
    assert.equal(later.count, 1);
  });

  it("emails the members who chose the kind: owners by default, a viewer once they opt in", async () => {
    const { tenant, owner, viewer } = await workspace();
    const viewerChoices = await preferencesOf(tenant.id, viewer.user.id, "viewer");
    assert.equal(viewerChoices.run_failed, false);
    await savePreferences(tenant.id, viewer.user.id, { ...viewerChoices, run_failed: true });
    const ownerChoices = await preferencesOf(tenant.id, owner.user.id, "owner");
    await savePreferences(tenant.id, owner.user.id, { ...ownerChoices, total_mismatch: false });

    await raiseAlert({ tenantId: tenant.id, kind: "run_failed", items: [failedItem(1), failedItem(2)] });
    await raiseAlert({
      tenantId: tenant.id,
      kind: "total_mismatch",
      items: [{ key: "run:9", summary: "Invoice 000009 reached Sage, but Sage's totals differ" }],
    });
    await flushDigests();
    assert.equal(await deliverPending(), 2);

    assert.deepEqual(smtp.mails.map((m) => m.to.join(",")).sort(), ["owner@acme.test", "viewer@acme.test"]);
    const mail = smtp.mails[0];
    assert.equal(mail.subject, "[Ledger] Failed runs: 2 in Acme Shop");
    assert.match(mail.text, /- Invoice 000001 failed \(validation\): bad tax rate \(https:\/\/ledger\.example\/dashboard\/sync\?run=r1\)/);
    assert.match(mail.text, /See them all: https:\/\/ledger\.example\/dashboard\/sync\?status=failed/);
    // total_mismatch: the owner opted out and the viewer never opted in, so nobody is mailed.
    const mismatch = await db().alertDigest.findFirstOrThrow({ where: { kind: "total_mismatch" }, include: { deliveries: true } });
    assert.equal(mismatch.deliveries.length, 0);
    const sent = await db().alertDelivery.findMany({ where: { tenantId: tenant.id } });
    assert.ok(sent.every((d) => d.status === "sent" && d.attempts === 1 && d.sentAt));
  });

  it("posts a signed JSON digest with Slack-compatible text to the workspace webhook", async () => {
    const { tenant } = await workspace();
    const { secret } = await setWebhook(tenant.id, hook.url);
    assert.ok(secret?.startsWith("whsec_"));
    // Stored as vault ciphertext only.
    const row = await db().alertWebhook.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    assert.ok(!row.encryptedSecret.includes(secret!));
    assert.ok(!JSON.stringify(row).includes(hook.url), "the URL is sealed too");
    assert.equal(row.host, new URL(hook.url).host);

    await raiseAlert({
      tenantId: tenant.id,
      kind: "reconciliation_differences",
      items: [
        {
          key: "recon:inv:1",
          summary: "Invoice 000001: amount differs (£10.00 in Magento, £12.00 in Sage)",
          link: "/dashboard/reconciliation?row=1",
        },
      ],
      link: "/dashboard/reconciliation?period=2026-12&class=differs",
    });
    await flushDigests();
    assert.equal(await deliverPending(), 2);

    assert.equal(hook.requests.length, 1);
    const req = hook.requests[0];
    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-type"], "application/json");
    const header = String(req.headers[SIGNATURE_HEADER]);
    const t = Number(req.headers[TIMESTAMP_HEADER]);
    assert.ok(verifySignature(secret!, req.body, header, t), "signature verifies with the workspace secret");
    assert.ok(!verifySignature(secret!, req.body.replace("differs", "differz"), header, t), "a changed body does not verify");
    assert.ok(!verifySignature("whsec_other", req.body, header, t), "another secret does not verify");
    const body = JSON.parse(req.body);
    assert.equal(body.kind, "reconciliation_differences");
    assert.equal(body.count, 1);
    assert.equal(body.url, "https://ledger.example/dashboard/reconciliation?period=2026-12&class=differs");
    assert.deepEqual(body.workspace, { id: tenant.id, name: "Acme Shop" });
    assert.match(body.text, /^\*Reconciliation differences\*: 1 in Acme Shop\n/);
    assert.match(
      body.text,
      /<https:\/\/ledger\.example\/dashboard\/reconciliation\?row=1\|Invoice 000001: amount differs \(£10\.00 in Magento, £12\.00 in Sage\)>/,
    );

    // Rotation: the next delivery verifies with the new secret only.
    const rotated = await rotateWebhookSecret(tenant.id);
    assert.notEqual(rotated.secret, secret);
    assert.equal((await webhookTarget(tenant.id))?.secret, rotated.secret);
    await sendTestAlert(tenant.id, null);
    await deliverPending();
    const test = hook.requests[1];
    assert.equal(JSON.parse(test.body).kind, "test");
    assert.ok(verifySignature(rotated.secret, test.body, String(test.headers[SIGNATURE_HEADER]), Number(test.headers[TIMESTAMP_HEADER])));
    assert.ok(!verifySignature(secret!, test.body, String(test.headers[SIGNATURE_HEADER]), Number(test.headers[TIMESTAMP_HEADER])));
  });

  it("records a failed try and throws for a retry; the last retry closes the delivery as failed", async () => {
    const { tenant } = await workspace();
    await setWebhook(tenant.id, hook.url);
    hook.status = 503;
    await raiseAlert({ tenantId: tenant.id, kind: "run_stuck", items: [{ key: "run:1", summary: "Invoice 000001 made no progress" }] });
    await flushDigests();
    const delivery = await db().alertDelivery.findFirstOrThrow({ where: { channel: "webhook" } });
    await assert.rejects(deliverAlert(delivery.id), /webhook answered HTTP 503/);
    let row = await db().alertDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    assert.equal(row.status, "pending");
    assert.equal(row.attempts, 1);
    assert.equal(row.lastError, "webhook answered HTTP 503");

    hook.status = 200;
    assert.equal(await deliverAlert(delivery.id), "sent");
    row = await db().alertDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 2);
    // A duplicate event after success sends nothing.
    assert.equal(await deliverAlert(delivery.id), "skipped");
    assert.equal(hook.requests.length, 2);

    await raiseAlert({ tenantId: tenant.id, kind: "sage_reconnect", items: [{ key: "s1", summary: "Sage needs reconnecting" }] });
    await flushDigests();
    const second = await db().alertDelivery.findFirstOrThrow({ where: { channel: "webhook", status: "pending" } });
    await markDeliveryFailed(second.id, "webhook answered HTTP 503");
    assert.equal((await db().alertDelivery.findUniqueOrThrow({ where: { id: second.id } })).status, "failed");
  });

  it("a Sage grant expiring within 7 days raises sage_reconnect once per grant; a later grant raises afresh", async () => {
    const { tenant } = await workspace();
    const { sage } = await makeBinding(tenant.id, { sage: { businessName: "Acme Trading Ltd" }, reference: false });
    const now = new Date("2026-12-05T10:00:00Z");
    await db().sageConnection.update({ where: { id: sage!.id }, data: { refreshTokenExpiresAt: new Date("2026-12-20T10:00:00Z") } });
    assert.equal(await raiseExpiringSageGrants(now), 0, "15 days left: not yet");
    await db().sageConnection.update({ where: { id: sage!.id }, data: { refreshTokenExpiresAt: new Date("2026-12-08T09:30:00Z") } });
    assert.equal(await raiseExpiringSageGrants(now), 1);
    assert.equal(await raiseExpiringSageGrants(now), 0, "the same grant is raised once");
    const [event] = await db().alertEvent.findMany({ where: { tenantId: tenant.id, kind: "sage_reconnect" } });
    assert.equal(
      event.summary,
      'Sage business "Acme Trading Ltd" must be reconnected before 2026-12-08 09:30 UTC, when Sage\'s grant expires',
    );
    await db().sageConnection.update({ where: { id: sage!.id }, data: { refreshTokenExpiresAt: new Date("2026-12-09T09:30:00Z") } });
    assert.equal(await raiseExpiringSageGrants(now), 1, "a new grant is a new alert");
  });

  it("deliveries whose hand-over to Inngest was lost stay pending and are picked up again by the cron", async () => {
    const { tenant } = await workspace();
    await raiseAlert({ tenantId: tenant.id, kind: "run_failed", items: [failedItem(1)] });
    await flushDigests();
    // Inngest is a closed port here: the hand-over failed, nothing was lost.
    const row = await db().alertDelivery.findFirstOrThrow({ where: { tenantId: tenant.id } });
    assert.deepEqual([row.status, row.dispatchedAt], ["pending", null]);
    assert.equal(await redispatchStale(), 1);
  });

  it("never throws when the alert cannot be recorded", async () => {
    const n = await raiseAlert({ tenantId: "00000000-0000-4000-8000-000000000000", kind: "run_failed", items: [failedItem(1)] });
    assert.equal(n, 0);
  });
});
