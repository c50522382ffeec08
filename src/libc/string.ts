// <string.h>'s string calls and <strings.h>'s strcasecmp (contract item 12).
// A string argument is a JS string (compared and measured by its UTF-8 bytes,
// as C sees it) or a Uint8Array read up to its first NUL. A returned `char *`
// into the argument is the suffix: a string for a string, a view of the same
// memory for a Uint8Array; NULL is null. Comparisons return the difference of
// the first differing bytes as unsigned char, as glibc does (C promises the sign).
import { describe, int, rangeError, size, typeError } from "../args.js";
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

/** Copies src and its NUL into dest; returns dest. */
export function strcpy(dest: Uint8Array, src: CString): Uint8Array {
  const d = mem("strcpy", "dest", dest);
  const s = cbytes("strcpy", "src", src);
  if (s.length + 1 > d.length)
    throw rangeError("strcpy", "dest", `holds ${d.length} bytes, too few for ${s.length + 1}`);
  d.set(s);
  d[s.length] = 0;
  return d;
}

/** Appends src to the string in dest, and a NUL; returns dest. */
export function strcat(dest: Uint8Array, src: CString): Uint8Array {
  return append("strcat", dest, cbytes("strcat", "src", src));
}

/** Appends at most n bytes of src to the string in dest, and a NUL; returns dest. */
export function strncat(dest: Uint8Array, src: CString, n: number): Uint8Array {
  const s = cbytes("strncat", "src", src);
  return append("strncat", dest, s.subarray(0, Math.min(s.length, size("strncat", "n", n))));
}

function append(fn: string, dest: unknown, s: Uint8Array): Uint8Array {
  const d = mem(fn, "dest", dest);
  const at = d.indexOf(0);
  if (at < 0) throw rangeError(fn, "dest", `holds no NUL in its ${d.length} bytes`);
  if (at + s.length + 1 > d.length)
    throw rangeError(fn, "dest", `holds ${d.length} bytes, too few for ${at + s.length + 1}`);
  d.set(s, at);
  d[at + s.length] = 0;
  return d;
}

let strtokSave: Uint8Array | null = null;

/**
 * strtok(3): the next token of `str` (a Uint8Array, as strtok writes NULs
 * into it), or of the string of the last call when str is null; null when no
 * token is left. A token is a view of `str` from its first byte (a NUL ends it).
 */
export function strtok(str: Uint8Array | null, delim: CString): Uint8Array | null {
  const box = { value: strtokSave };
  const r = tokenize("strtok", str, delim, box);
  strtokSave = box.value;
  return r;
}

/** strtok_r(3): strtok with its place kept in `saveptr`, a { value } box. */
export function strtok_r(
  str: Uint8Array | null,
  delim: CString,
  saveptr: { value: Uint8Array | null },
): Uint8Array | null {
  if (saveptr === null || typeof saveptr !== "object")
    throw typeError("strtok_r", "saveptr", `must be a { value } box, got ${describe(saveptr)}`);
  return tokenize("strtok_r", str, delim, saveptr);
}

function tokenize(
  fn: string,
  str: unknown,
  delim: unknown,
  save: { value: Uint8Array | null },
): Uint8Array | null {
  let s: Uint8Array;
  if (str === null || str === undefined) {
    if (!(save.value instanceof Uint8Array))
      throw typeError(fn, "str", "is NULL with no string left from an earlier call");
    s = save.value;
  } else if (str instanceof Uint8Array) s = str;
  else
    throw typeError(fn, "str", `must be a Uint8Array (${fn} writes into it), got ${describe(str)}`);
  const d = cbytes(fn, "delim", delim);
  const end = s.indexOf(0) < 0 ? s.length : s.indexOf(0);
  let i = 0;
  while (i < end && d.includes(s[i])) i++;
  if (i === end) {
    save.value = s.subarray(end);
    return null;
  }
  let j = i;
  while (j < end && !d.includes(s[j])) j++;
  if (j === end) save.value = s.subarray(end);
  else {
    s[j] = 0;
    save.value = s.subarray(j + 1);
  }
  return s.subarray(i);
}
