import { isIPv4, isIPv6 } from "node:net";

/**
 * Which IP addresses a tenant-supplied URL may reach. Everything that is not ordinary public
 * unicast is refused: loopback, private, CGNAT, link-local (cloud metadata lives at
 * 169.254.169.254 / fd00:ec2::254), ULA, multicast, documentation and reserved ranges.
 * IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, compatible) are judged by it.
 */

type Range = readonly [bytes: readonly number[], prefixLength: number];

const BLOCKED_V4: readonly Range[] = [
  [[0, 0, 0, 0], 8], // "this network"
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // CGNAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // TEST-NET-1
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // TEST-NET-2
  [[203, 0, 113, 0], 24], // TEST-NET-3
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved + broadcast
];

const BLOCKED_V6: readonly Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments (Teredo etc.)
  [[0xfc], 7], // unique local (incl. AWS metadata fd00:ec2::254)
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // deprecated site-local
  [[0xff], 8], // multicast
];

function inRange(bytes: readonly number[], [prefix, length]: Range): boolean {
  for (let bit = 0; bit < length; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[byte] & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(address: string): number[] {
  return address.split(".").map(Number);
}

/** 16 bytes of an IPv6 address in any textual form (compressed, with zone id, with dotted tail). */
export function parseV6(address: string): number[] {
  let text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const tailV4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tailV4) {
    const [a, b, c, d] = parseV4(tailV4[1]);
    text = text.slice(0, -tailV4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address stands for, if it embeds one. */
function embeddedV4(b: number[]): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 12)) return b.slice(12); // ::a.b.c.d (compatible, deprecated)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12); // 64:ff9b::/96
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6); // 6to4 2002:V4ADDR::/48
  return null;
}

/** True when `address` (an IP literal) must not be contacted for a tenant-supplied URL. */
export function isBlockedAddress(address: string): boolean {
  if (isIPv4(address)) {
    const b = parseV4(address);
    return BLOCKED_V4.some((r) => inRange(b, r));
  }
  const bare = address.replace(/^\[|\]$/g, "");
  if (!isIPv6(bare.replace(/%.*$/, ""))) return true; // not an IP at all: fail closed
  const b = parseV6(bare);
  if (BLOCKED_V6.slice(0, 2).some((r) => inRange(b, r))) return true; // :: and ::1 before the v4 forms
  const v4 = embeddedV4(b);
  if (v4) return BLOCKED_V4.some((r) => inRange(v4, r));
  return BLOCKED_V6.some((r) => inRange(b, r));
}
