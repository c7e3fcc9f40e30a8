import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBlockedAddress } from "./ip";

describe("isBlockedAddress", () => {
  it("blocks loopback, private, CGNAT, link-local/metadata, multicast and reserved IPv4", () => {
    for (const a of [
      "127.0.0.1",
      "127.8.9.10",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "192.0.2.5",
      "198.18.0.1",
    ]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
  });

  it("allows public IPv4, including neighbours of blocked ranges", () => {
    for (const a of ["8.8.8.8", "172.15.255.255", "172.32.0.1", "100.128.0.1", "11.0.0.1", "192.169.0.1", "1.1.1.1"]) {
      assert.equal(isBlockedAddress(a), false, a);
    }
  });

  it("blocks IPv6 loopback, unspecified, ULA, link-local, multicast, documentation", () => {
    for (const a of ["::1", "::", "fc00::1", "fd00:ec2::254", "fe80::1", "fe80::1%eth0", "ff02::1", "2001:db8::1", "[::1]"]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
  });

  it("judges IPv4-mapped IPv6 by the embedded address", () => {
    for (const a of ["::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "[::ffff:192.168.0.1]"]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
    assert.equal(isBlockedAddress("::ffff:8.8.8.8"), false);
  });

  it("blocks every IPv6 range that translates to IPv4, whatever address it embeds", () => {
    // NAT64 (well-known and local-use), 6to4, IPv4-compatible: the gateway decides where they go.
    for (const a of [
      "64:ff9b::a9fe:a9fe",
      "64:ff9b::808:808",
      "64:ff9b::8.8.8.8",
      "64:FF9B:1::1",
      "64:ff9b:1:ffff::8.8.8.8",
      "2002:c0a8:0101::1",
      "2002:0808:0808::1",
      "2002::",
      "::127.0.0.1",
      "::8.8.8.8",
    ]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
    // Their neighbours are ordinary addresses.
    for (const a of ["64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", "64:ff9b:2::1", "2003::1", "2001:4860:4860::8888"]) {
      assert.equal(isBlockedAddress(a), false, a);
    }
  });

  it("allows public IPv6 and fails closed on non-IPs", () => {
    assert.equal(isBlockedAddress("2a00:1450:4009:81f::200e"), false);
    assert.equal(isBlockedAddress("2606:4700:4700::1111"), false);
    assert.equal(isBlockedAddress("localhost"), true);
    assert.equal(isBlockedAddress("not-an-ip"), true);
  });

  it("blocks IPv6 documentation (both prefixes) and the deprecated site-local range", () => {
    for (const a of ["3fff::1", "3fff:0fff::1", "fec0::1", "100::1"]) assert.equal(isBlockedAddress(a), true, a);
    assert.equal(isBlockedAddress("3fff:1000::1"), false);
  });
});
