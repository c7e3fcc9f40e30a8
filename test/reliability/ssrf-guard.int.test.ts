import "@/test/support/env";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { db } from "@/lib/db";
import { connectMagento } from "@/lib/bindings/connect-magento";
import { seedWorkspace } from "@/test/support/builders/stores";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { isBlockedAddress } from "@/lib/net/ip";
import { truncateAll } from "@/test/support/db";

/**
 * Issue 12 #7 — the SSRF guard (lib/net/ip.ts on net.BlockList) refuses every non-public target of a
 * tenant-supplied URL, including the IPv6 ranges that translate to IPv4 behind a gateway (NAT64
 * 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16) whatever address they embed. Decided on addresses
 * alone: every socket connect in this process is counted, and none may happen.
 */

const HOSTILE = [
  "http://[64:ff9b::a9fe:a9fe]/", // NAT64 → 169.254.169.254 (cloud metadata)
  "http://[64:ff9b::808:808]/", // NAT64 → a public address: still refused, the gateway is not ours to trust
  "http://[64:ff9b:1::7f00:1]/", // local-use NAT64
  "http://[64:ff9b:1:abcd::a00:1]:8080/admin",
  "http://[2002:a9fe:a9fe::1]/", // 6to4 → 169.254.169.254
  "http://[2002:0808:0808::1]/", // 6to4 → a public address
  "http://[::ffff:169.254.169.254]/latest/meta-data/", // IPv4-mapped
  "http://[::ffff:a9fe:a9fe]/",
  "http://[::127.0.0.1]/", // IPv4-compatible
  "http://[fd00:ec2::254]/", // AWS metadata over IPv6
  "http://[fe80::1]/",
  "http://169.254.169.254/",
  "http://0.0.0.0:3000/",
  "http://100.64.0.1/",
  "http://[::1]:5432/",
];

let connects = 0;
const realConnect = net.Socket.prototype.connect;

before(async () => {
  await truncateAll();
  net.Socket.prototype.connect = function counted(this: net.Socket, ...args: unknown[]) {
    connects++;
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof realConnect;
});
after(async () => {
  net.Socket.prototype.connect = realConnect;
  await db().$disconnect();
});

describe("issue 12 #7: the SSRF guard decides on addresses, never by connecting", () => {
  test("the guarded client refuses every non-public and translating address before opening a socket", async () => {
    const guarded = createGuardedFetch({ allowPrivate: false, connectTimeoutMs: 500, totalTimeoutMs: 1_000 });
    const before = connects;
    for (const url of HOSTILE) {
      const outcome = await guarded(url);
      assert.equal(outcome.kind, "blocked_address", `${url}: ${JSON.stringify(outcome)}`);
    }
    assert.equal(connects, before, "no socket was opened");
  });

  test("pairing a store at such an address is refused as blocked, with nothing stored and no socket opened", async () => {
    const ws = await seedWorkspace("owner");
    const before = connects;
    for (const url of ["http://[64:ff9b::a9fe:a9fe]", "http://[2002:a9fe:a9fe::1]", "http://[64:ff9b:1::a00:1]"]) {
      const result = await connectMagento(
        { tenantId: ws.tenantId, userId: ws.userId, magentoBaseUrl: url, pairingCode: "A".repeat(32) },
        { allowPrivate: false, requireHttps: false },
      );
      assert.equal(result.ok, false, url);
      assert.equal(result.ok === false && result.reason, "blocked_address", `${url}: ${JSON.stringify(result)}`);
    }
    assert.equal(connects, before, "no socket was opened");
    assert.equal(await db().magentoConnection.count({ where: { tenantId: ws.tenantId } }), 0, "no connection row kept");
  });

  test("the decision itself: translation ranges blocked whatever they embed; ordinary public unicast allowed", () => {
    for (const a of [
      "64:ff9b::1.1.1.1",
      "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
      "2002:101:101::",
      "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
    for (const a of ["1.1.1.1", "2606:4700:4700::1111", "::ffff:1.1.1.1", "64:ff9c::1", "2001:4860:4860::8888"]) {
      assert.equal(isBlockedAddress(a), false, a);
    }
  });
});
