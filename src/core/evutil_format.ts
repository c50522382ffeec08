// util.h's writers into caller memory, with libevent's exact byte effects:
// evutil_vsnprintf (glibc's vsnprintf, then a NUL in the last byte),
// evutil_inet_ntop's two ways of filling `dst` (snprintf for IPv4, strlcpy
// for IPv6), and the ASCII-only case-insensitive comparisons.
import { cformat } from "./printf.js";
import { AF_INET, AF_INET6 } from "./evutil_sockaddr.js";
import { ntop4, ntop6 } from "./evutil_inet.js";

/** evutil_vsnprintf: 0 for a zero size, -1 for a format C rejects, else the whole output's length. */
export function vsnprintfInto(
  buf: Uint8Array,
  size: number,
  fmt: string | Uint8Array,
  ap: readonly unknown[],
): number {
  if (size === 0) return 0;
  const out = cformat(fmt, ap);
  const len = out === null ? 0 : Math.min(out.length, size - 1);
  if (out !== null) buf.set(out.subarray(0, len));
  buf[len] = 0;
  buf[size - 1] = 0;
  return out === null ? -1 : out.length;
}

/**
 * evutil_inet_ntop into dst[0..size): true when the text fits. An IPv4 text
 * that does not fit is still written, cut short (snprintf); an IPv6 one is
 * refused only when longer than size, and exactly size bytes are cut to
 * size - 1 (libevent's strlcpy after a `strlen > len` check).
 */
export function ntopInto(af: number, addr: Uint8Array, dst: Uint8Array, size: number): boolean {
  const text = Buffer.from(af === AF_INET ? ntop4(addr) : ntop6(addr), "latin1");
  if (af === AF_INET) {
    vsnprintfInto(dst, size, "%s", [text]);
    return text.length < size;
  }
  if (af !== AF_INET6 || text.length > size) return false;
  if (size > 0) {
    const len = Math.min(text.length, size - 1);
    dst.set(text.subarray(0, len));
    dst[len] = 0;
  }
  return true;
}

/** evutil_ascii_strncasecmp: A-Z folded, bytes compared as C's signed char; -1, 0 or 1. */
export function asciiCaseCmp(a: Uint8Array, b: Uint8Array, n: number): number {
  const lower = (c: number) => ((c >= 65 && c <= 90 ? c | 0x20 : c) << 24) >> 24;
  for (let i = 0; i < n; i++) {
    const x = lower(a[i] ?? 0);
    const y = lower(b[i] ?? 0);
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
}
