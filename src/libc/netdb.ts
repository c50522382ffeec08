// <netdb.h>: getaddrinfo, freeaddrinfo, gai_strerror and getnameinfo, as
// glibc gives them. getaddrinfo is the very call evutil_getaddrinfo makes on
// Linux (numeric hosts at once, names through the system resolver, which
// blocks); getnameinfo formats numerically or asks the resolver for the name.
import * as args from "../args.js";
import { freeaddrinfoCall, getaddrinfoCall } from "../event2/addrinfo_calls.js";
import { glibcGaiStrerror, type Addrinfo, type Hints } from "../core/addrinfo.js";
import { servByPort } from "../core/addrinfo_services.js";
import { reverseBlocking } from "../core/addrinfo_lookup.js";
import { readSockaddr } from "../core/sockaddr.js";
import { hostname } from "node:os";
import { AF_UNIX } from "../core/net_constants.js";

export const AI_PASSIVE = 0x1;
export const AI_CANONNAME = 0x2;
export const AI_NUMERICHOST = 0x4;
export const AI_V4MAPPED = 0x8;
export const AI_ALL = 0x10;
export const AI_ADDRCONFIG = 0x20;
export const AI_NUMERICSERV = 0x400;

export const EAI_BADFLAGS = -1;
export const EAI_NONAME = -2;
export const EAI_AGAIN = -3;
export const EAI_FAIL = -4;
export const EAI_NODATA = -5;
export const EAI_FAMILY = -6;
export const EAI_SOCKTYPE = -7;
export const EAI_SERVICE = -8;
export const EAI_ADDRFAMILY = -9;
export const EAI_MEMORY = -10;
export const EAI_SYSTEM = -11;
export const EAI_OVERFLOW = -12;

export const NI_NUMERICHOST = 1;
export const NI_NUMERICSERV = 2;
export const NI_NOFQDN = 4;
export const NI_NAMEREQD = 8;
export const NI_DGRAM = 16;
export const NI_MAXHOST = 1025;
export const NI_MAXSERV = 32;

/** getaddrinfo(3): 0 and the list in `res.value`, or an EAI_* code. */
export function getaddrinfo(
  node: string | Uint8Array | null,
  service: string | Uint8Array | null,
  hints: Partial<Hints> | null,
  res: { value: Addrinfo | null },
): number {
  return getaddrinfoCall("getaddrinfo", node, service, hints, res);
}

/** freeaddrinfo(3); freeing a list twice throws, as C would crash. */
export function freeaddrinfo(res: Addrinfo): void {
  freeaddrinfoCall("freeaddrinfo", res);
}

/** gai_strerror(3): glibc's text for an EAI_* code. */
export function gai_strerror(errcode: number): string {
  return glibcGaiStrerror(args.int("gai_strerror", "errcode", errcode));
}

function outText(fn: string, arg: string, buf: unknown, len: unknown): Uint8Array | null {
  if (buf === null || buf === undefined) return null;
  if (!(buf instanceof Uint8Array))
    throw args.typeError(
      fn,
      arg,
      `must be a Uint8Array to fill or null, got ${args.describe(buf)}`,
    );
  const n = args.size(fn, `${arg}len`, len);
  if (n > buf.length)
    throw args.rangeError(fn, `${arg}len`, `${n} exceeds ${arg}'s ${buf.length} bytes`);
  return n === 0 ? null : buf.subarray(0, n);
}

/** Copies `s` with its NUL into `out`; false if it does not fit. */
function put(out: Uint8Array, s: string): boolean {
  const b = Buffer.from(s + "\0", "utf8");
  if (b.length > out.length) return false;
  out.set(b);
  return true;
}

/**
 * getnameinfo(3): the host and service of a sockaddr_in/_in6 object as NUL-terminated
 * text in `host` and `serv` (either may be null). 0, or EAI_FAMILY, EAI_NONAME,
 * EAI_OVERFLOW as glibc returns them. Without NI_NUMERICHOST the name comes
 * from the system resolver (hosts file, then DNS), which blocks as in C.
 */
export function getnameinfo(
  sa: object,
  salen: number,
  host: Uint8Array | null,
  hostlen: number,
  serv: Uint8Array | null,
  servlen: number,
  flags: number,
): number {
  const fn = "getnameinfo";
  if (sa === null || typeof sa !== "object")
    throw args.typeError(fn, "sa", `must be a sockaddr object, got ${args.describe(sa)}`);
  const len = args.int(fn, "salen", salen);
  const f = args.int(fn, "flags", flags);
  const h = outText(fn, "host", host, hostlen);
  const s = outText(fn, "serv", serv, servlen);
  const a = readSockaddr(sa, len);
  if (typeof a === "number") return EAI_FAMILY;
  if (a.family === AF_UNIX) {
    // glibc names the local host ("localhost" if numeric), the socket's path as the service.
    if (h !== null && !put(h, f & NI_NUMERICHOST ? "localhost" : hostname())) return EAI_OVERFLOW;
    if (s !== null && !put(s, a.path)) return EAI_OVERFLOW;
    return 0;
  }
  if (h !== null) {
    let name = f & NI_NUMERICHOST ? null : reverseBlocking(a.ip);
    if (name === null && f & NI_NAMEREQD) return EAI_NONAME;
    if (name !== null && f & NI_NOFQDN) name = name.split(".")[0];
    if (!put(h, name ?? a.ip)) return EAI_OVERFLOW;
  }
  if (s !== null) {
    const name = f & NI_NUMERICSERV ? null : servByPort(a.port, f & NI_DGRAM ? "udp" : "tcp");
    if (name !== null) {
      if (!put(s, name)) return EAI_OVERFLOW;
    } else {
      // glibc snprintf()s the number: a short buffer keeps what fits.
      const text = Buffer.from(String(a.port), "latin1");
      const n = Math.min(text.length, s.length - 1);
      s.set(text.subarray(0, n));
      s[n] = 0;
      if (n < text.length) return EAI_OVERFLOW;
    }
  }
  return 0;
}
