// <stdlib.h>'s allocator and <string.h>'s mem* calls (contract items 4 and 12).
// Heap memory is a zeroed Uint8Array; a pointer into it is a view of the same
// ArrayBuffer (memchr's result), equal to another when both view the same
// bytes. Sizes C accepts but cannot satisfy return NULL (null) with ENOMEM.
import { EV_SIZE_MAX, describe, int, isPlainStruct, size, typeError } from "../args.js";
import { ENOMEM, set_errno } from "./errno.js";
import { mem, memSrc, within } from "./cstring.js";
import { boxBytes, fillBox, isIntBox } from "../int_box.js";
import { sockaddrImage } from "../core/sockaddr.js";

/** size bytes, zeroed (so malloc behaves as calloc; C leaves them unspecified). */
export function malloc(n: number): Uint8Array | null {
  return allocate(size("malloc", "size", n));
}

export function calloc(nmemb: number, n: number): Uint8Array | null {
  const total = size("calloc", "nmemb", nmemb) * size("calloc", "size", n);
  return total > EV_SIZE_MAX ? enomem() : allocate(total);
}

/**
 * A new array of `size` bytes holding the old bytes (the old one stays valid
 * on failure, as in C). realloc(NULL, n) is malloc(n); realloc(p, 0) frees
 * p and returns NULL, as glibc does.
 */
export function realloc(ptr: Uint8Array | null, n: number): Uint8Array | null {
  const len = size("realloc", "size", n);
  if (ptr === null || ptr === undefined) return allocate(len);
  const old = mem("realloc", "ptr", ptr);
  if (len === 0) return null;
  const grown = allocate(len);
  grown?.set(old.subarray(0, Math.min(old.length, len)));
  return grown;
}

/** Memory is the garbage collector's; free accepts any pointer and NULL. */
export function free(ptr: unknown): void {
  if (ptr !== null && ptr !== undefined && typeof ptr !== "object" && typeof ptr !== "string")
    throw typeError("free", "ptr", `must be memory or null, got ${describe(ptr)}`);
}

/**
 * Copies n bytes; returns dest. Overlap is handled as memmove (C leaves it
 * undefined). An integer box is the bytes of its integer (int_box.ts);
 * between two struct objects, the struct is copied (copyStruct).
 */
export function memcpy<T extends Uint8Array | object>(
  dest: T,
  src: Uint8Array | string | object,
  n: number,
): T {
  return copy("memcpy", dest, src, n);
}

export function memmove<T extends Uint8Array | object>(
  dest: T,
  src: Uint8Array | string | object,
  n: number,
): T {
  return copy("memmove", dest, src, n);
}

/**
 * Fills n bytes with (unsigned char)c; returns s. A struct object
 * (`memset(&sin, 0, sizeof(sin))` on a `{}`) is cleared of its fields
 * instead: a zeroed C struct is an empty object. An array of structs
 * (`struct evbuffer_iovec v[20]; memset(v, 0, sizeof(v))`) has each cleared.
 */
export function memset<T extends Uint8Array | object>(s: T, c: number, n: number): T {
  return fill("memset", s, c, n);
}

/** <strings.h>'s bzero(s, n): memset(s, 0, n), struct objects included. */
export function bzero(s: Uint8Array | object, n: number): void {
  fill("bzero", s, 0, n);
}

function fill<T extends Uint8Array | object>(fn: string, s: T, c: number, n: number): T {
  if (s !== null && typeof s === "object" && !ArrayBuffer.isView(s)) {
    const structs = Array.isArray(s) ? s : [s];
    if (!structs.every(isPlainStruct))
      throw typeError(fn, "s", `must be a struct object or bytes, got ${describe(s)}`);
    if ((int(fn, "c", c) & 0xff) !== 0)
      throw typeError(fn, "c", "must be 0 when 's' is a struct object");
    size(fn, "n", n);
    for (const o of structs)
      for (const k of Object.keys(o)) delete (o as Record<string, unknown>)[k];
    return s;
  }
  const d = mem(fn, "s", s);
  const len = size(fn, "n", n);
  within(fn, len, "n", ["s", d]);
  d.fill(int(fn, "c", c) & 0xff, 0, len);
  return s;
}

/**
 * The difference of the first differing bytes (as unsigned char), or 0.
 * Sockaddr objects (`memcmp(&sin, &ss, sizeof(sin))`) compare as C's bytes.
 */
export function memcmp(
  s1: Uint8Array | string | object,
  s2: Uint8Array | string | object,
  n: number,
): number {
  const a = cmpArg("s1", s1);
  const b = cmpArg("s2", s2);
  const len = size("memcmp", "n", n);
  within("memcmp", len, "n", ["s1", a], ["s2", b]);
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function cmpArg(arg: string, v: unknown): Uint8Array {
  if (!isPlainStruct(v)) return memSrc("memcmp", arg, v);
  const image = sockaddrImage(v);
  if (!image)
    throw typeError(
      "memcmp",
      arg,
      "is a struct object memcmp cannot see as bytes (only sockaddrs)",
    );
  return image;
}

/** C's pointer to the first byte c among the first n: a view of s from there, or null. */
export function memchr(s: Uint8Array, c: number, n: number): Uint8Array | null {
  const b = mem("memchr", "s", s);
  const ch = int("memchr", "c", c) & 0xff;
  const len = size("memchr", "n", n);
  within("memchr", len, "n", ["s", b]);
  const i = b.subarray(0, len).indexOf(ch);
  return i < 0 ? null : b.subarray(i);
}

function copy<T>(fn: string, dest: T, src: unknown, n: unknown): T {
  const boxes = isIntBox(dest) || isIntBox(src);
  if (!boxes && (isPlainStruct(dest) || isPlainStruct(src))) return copyStruct(fn, dest, src, n);
  const len = size(fn, "n", n);
  const s = isIntBox(src) ? boxBytes(fn, "src", src, len) : memSrc(fn, "src", src);
  within(fn, len, "n", ["src", s]);
  const put = (d: Uint8Array) => d.set(len === s.length ? s : s.subarray(0, len));
  if (isIntBox(dest)) {
    fillBox(fn, "dest", dest, len, (d) => (put(d), len));
  } else {
    const d = mem(fn, "dest", dest);
    within(fn, len, "n", ["dest", d]);
    put(d);
  }
  return dest;
}

/**
 * `memcpy(&dst, &src, sizeof(dst))` between two struct objects is C's struct
 * assignment: dest's fields become copies of src's (nested structs and arrays
 * by value, as C copies them; library objects, C's pointers, by reference).
 */
function copyStruct<T>(fn: string, dest: T, src: unknown, n: unknown): T {
  if (!isPlainStruct(dest))
    throw typeError(fn, "dest", `must be a struct object when 'src' is one, got ${describe(dest)}`);
  if (!isPlainStruct(src))
    throw typeError(fn, "src", `must be a struct object when 'dest' is one, got ${describe(src)}`);
  size(fn, "n", n);
  if (dest === src) return dest;
  for (const k of Object.keys(dest)) delete (dest as Record<string, unknown>)[k];
  Object.assign(dest, byValue(src));
  return dest;
}

function byValue(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return (v as Uint8Array).slice();
  if (Array.isArray(v)) return v.map(byValue);
  if (!isPlainStruct(v)) return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = byValue(x);
  return o;
}

function allocate(n: number): Uint8Array | null {
  try {
    return new Uint8Array(n);
  } catch {
    return enomem(); // beyond what a typed array can hold, or out of memory
  }
}

function enomem(): null {
  set_errno(ENOMEM);
  return null;
}
