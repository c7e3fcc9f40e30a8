import "@/test/support/env";
import "@/test/support/alerts/closed-inngest";
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { db } from "@/lib/db";
import { makeMember, makeTenant } from "@/test/support/builders/workspace";
import { truncateAll } from "@/test/support/db";
import { startHttpReceiver, type HttpReceiver } from "@/test/support/alerts/receivers";
import { deliverAlert } from "./deliver";
import { flushDigests } from "./digest";
import { listAlertLog } from "./log";
import { raiseAlert } from "@/lib/alerts/raise";
import { setWebhook } from "./webhook";

/**
 * Without LEDGER_SMTP_URL the email channel is off: the log records each recipient as "email off"
 * instead of silently sending nothing, and the webhook still delivers. (Its own file: the environment
 * is read once per process.)
 */

let hook: HttpReceiver;
before(async () => {
  delete process.env.LEDGER_SMTP_URL;
  hook = await startHttpReceiver();
  await truncateAll();
});
after(async () => {
  await hook.stop();
  await db().$disconnect();
});

it("records email as off, and still delivers the webhook", async () => {
  const tenant = await makeTenant("Quiet Shop");
  await makeMember(tenant.id, "owner", "owner@quiet.test");
  await setWebhook(tenant.id, hook.url);
  await raiseAlert({
    tenantId: tenant.id,
    kind: "magento_unreachable",
    items: [{ key: "m1", summary: "Magento at quiet.test has not answered" }],
  });
  await flushDigests();
  const pending = await db().alertDelivery.findMany({ where: { status: "pending" } });
  assert.equal(pending.length, 1);
  assert.equal(await deliverAlert(pending[0].id), "sent");
  assert.equal(hook.requests.length, 1);

  const log = await listAlertLog(tenant.id);
  const byChannel = Object.fromEntries(log.map((r) => [r.channel, r]));
  assert.deepEqual(
    [byChannel.email.status, byChannel.email.recipient, byChannel.email.lastError],
    ["off", "owner@quiet.test", "email off (no LEDGER_SMTP_URL)"],
  );
  assert.deepEqual([byChannel.webhook.status, byChannel.webhook.title, byChannel.webhook.count], ["sent", "Magento unreachable", 1]);
});
