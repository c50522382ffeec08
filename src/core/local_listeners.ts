// Whether a TCP connect to a local address would be refused at once. A
// blocking connect(2) to an address of this host with no listening socket on
// the port fails before it returns (ECONNREFUSED); Node cannot block on a
// connect, so the answer comes from the kernel's socket tables
// (/proc/net/tcp and tcp6, this network namespace's), read when asked.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { parseIPv4, parseIPv6 } from "./sockaddr_text.js";

const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The 16 bytes of an IPv6 address, an IPv4 address as ::ffff:a.b.c.d; null for bad text. */
function bytes16(ip: string): Uint8Array | null {
  const v4 = parseIPv4(ip);
  if (v4) return Uint8Array.from([...V4_MAPPED, ...v4]);
  return parseIPv6(ip.replace(/%.*$/, ""));
}

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);
const same = (a: Uint8Array, b: Uint8Array): boolean => a.every((x, i) => x === b[i]);
const mapped = (b: Uint8Array): boolean => V4_MAPPED.every((x, i) => b[i] === x);

/** Whether `b` (16 bytes) is an address of this host: loopback, unspecified, or an interface's. */
function isLocal(b: Uint8Array): boolean {
  if (isZero(b) || (mapped(b) && (b[12] === 127 || isZero(b.subarray(12))))) return true;
  if (b.subarray(0, 15).every((x) => x === 0) && b[15] === 1) return true; // ::1
  for (const list of Object.values(networkInterfaces()))
    for (const i of list ?? []) {
      const own = bytes16(i.address);
      if (own && same(own, b)) return true;
    }
  return false;
}

/** The listening sockets of one /proc table: [address (16 bytes), port]. */
function listeners(path: string, v6: boolean): [Uint8Array, number][] | null {
  let text: string;
  try {
    text = readFileSync(path, "latin1");
  } catch {
    return null;
  }
  const out: [Uint8Array, number][] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== "0A") continue; // TCP_LISTEN
    const [hex, port] = f[1].split(":");
    // Each 32-bit word is printed as the host (little-endian) reads it.
    const words = hex.match(/.{8}/g) ?? [];
    const raw = Uint8Array.from(
      words.flatMap((w) => [6, 4, 2, 0].map((k) => parseInt(w.slice(k, k + 2), 16))),
    );
    out.push([v6 ? raw : Uint8Array.from([...V4_MAPPED, ...raw]), parseInt(port, 16)]);
  }
  return out;
}

/**
 * True when `ip`:`port` is an address of this host on which no socket
 * listens, so the kernel would answer a connect with a reset at once.
 * A listener on the unspecified address (0.0.0.0, or :: which also takes
 * IPv4 unless IPV6_V6ONLY) counts for every local address of its family.
 */
export function refusedLocally(ip: string, port: number): boolean {
  const b = bytes16(ip);
  if (!b || !isLocal(b)) return false;
  const v4 = mapped(b);
  const tcp = listeners("/proc/net/tcp", false);
  const tcp6 = listeners("/proc/net/tcp6", true);
  if (!tcp && !tcp6) return false; // no tables to read: do not guess
  const all = [...(tcp ?? []), ...(tcp6 ?? [])];
  return !all.some(([addr, p]) => {
    if (p !== port) return false;
    if (isZero(addr)) return true; // :: (dual-stack)
    if (mapped(addr) && isZero(addr.subarray(12))) return v4; // 0.0.0.0
    if (same(addr, b)) return true;
    // a connect to 0.0.0.0 or :: reaches the loopback listener
    return isZero(v4 ? b.subarray(12) : b) && (v4 ? addr[12] === 127 : addr[15] === 1);
  });
}
