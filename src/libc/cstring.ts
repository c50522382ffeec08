// How the libc calls read `char *` and `void *` arguments (contract item 4).
// Internal: not re-exported by bufferevent/libc.
import { describe, rangeError, typeError } from "../args.js";

export type CString = string | Uint8Array;

/** A `const char *` argument: a string or a Uint8Array, never NULL (C would crash). */
export function cstr(fn: string, arg: string, v: unknown): CString {
  if (typeof v === "string" || v instanceof Uint8Array) return v;
  if (v === null || v === undefined) throw typeError(fn, arg, "is NULL (expected a string)");
  throw typeError(fn, arg, `must be a string or Uint8Array, got ${describe(v)}`);
}

/**
 * The bytes of a C string: a string's UTF-8, or a Uint8Array's bytes up to its
 * first NUL (or its end: a Buffer returned by evbuffer_readln has no NUL).
 */
export function cbytes(fn: string, arg: string, v: unknown): Uint8Array {
  const s = cstr(fn, arg, v);
  if (typeof s === "string") {
    const nul = s.indexOf("\0");
    return Buffer.from(nul < 0 ? s : s.slice(0, nul), "utf8");
  }
  const nul = s.indexOf(0);
  return nul < 0 ? s : s.subarray(0, nul);
}

/**
 * C's pointer `s + i` into a string argument: the suffix from byte `i` of its
 * UTF-8 (a string) or a view of the same memory (a Uint8Array). A string
 * cannot be cut inside a character; the caller names the argument that asked to.
 */
export function suffix(fn: string, arg: string, s: CString, bytes: Uint8Array, i: number): CString {
  if (s instanceof Uint8Array) return s.subarray(i);
  if (i < bytes.length && (bytes[i] & 0xc0) === 0x80)
    throw rangeError(
      fn,
      arg,
      "matches inside a multibyte UTF-8 character of a string; pass the string as a Uint8Array",
    );
  return Buffer.from(bytes.buffer, bytes.byteOffset + i, bytes.length - i).toString("utf8");
}

/** A `void *` destination: memory the call writes (C would crash on NULL). */
export function mem(fn: string, arg: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v === null || v === undefined) throw typeError(fn, arg, "is NULL (expected a Uint8Array)");
  throw typeError(fn, arg, `must be a Uint8Array, got ${describe(v)}`);
}

/**
 * A `const void *` source: a Uint8Array, or a string as C holds a literal —
 * its UTF-8 followed by the terminating NUL (`memcmp(buf, "GET ", 4)`).
 */
export function memSrc(fn: string, arg: string, v: unknown): Uint8Array {
  if (typeof v !== "string") return mem(fn, arg, v);
  const b = Buffer.alloc(Buffer.byteLength(v, "utf8") + 1);
  b.write(v, "utf8");
  return b;
}

/** A byte count that must fit the memory it describes, as C would overrun it. */
export function within(
  fn: string,
  n: number,
  nArg: string,
  ...areas: [string, Uint8Array][]
): void {
  for (const [name, area] of areas)
    if (n > area.length)
      throw rangeError(fn, nArg, `is ${n}, larger than the ${area.length} bytes of '${name}'`);
}
