// event2/util.h: the flat face. Thin: checks arguments, calls src/core/.
// The descriptor half of the header (evutil_socketpair, evutil_make_*,
// EVUTIL_SOCKET_ERROR, ...) lives in ./util_sockets.ts; the POSIX socket calls
// and constants a C file sees through this header are src/libc/socket.ts's
// bindings, re-exported.
import { randomFillSync } from "node:crypto";
import * as args from "../args.js";
import { cbytes } from "../libc/cstring.js";
import { strtol } from "../libc/strtol.js";
import * as check from "./checks.js";
import {
  gmtimeNow,
  isTimerOp,
  MonotonicTimer,
  rfc1123Args,
  timerAdd,
  timerCmp,
  timerSub,
  wallClock,
  type TimerOp,
  type Tm,
} from "../core/evutil_time.js";
import { parseSockaddrPort, pton4, pton6, splitScope } from "../core/evutil_inet.js";
import { asciiCaseCmp, ntopInto, vsnprintfInto } from "../core/evutil_format.js";
import {
  AF_INET,
  AF_INET6,
  familyOf,
  fillIp,
  sockaddrCmp,
  sockaddrLen,
  type SockaddrObj,
} from "../core/evutil_sockaddr.js";
import { gaiStrerror, type Addrinfo, type Hints } from "../core/addrinfo.js";
import { freeaddrinfoCall, getaddrinfoCall } from "./addrinfo_calls.js";
import { bytesOfSAddr, sAddrOf } from "../core/sockaddr.js";
import type { Timeval } from "../core/time.js";

export * from "./util_sockets.js";
export {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  INADDR_ANY,
  INADDR_LOOPBACK,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV6_V6ONLY,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_PEEK,
  PF_INET,
  PF_INET6,
  PF_UNIX,
  PF_UNSPEC,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  TCP_NODELAY,
  accept,
  bind,
  close,
  connect,
  getpeername,
  getsockname,
  getsockopt,
  htonl,
  htons,
  inet_ntop,
  inet_pton,
  listen,
  ntohl,
  ntohs,
  read,
  recv,
  send,
  setsockopt,
  shutdown,
  socket,
  write,
} from "../libc/socket.js";
export { EV_SIZE_MAX, EV_SSIZE_MAX } from "../args.js";
export {
  EVUTIL_AI_ADDRCONFIG,
  EVUTIL_AI_ALL,
  EVUTIL_AI_CANONNAME,
  EVUTIL_AI_NUMERICHOST,
  EVUTIL_AI_NUMERICSERV,
  EVUTIL_AI_PASSIVE,
  EVUTIL_AI_V4MAPPED,
  EVUTIL_EAI_ADDRFAMILY,
  EVUTIL_EAI_AGAIN,
  EVUTIL_EAI_BADFLAGS,
  EVUTIL_EAI_CANCEL,
  EVUTIL_EAI_FAIL,
  EVUTIL_EAI_FAMILY,
  EVUTIL_EAI_MEMORY,
  EVUTIL_EAI_NODATA,
  EVUTIL_EAI_NONAME,
  EVUTIL_EAI_SERVICE,
  EVUTIL_EAI_SOCKTYPE,
  EVUTIL_EAI_SYSTEM,
} from "../core/addrinfo.js";
export { EV_MONOT_FALLBACK, EV_MONOT_PRECISE } from "../core/evutil_time.js";
export type { Addrinfo as evutil_addrinfo, MonotonicTimer as evutil_monotonic_timer, Timeval, Tm };

// Integer limits; 64-bit ones are the nearest doubles.
export const EV_INT8_MAX = 127;
export const EV_INT8_MIN = -128;
export const EV_UINT8_MAX = 255;
export const EV_INT16_MAX = 32767;
export const EV_INT16_MIN = -32768;
export const EV_UINT16_MAX = 65535;
export const EV_INT32_MAX = 2147483647;
export const EV_INT32_MIN = -2147483648;
export const EV_UINT32_MAX = 4294967295;
export const EV_INT64_MAX = 2 ** 63;
export const EV_INT64_MIN = -(2 ** 63);
export const EV_UINT64_MAX = 2 ** 64;
export const EV_SSIZE_MIN = -(2 ** 63);

// ---- struct timeval macros ----

function tvArg(fn: string, v: unknown, arg: string): Timeval {
  const tv = check.timevalOut(fn, v, arg);
  if (typeof tv.tv_sec !== "number" || typeof tv.tv_usec !== "number")
    throw args.typeError(fn, arg, "must be a struct timeval {tv_sec, tv_usec}");
  return tv;
}

export function evutil_timeradd(tvp: Timeval, uvp: Timeval, vvp: Timeval): void {
  const fn = "evutil_timeradd";
  timerAdd(tvArg(fn, tvp, "tvp"), tvArg(fn, uvp, "uvp"), check.timevalOut(fn, vvp, "vvp"));
}

export function evutil_timersub(tvp: Timeval, uvp: Timeval, vvp: Timeval): void {
  const fn = "evutil_timersub";
  timerSub(tvArg(fn, tvp, "tvp"), tvArg(fn, uvp, "uvp"), check.timevalOut(fn, vvp, "vvp"));
}

export function evutil_timerclear(tvp: Timeval): void {
  const tv = check.timevalOut("evutil_timerclear", tvp, "tvp");
  tv.tv_sec = tv.tv_usec = 0;
}

/** 1 or 0, like the C macro; `cmp` is C's operator as a string: "<", "<=", ">", ">=", "==", "!=". */
export function evutil_timercmp(tvp: Timeval, uvp: Timeval, cmp: TimerOp): number {
  const fn = "evutil_timercmp";
  if (!isTimerOp(cmp))
    throw args.typeError(
      fn,
      "cmp",
      `must be one of "<", "<=", ">", ">=", "==", "!=", got ${args.describe(cmp)}`,
    );
  return timerCmp(tvArg(fn, tvp, "tvp"), tvArg(fn, uvp, "uvp"), cmp);
}

export function evutil_timerisset(tvp: Timeval): number {
  const tv = tvArg("evutil_timerisset", tvp, "tvp");
  return tv.tv_sec || tv.tv_usec ? 1 : 0;
}

/** Fills `tv` with the wall-clock time; the timezone argument is ignored, as on Linux. Returns 0. */
export function evutil_gettimeofday(tv: Timeval, _tz?: unknown): number {
  wallClock(check.timevalOut("evutil_gettimeofday", tv, "tv"));
  return 0;
}

// ---- monotonic timers ----

export function evutil_monotonic_timer_new(): MonotonicTimer {
  return new MonotonicTimer();
}

/** NULL is accepted, as in C. */
export function evutil_monotonic_timer_free(timer: MonotonicTimer | null): void {
  if (timer === null || timer === undefined) return;
  timerArg("evutil_monotonic_timer_free", timer).freed = true;
}

const timerArg = (fn: string, v: unknown) =>
  args.obj(fn, "timer", v, MonotonicTimer, "struct evutil_monotonic_timer");

/** EV_MONOT_PRECISE and the default both use CLOCK_MONOTONIC; EV_MONOT_FALLBACK a ratcheted gettimeofday. */
export function evutil_configure_monotonic_time(timer: MonotonicTimer, flags: number): number {
  const fn = "evutil_configure_monotonic_time";
  return timerArg(fn, timer).configure(args.int(fn, "flags", flags));
}

export function evutil_gettime_monotonic(timer: MonotonicTimer, tp: Timeval): number {
  const fn = "evutil_gettime_monotonic";
  return timerArg(fn, timer).get(check.timevalOut(fn, tp, "tp"));
}

// ---- strings and numbers ----

/** A `char *buf, size_t buflen` destination; the size may not exceed the memory. */
function outBuf(
  fn: string,
  buf: unknown,
  n: unknown,
  bufArg: string,
  sizeArg: string,
): [Uint8Array, number] {
  const size = args.size(fn, sizeArg, n);
  if (!(buf instanceof Uint8Array)) {
    if (size === 0 && (buf === null || buf === undefined)) return [new Uint8Array(0), 0];
    throw args.typeError(fn, bufArg, `must be a Uint8Array, got ${args.describe(buf)}`);
  }
  if (size > buf.length)
    throw args.rangeError(
      fn,
      sizeArg,
      `is ${size}, larger than the ${buf.length} bytes of '${bufArg}'`,
    );
  return [buf, size];
}

function fmtArg(fn: string, v: unknown): string | Uint8Array {
  if (typeof v === "string" || v instanceof Uint8Array) return v;
  throw args.typeError(fn, "format", `must be a string or Uint8Array, got ${args.describe(v)}`);
}

/** Writes at most buflen - 1 bytes and a NUL; returns the length the whole output would have had. */
export function evutil_snprintf(
  buf: Uint8Array,
  buflen: number,
  format: string | Uint8Array,
  ...rest: unknown[]
): number {
  const fn = "evutil_snprintf";
  const [b, n] = outBuf(fn, buf, buflen, "buf", "buflen");
  return vsnprintfInto(b, n, fmtArg(fn, format), rest);
}

/** `va_list ap` is an array of the arguments. */
export function evutil_vsnprintf(
  buf: Uint8Array,
  buflen: number,
  format: string | Uint8Array,
  ap: readonly unknown[],
): number {
  const fn = "evutil_vsnprintf";
  const [b, n] = outBuf(fn, buf, buflen, "buf", "buflen");
  if (!Array.isArray(ap))
    throw args.typeError(fn, "ap", `must be an array of arguments, got ${args.describe(ap)}`);
  return vsnprintfInto(b, n, fmtArg(fn, format), ap);
}

/**
 * strtoll as glibc does it (64-bit; results beyond 2^53 are the nearest
 * double; ERANGE/EINVAL in errno). `endptr` is a `{ value }` box that
 * receives the index where parsing stopped.
 */
export function evutil_strtoll(
  s: string | Uint8Array,
  endptr: { value: number } | null,
  base: number,
): number {
  const fn = "evutil_strtoll";
  cbytes(fn, "s", s);
  check.box(fn, endptr, "endptr");
  return strtol(s, endptr, args.int(fn, "base", base));
}

/** ASCII-only case folding; bytes compare as C's signed char, as libevent does. Returns -1, 0 or 1. */
export function evutil_ascii_strcasecmp(s1: string | Uint8Array, s2: string | Uint8Array): number {
  const fn = "evutil_ascii_strcasecmp";
  return asciiCaseCmp(cbytes(fn, "s1", s1), cbytes(fn, "s2", s2), Infinity);
}

export function evutil_ascii_strncasecmp(
  s1: string | Uint8Array,
  s2: string | Uint8Array,
  n: number,
): number {
  const fn = "evutil_ascii_strncasecmp";
  return asciiCaseCmp(cbytes(fn, "s1", s1), cbytes(fn, "s2", s2), args.size(fn, "n", n));
}

/**
 * Writes "Sun, 06 Nov 1994 08:49:37 GMT" for `tm` (a struct tm object; null
 * means now) into `date` as evutil_snprintf does; returns its length.
 */
export function evutil_date_rfc1123(date: Uint8Array, datelen: number, tm: Tm | null): number {
  const fn = "evutil_date_rfc1123";
  const [b, n] = outBuf(fn, date, datelen, "date", "datelen");
  const t = tm === null || tm === undefined ? gmtimeNow() : tmArg(fn, tm);
  const [fmt, ap] = rfc1123Args(t);
  return vsnprintfInto(b, n, fmt, ap);
}

function tmArg(fn: string, v: unknown): Tm {
  const tm = v as Tm;
  if (typeof v !== "object" || v === null)
    throw args.typeError(fn, "tm", `must be a struct tm object or null, got ${args.describe(v)}`);
  for (const k of [
    "tm_sec",
    "tm_min",
    "tm_hour",
    "tm_mday",
    "tm_mon",
    "tm_year",
    "tm_wday",
  ] as const)
    args.int(fn, `tm.${k}`, tm[k]);
  if (tm.tm_wday < 0 || tm.tm_wday > 6)
    throw args.rangeError(fn, "tm.tm_wday", `must be 0..6, got ${tm.tm_wday}`);
  if (tm.tm_mon < 0 || tm.tm_mon > 11)
    throw args.rangeError(fn, "tm.tm_mon", `must be 0..11, got ${tm.tm_mon}`);
  return tm;
}

// ---- the secure random number generator (node:crypto) ----

export function evutil_secure_rng_init(): number {
  return 0;
}

/** Returns -1: like libevent built on a libc with arc4random, there is no device file to choose. */
export function evutil_secure_rng_set_urandom_device_file(fname: string | Uint8Array): number {
  cbytes("evutil_secure_rng_set_urandom_device_file", "fname", fname);
  return -1;
}

export function evutil_secure_rng_get_bytes(buf: Uint8Array, n: number): void {
  const [b, len] = outBuf("evutil_secure_rng_get_bytes", buf, n, "buf", "n");
  randomFillSync(b, 0, len);
}

/** Accepted and ignored: the operating system's generator needs no seeding. */
export function evutil_secure_rng_add_bytes(buf: Uint8Array | string, n: number): void {
  args.sizedBytes("evutil_secure_rng_add_bytes", buf, n, "buf", "n");
}

// ---- addresses ----

/** `struct in_addr *` / `struct in6_addr *` to read: {s_addr}, {s6_addr}, or the raw bytes. */
function addrIn(fn: string, af: number, v: unknown): Uint8Array {
  const need = af === AF_INET ? 4 : 16;
  const o = v as { s_addr?: unknown; s6_addr?: unknown };
  let bytes: Uint8Array | null = null;
  if (v instanceof Uint8Array) bytes = v;
  else if (af === AF_INET && typeof o?.s_addr === "number") bytes = bytesOfSAddr(o.s_addr);
  else if (af === AF_INET6 && o?.s6_addr instanceof Uint8Array) bytes = o.s6_addr;
  if (!bytes || bytes.length < need)
    throw args.typeError(
      fn,
      "src",
      `must be a ${af === AF_INET ? "struct in_addr {s_addr}" : "struct in6_addr {s6_addr}"} or ${need} bytes, got ${args.describe(v)}`,
    );
  return bytes.subarray(0, need);
}

/** Stores address bytes into a `struct in_addr` / `in6_addr` object or raw memory. */
function addrOut(fn: string, af: number, dst: unknown, bytes: Uint8Array): void {
  if (dst instanceof Uint8Array) {
    if (dst.length < bytes.length)
      throw args.rangeError(fn, "dst", `holds ${dst.length} bytes, too few for ${bytes.length}`);
    dst.set(bytes);
    return;
  }
  const o = dst as { s_addr?: number; s6_addr?: Uint8Array };
  if (af === AF_INET) o.s_addr = sAddrOf(bytes);
  else if (o.s6_addr instanceof Uint8Array && o.s6_addr.length >= 16) o.s6_addr.set(bytes);
  else o.s6_addr = Uint8Array.from(bytes);
}

function dstArg(fn: string, v: unknown): object {
  if (v === null || typeof v !== "object")
    throw args.typeError(
      fn,
      "dst",
      `must be a struct in_addr / in6_addr object or a Uint8Array, got ${args.describe(v)}`,
    );
  return v;
}

/** 1 on success, 0 for text that is not an address of the family, -1 for an unknown family. */
export function evutil_inet_pton(af: number, src: string | Uint8Array, dst: object): number {
  const fn = "evutil_inet_pton";
  return ptonInto(fn, args.int(fn, "af", af), cbytes(fn, "src", src), dstArg(fn, dst));
}

function ptonInto(fn: string, af: number, s: Uint8Array, dst: object): number {
  if (af !== AF_INET && af !== AF_INET6) return -1;
  const bytes = af === AF_INET ? pton4(s) : pton6(s);
  if (!bytes) return 0;
  addrOut(fn, af, dst, bytes);
  return 1;
}

/**
 * Like evutil_inet_pton, and for IPv6 also takes "addr%zone" (an interface
 * name or number), storing the zone's index in the `{ value }` box `indexp`.
 */
export function evutil_inet_pton_scope(
  af: number,
  src: string | Uint8Array,
  dst: object,
  indexp: { value: number },
): number {
  const fn = "evutil_inet_pton_scope";
  const a = args.int(fn, "af", af);
  const s = cbytes(fn, "src", src);
  const out = dstArg(fn, dst);
  const idx = check.box<number>(fn, indexp, "indexp");
  if (!idx) throw args.typeError(fn, "indexp", "is NULL (expected a { value } box)");
  idx.value = 0;
  if (a !== AF_INET6) return ptonInto(fn, a, s, out);
  const scoped = splitScope(s);
  if (!scoped) return 0;
  idx.value = scoped.index;
  return ptonInto(fn, a, scoped.addr, out);
}

/**
 * Writes the text of the address into `dst` (at most `len` bytes with the
 * NUL) and returns `dst` itself, as C returns its pointer; null when it does
 * not fit (an IPv4 text is still written, truncated, as libevent's snprintf
 * leaves it) or for an unknown family.
 */
export function evutil_inet_ntop(
  af: number,
  src: object | Uint8Array,
  dst: Uint8Array,
  len: number,
): Uint8Array | null {
  const fn = "evutil_inet_ntop";
  const a = args.int(fn, "af", af);
  const [out, n] = outBuf(fn, dst, len, "dst", "len");
  if (a !== AF_INET && a !== AF_INET6) return null;
  return ntopInto(a, addrIn(fn, a, src), out, n) ? out : null;
}

/** `int *outlen` must be a box: it gives the room in `out` and receives the length used. */
export function evutil_parse_sockaddr_port(
  ip_as_string: string | Uint8Array,
  out: SockaddrObj,
  outlen: { value: number },
): number {
  const fn = "evutil_parse_sockaddr_port";
  const s = cbytes(fn, "ip_as_string", ip_as_string);
  if (out === null || typeof out !== "object")
    throw args.typeError(
      fn,
      "out",
      `must be a sockaddr object to fill ({} for a sockaddr_storage), got ${args.describe(out)}`,
    );
  const len = check.box<number>(fn, outlen, "outlen");
  if (!len) throw args.typeError(fn, "outlen", "is NULL (expected a { value } box)");
  const room = args.int(fn, "outlen.value", len.value);
  const ip = parseSockaddrPort(s);
  if (!ip || sockaddrLen(ip.family) > room) return -1;
  fillIp(out, ip);
  len.value = sockaddrLen(ip.family);
  return 0;
}

function sockaddrArg(fn: string, v: unknown, arg: string): SockaddrObj {
  if (v === null || typeof v !== "object" || familyOf(v as SockaddrObj) < 0)
    throw args.typeError(
      fn,
      arg,
      `must be a sockaddr object with a family, got ${args.describe(v)}`,
    );
  const sa = v as SockaddrObj;
  const fam = familyOf(sa);
  if (fam === AF_INET && typeof sa.sin_addr?.s_addr !== "number")
    throw args.typeError(fn, arg, "is an AF_INET sockaddr without sin_addr.s_addr");
  if (fam === AF_INET6 && !(sa.sin6_addr?.s6_addr?.length >= 16))
    throw args.typeError(fn, arg, "is an AF_INET6 sockaddr without sin6_addr.s6_addr (16 bytes)");
  return sa;
}

/** Orders by family, address, then (if include_port) port: negative, 0 or positive. */
export function evutil_sockaddr_cmp(
  sa1: SockaddrObj,
  sa2: SockaddrObj,
  include_port: number | boolean,
): number {
  const fn = "evutil_sockaddr_cmp";
  const a = sockaddrArg(fn, sa1, "sa1");
  const b = sockaddrArg(fn, sa2, "sa2");
  return sockaddrCmp(a, b, args.int(fn, "include_port", include_port) !== 0);
}

// ---- getaddrinfo ----

/**
 * glibc's getaddrinfo, as libevent calls it on Linux: numeric hosts and
 * services are answered at once; other names block on the system resolver
 * (a child process runs the lookup), as the C call blocks. `res` is a
 * `{ value }` box receiving the list; 0 or an EVUTIL_EAI_* code.
 */
export function evutil_getaddrinfo(
  nodename: string | Uint8Array | null,
  servname: string | Uint8Array | null,
  hints: Partial<Hints> | null,
  res: { value: Addrinfo | null },
): number {
  return getaddrinfoCall("evutil_getaddrinfo", nodename, servname, hints, res);
}

/** Releases a list from evutil_getaddrinfo or evdns_getaddrinfo; freeing one twice throws, as C would crash. */
export function evutil_freeaddrinfo(ai: Addrinfo): void {
  freeaddrinfoCall("evutil_freeaddrinfo", ai);
}

export function evutil_gai_strerror(err: number): string {
  return gaiStrerror(args.int("evutil_gai_strerror", "err", err));
}
