import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBlockedAddress, parseV6 } from "./ip";

describe("isBlockedAddress", () => {
  it("blocks loopback, private, CGNAT, link-local/metadata, multicast and reserved IPv4", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
      "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.5", "198.18.0.1"]) {
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

  it("judges IPv6 forms that embed IPv4 by the embedded address", () => {
    for (const a of ["::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "::127.0.0.1"]) {
      assert.equal(isBlockedAddress(a), true, a);
    }
    assert.equal(isBlockedAddress("::ffff:8.8.8.8"), false);
    assert.equal(isBlockedAddress("2002:0808:0808::1"), false);
  });

  it("allows public IPv6 and fails closed on non-IPs", () => {
    assert.equal(isBlockedAddress("2a00:1450:4009:81f::200e"), false);
    assert.equal(isBlockedAddress("2606:4700:4700::1111"), false);
    assert.equal(isBlockedAddress("localhost"), true);
    assert.equal(isBlockedAddress("not-an-ip"), true);
  });

  it("parses compressed and dotted IPv6", () => {
    assert.deepEqual(parseV6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    assert.deepEqual(parseV6("fe80::1"), [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseV6("1:2:3:4:5:6:7:8"), [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });
});
