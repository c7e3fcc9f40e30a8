import { BlockList, isIPv4, isIPv6 } from "node:net";

/**
 * Which IP addresses a tenant-supplied URL may reach, decided by Node's `net.BlockList` (the same
 * matcher Node's own sockets use, so address forms are parsed one way only). Everything that is not
 * ordinary public unicast is refused: loopback, private, CGNAT, link-local (cloud metadata lives at
 * 169.254.169.254 / fd00:ec2::254), ULA, multicast, documentation and reserved ranges — and every
 * IPv6 range that translates to IPv4 (NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16,
 * IPv4-compatible ::/96), because what they reach depends on a gateway we cannot see. IPv4-mapped
 * IPv6 (::ffff:a.b.c.d) is judged by its IPv4 address (BlockList applies IPv4 rules to it).
 */

const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved + broadcast
];

const BLOCKED_V6: ReadonlyArray<readonly [string, number]> = [
  ["::", 96], // unspecified, loopback and IPv4-compatible (deprecated) addresses
  ["64:ff9b::", 96], // NAT64 well-known prefix (RFC 6052)
  ["64:ff9b:1::", 48], // NAT64 local-use prefix (RFC 8215)
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo etc.)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (RFC 3056)
  ["3fff::", 20], // documentation (RFC 9637)
  ["fc00::", 7], // unique local (incl. AWS metadata fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, "ipv6");

/** The address without brackets and zone id (`[fe80::1%eth0]` → `fe80::1`). */
function bare(address: string): string {
  return address
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
}

/** True when `address` (an IP literal) must not be contacted for a tenant-supplied URL. */
export function isBlockedAddress(address: string): boolean {
  const ip = bare(address);
  if (isIPv4(ip)) return blocked.check(ip, "ipv4");
  if (isIPv6(ip)) return blocked.check(ip, "ipv6");
  return true; // not an IP at all: fail closed
}
