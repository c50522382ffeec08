// <string.h>'s string calls and <strings.h>'s strcasecmp (contract item 12).
// A string argument is a JS string (compared and measured by its UTF-8 bytes,
// as C sees it) or a Uint8Array read up to its first NUL. A returned `char *`
// into the argument is the suffix: a string for a string, a view of the same
// memory for a Uint8Array; NULL is null. Comparisons return the difference of
// the first differing bytes as unsigned char, as glibc does (C promises the sign).
import { int, size } from "../args.js";
import { cbytes, mem, suffix, within, type CString } from "./cstring.js";

export function strlen(s: CString): number {
  if (typeof s === "string" && !s.includes("\0")) return Buffer.byteLength(s, "utf8");
  return cbytes("strlen", "s", s).length;
}

export function strcmp(s1: CString, s2: CString): number {
  return compare(cbytes("strcmp", "s1", s1), cbytes("strcmp", "s2", s2), Infinity, false);
}

export function strncmp(s1: CString, s2: CString, n: number): number {
  const a = cbytes("strncmp", "s1", s1);
  const b = cbytes("strncmp", "s2", s2);
  return compare(a, b, size("strncmp", "n", n), false);
}

/** Ignores ASCII case, as in the C locale. */
export function strcasecmp(s1: CString, s2: CString): number {
  return compare(cbytes("strcasecmp", "s1", s1), cbytes("strcasecmp", "s2", s2), Infinity, true);
}

export function strncasecmp(s1: CString, s2: CString, n: number): number {
  const a = cbytes("strncasecmp", "s1", s1);
  const b = cbytes("strncasecmp", "s2", s2);
  return compare(a, b, size("strncasecmp", "n", n), true);
}

/** The suffix from the first byte `c` (c is 0: the empty suffix at the end), or null. */
export function strchr(s: string, c: number): string | null;
export function strchr(s: Uint8Array, c: number): Uint8Array | null;
export function strchr(s: CString, c: number): CString | null;
export function strchr(s: CString, c: number): CString | null {
  const b = cbytes("strchr", "s", s);
  const ch = int("strchr", "c", c) & 0xff;
  const i = ch === 0 ? b.length : b.indexOf(ch);
  return i < 0 ? null : suffix("strchr", "c", s, b, i);
}

/** The suffix from the last byte `c`, or null. */
export function strrchr(s: string, c: number): string | null;
export function strrchr(s: Uint8Array, c: number): Uint8Array | null;
export function strrchr(s: CString, c: number): CString | null;
export function strrchr(s: CString, c: number): CString | null {
  const b = cbytes("strrchr", "s", s);
  const ch = int("strrchr", "c", c) & 0xff;
  const i = ch === 0 ? b.length : b.lastIndexOf(ch);
  return i < 0 ? null : suffix("strrchr", "c", s, b, i);
}

/** The suffix of `haystack` from the first `needle` (an empty needle: haystack itself), or null. */
export function strstr(haystack: string, needle: CString): string | null;
export function strstr(haystack: Uint8Array, needle: CString): Uint8Array | null;
export function strstr(haystack: CString, needle: CString): CString | null;
export function strstr(haystack: CString, needle: CString): CString | null {
  const h = cbytes("strstr", "haystack", haystack);
  const n = cbytes("strstr", "needle", needle);
  if (n.length === 0)
    return haystack instanceof Uint8Array ? haystack : suffix("strstr", "haystack", haystack, h, 0);
  const i = Buffer.from(h.buffer, h.byteOffset, h.length).indexOf(n);
  return i < 0 ? null : suffix("strstr", "needle", haystack, h, i);
}

/** Copies at most n bytes of src into dest and pads with NULs up to n; returns dest. */
export function strncpy(dest: Uint8Array, src: CString, n: number): Uint8Array {
  const d = mem("strncpy", "dest", dest);
  const len = size("strncpy", "n", n);
  within("strncpy", len, "n", ["dest", d]);
  const s = cbytes("strncpy", "src", src);
  const k = Math.min(s.length, len);
  d.set(s.subarray(0, k));
  d.fill(0, k, len);
  return d;
}

/** A fresh NUL-terminated copy, as a Buffer (C's `char *` that free() takes). */
export function strdup(s: CString): Buffer {
  const b = cbytes("strdup", "s", s);
  const copy = Buffer.alloc(b.length + 1);
  copy.set(b);
  return copy;
}

function compare(a: Uint8Array, b: Uint8Array, n: number, fold: boolean): number {
  for (let i = 0; i < n; i++) {
    let x = i < a.length ? a[i] : 0;
    let y = i < b.length ? b[i] : 0;
    if (fold) {
      if (x >= 65 && x <= 90) x += 32;
      if (y >= 65 && y <= 90) y += 32;
    }
    if (x !== y) return x - y;
    if (x === 0) return 0;
  }
  return 0;
}
