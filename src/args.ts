// The one argument-checking layer of the faces (contract item 3): misuse that
// would crash or corrupt memory in C throws, naming the function and argument.

export const EV_SIZE_MAX = 2 ** 64; // nearest double to SIZE_MAX (18446744073709551615)
export const EV_SSIZE_MAX = 2 ** 63; // nearest double to 9223372036854775807

export function typeError(fn: string, arg: string, what: string): TypeError {
  return new TypeError(`${fn}: argument '${arg}' ${what}`);
}

export function rangeError(fn: string, arg: string, what: string): RangeError {
  return new RangeError(`${fn}: argument '${arg}' ${what}`);
}

/** A C `size_t`: a non-negative integer (up to EV_SIZE_MAX). Bigints are accepted. */
export function size(fn: string, arg: string, v: unknown): number {
  if (typeof v === "bigint") v = Number(v);
  if (typeof v !== "number")
    throw typeError(fn, arg, `must be a size (number), got ${describe(v)}`);
  if (!Number.isInteger(v) || v < 0 || v > EV_SIZE_MAX)
    throw rangeError(fn, arg, `must be a non-negative integer size, got ${v}`);
  return v;
}

/** A C `ssize_t`/`ev_ssize_t`: an integer, -1 usually meaning "all". */
export function ssize(fn: string, arg: string, v: unknown): number {
  if (typeof v === "bigint") v = Number(v);
  if (typeof v !== "number")
    throw typeError(fn, arg, `must be an integer (number), got ${describe(v)}`);
  if (!Number.isInteger(v) || Math.abs(v) > EV_SIZE_MAX)
    throw rangeError(fn, arg, `must be an integer, got ${v}`);
  return v;
}

/** A C `int` (flags, modes, descriptors). */
export function int(fn: string, arg: string, v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number")
    throw typeError(fn, arg, `must be an integer (number), got ${describe(v)}`);
  if (!Number.isInteger(v)) throw rangeError(fn, arg, `must be an integer, got ${v}`);
  return v;
}

/** A C function pointer that may be NULL. */
export function optFn<T extends (...a: any[]) => any>(
  fn: string,
  arg: string,
  v: unknown,
): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "function")
    throw typeError(fn, arg, `must be a function or null, got ${describe(v)}`);
  return v as T;
}

/** An object of class `cls` that has not been freed (objects carry `freed`). */
export function obj<T extends object>(
  fn: string,
  arg: string,
  v: unknown,
  cls: abstract new (...a: any[]) => T,
  cname: string,
): T {
  if (!(v instanceof cls)) {
    if (v === null || v === undefined) throw typeError(fn, arg, `is NULL (expected a ${cname})`);
    throw typeError(fn, arg, `must be a ${cname}, got ${describe(v)}`);
  }
  if ((v as { freed?: boolean }).freed)
    throw typeError(fn, arg, `is a ${cname} that was already freed`);
  return v;
}

/**
 * A struct of the program's own: a plain object (`{}`), which calls may fill
 * or clear in place. The library's objects are opaque, as their C structs are.
 */
export function isPlainStruct(v: unknown): v is object {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `const void *data`: bytes or a string (UTF-8). */
export function bytes(fn: string, arg: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return Buffer.from(v, "utf8");
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  throw typeError(fn, arg, `must be a Uint8Array or string, got ${describe(v)}`);
}

/**
 * A string given with one byte more than it holds: C's string literal and its
 * terminating NUL (`write(fd, "hi", strlen("hi") + 1)`). Otherwise null.
 */
export function nulTerminated(data: unknown, b: Uint8Array, len: number): Uint8Array | null {
  if (typeof data !== "string" || len !== b.length + 1) return null;
  const z = new Uint8Array(len);
  z.set(b);
  return z;
}

/** `data, size` pair: the size defaults to the data's length and may not exceed it (a string's NUL aside). */
export function sizedBytes(
  fn: string,
  data: unknown,
  n: unknown,
  dataArg = "data",
  sizeArg = "size",
): Uint8Array {
  const b = bytes(fn, dataArg, data);
  if (n === undefined) return b;
  const len = size(fn, sizeArg, n);
  if (len > b.length) {
    const z = nulTerminated(data, b, len);
    if (z) return z;
    throw rangeError(fn, sizeArg, `is ${len}, larger than the ${b.length} bytes of '${dataArg}'`);
  }
  return len === b.length ? b : b.subarray(0, len);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  if (typeof v === "string")
    return `string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}
