// struct sockaddr objects (contract item 7) and the addresses inside them.
//
// A sockaddr_in is {sin_family, sin_port, sin_addr: {s_addr}} with port and
// address in network byte order, exactly the numbers C keeps in memory, so
// `sin.sin_port = htons(8080)` ports as is; a sockaddr_in6 is {sin6_family,
// sin6_port, sin6_flowinfo, sin6_addr: {s6_addr: Uint8Array(16)},
// sin6_scope_id}; a sockaddr_un is {sun_family, sun_path}. Every object this
// module fills also answers sa_family and ss_family, which C reads through
// `struct sockaddr *` and `struct sockaddr_storage`.
import { endianness } from "node:os";
import { AF_INET, AF_INET6, AF_UNIX } from "./net_constants.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./sockaddr_text.js";
import { EAFNOSUPPORT, EINVAL } from "../libc/errno.js";

const LE = endianness() === "LE";

export function htons(x: number): number {
  x &= 0xffff;
  return LE ? ((x & 0xff) << 8) | (x >>> 8) : x;
}

export function htonl(x: number): number {
  x >>>= 0;
  return LE
    ? (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0
    : x;
}

export const ntohs = htons;
export const ntohl = htonl;

/** An address in host terms: what Node's handles take and give. */
export type Address =
  | { family: typeof AF_INET; ip: string; port: number }
  | { family: typeof AF_INET6; ip: string; port: number; flowinfo: number; scopeId: number }
  | { family: typeof AF_UNIX; path: string };

/** A `struct in_addr`'s s_addr (network order, as in memory) from the address bytes. */
export function sAddrOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, LE);
}

export function bytesOfSAddr(sAddr: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, sAddr >>> 0, LE);
  return b;
}

type Obj = Record<string, unknown>;

/** The family a sockaddr object names (read as C reads sa_family), or -1. */
export function familyOf(sa: object): number {
  const o = sa as Obj;
  for (const k of ["sa_family", "ss_family", "sin_family", "sin6_family", "sun_family"]) {
    if (typeof o[k] === "number") return o[k] as number;
  }
  return -1;
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/** The C size of a sockaddr of `family` (what socklen must at least be). */
function minLen(family: number): number {
  return family === AF_INET ? 16 : family === AF_INET6 ? 24 : 2;
}

/**
 * Reads a sockaddr object (missing fields read as zero, like a memset
 * struct). Returns the address or a negative errno: -EAFNOSUPPORT for a
 * family other than INET/INET6/UNIX, -EINVAL when socklen is too short.
 */
export function readSockaddr(sa: object, socklen?: number): Address | number {
  const o = sa as Obj;
  const family = familyOf(sa);
  if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) return -EAFNOSUPPORT;
  if (socklen !== undefined && socklen < minLen(family)) return -EINVAL;
  if (family === AF_INET) {
    const addr = (o.sin_addr ?? {}) as Obj;
    return { family, ip: formatIPv4(bytesOfSAddr(num(addr.s_addr))), port: ntohs(num(o.sin_port)) };
  }
  if (family === AF_INET6) {
    const a = ((o.sin6_addr ?? {}) as Obj).s6_addr;
    const bytes = a instanceof Uint8Array && a.length >= 16 ? a : new Uint8Array(16);
    return {
      family,
      ip: formatIPv6(bytes),
      port: ntohs(num(o.sin6_port)),
      flowinfo: num(o.sin6_flowinfo),
      scopeId: num(o.sin6_scope_id),
    };
  }
  const p = o.sun_path;
  let path = "";
  if (typeof p === "string") path = p;
  else if (p instanceof Uint8Array) {
    // The abstract namespace starts with a NUL; otherwise the path ends at one.
    const end = p[0] === 0 ? p.length : p.indexOf(0) < 0 ? p.length : p.indexOf(0);
    path = Buffer.from(p.subarray(0, end)).toString("utf8");
  }
  return { family, path };
}

const FIELDS = [
  "sa_family",
  "ss_family",
  "sin_family",
  "sin_port",
  "sin_addr",
  "sin_zero",
  "sin6_family",
  "sin6_port",
  "sin6_flowinfo",
  "sin6_addr",
  "sin6_scope_id",
  "sun_family",
  "sun_path",
];

/**
 * The bytes a sockaddr object stands for in C's memory (what memcmp sees):
 * sockaddr_in (16), sockaddr_in6 (28), sockaddr_un (110); an empty object is
 * a zeroed sockaddr_storage (128). Null for an object of another family.
 */
export function sockaddrImage(sa: object): Uint8Array | null {
  const o = sa as Obj;
  const family = familyOf(sa);
  const size = family === AF_INET ? 16 : family === AF_INET6 ? 28 : family === AF_UNIX ? 110 : 128;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  if (family === -1) return Object.keys(o).length === 0 ? b : null;
  v.setUint16(0, family, LE);
  if (family === AF_INET) {
    v.setUint16(2, num(o.sin_port), LE);
    v.setUint32(4, num(((o.sin_addr ?? {}) as Obj).s_addr) >>> 0, LE);
  } else if (family === AF_INET6) {
    v.setUint16(2, num(o.sin6_port), LE);
    v.setUint32(4, num(o.sin6_flowinfo) >>> 0, LE);
    const a = ((o.sin6_addr ?? {}) as Obj).s6_addr;
    if (a instanceof Uint8Array) b.set(a.subarray(0, 16), 8);
    v.setUint32(24, num(o.sin6_scope_id) >>> 0, LE);
  } else if (family === AF_UNIX) {
    const p = o.sun_path;
    const path =
      typeof p === "string" ? Buffer.from(p, "utf8") : p instanceof Uint8Array ? p : null;
    if (path) b.set(path.subarray(0, 108), 2);
  } else return null;
  return b;
}

/** The socklen C reports for `a`: 16, 28, or 2 + path + NUL for AF_UNIX (2 when unnamed). */
export function sockaddrLen(a: Address): number {
  if (a.family === AF_INET) return 16;
  if (a.family === AF_INET6) return 28;
  return a.path === "" ? 2 : 3 + Buffer.byteLength(a.path);
}

/** Fills the caller's sockaddr object in place (as getsockname does); returns its socklen. */
export function fillSockaddr(sa: object, a: Address): number {
  const o = sa as Obj;
  for (const k of FIELDS) delete o[k];
  let familyField: string;
  if (a.family === AF_INET) {
    familyField = "sin_family";
    o.sin_family = AF_INET;
    o.sin_port = htons(a.port);
    const bytes = parseIPv4(a.ip);
    o.sin_addr = { s_addr: bytes ? sAddrOf(bytes) : 0 };
  } else if (a.family === AF_INET6) {
    familyField = "sin6_family";
    o.sin6_family = AF_INET6;
    o.sin6_port = htons(a.port);
    o.sin6_flowinfo = a.flowinfo;
    o.sin6_addr = { s6_addr: ipv6Bytes(a.ip) };
    o.sin6_scope_id = a.scopeId;
  } else {
    familyField = "sun_family";
    o.sun_family = AF_UNIX;
    o.sun_path = a.path;
  }
  const alias = {
    get(this: Obj) {
      return this[familyField];
    },
    set(this: Obj, v: unknown) {
      this[familyField] = v;
    },
    configurable: true,
    enumerable: false,
  };
  Object.defineProperty(o, "sa_family", alias);
  Object.defineProperty(o, "ss_family", alias);
  return sockaddrLen(a);
}

function ipv6Bytes(ip: string): Uint8Array {
  return parseIPv6(ip.replace(/%.*$/, "")) ?? new Uint8Array(16);
}

/** An Address from what a Node TCP handle reports ({address, family, port}). */
export function fromUv(u: { address?: string; family?: string; port?: number }): Address | null {
  // libuv leaves the address empty for a connection already gone.
  if (typeof u.address !== "string" || u.address === "") return null;
  if (u.family === "IPv6")
    return { family: AF_INET6, ip: u.address, port: u.port ?? 0, flowinfo: 0, scopeId: 0 };
  return { family: AF_INET, ip: u.address, port: u.port ?? 0 };
}

/** The unspecified address of `family` (what getsockname reports of an unbound socket). */
export function anyAddress(family: number): Address {
  if (family === AF_INET6) return { family, ip: "::", port: 0, flowinfo: 0, scopeId: 0 };
  if (family === AF_UNIX) return { family, path: "" };
  return { family: AF_INET, ip: "0.0.0.0", port: 0 };
}
