// An integer variable used as memory: C's `memcpy(&port, mem + 2, 2)`,
// `evbuffer_copyout(buf, &len, 4)` or `evbuffer_add(buf, &len, 4)` copies
// the bytes of a scalar. Its port is the `{ value }` box of contract item 5,
// and its bytes are the value's, little-endian as on x86-64, so
// `len.value = ntohl(len.value)` ports as is. A box holds no C type, so the
// call's byte count is the variable's width: what lands in the box is the
// unsigned integer of the bytes written (a bigint box stays a bigint).
import { describe, rangeError, typeError } from "./args.js";

export type IntBox = { value: number | bigint };

/** A `{ value }` box of an integer: the only way a scalar's bytes reach memory calls. */
export function isIntBox(v: unknown): v is IntBox {
  if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype)
    return false;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== "value") return false;
  const x = (v as IntBox).value;
  return typeof x === "bigint" || typeof x === "number";
}

/** The first n bytes of the box's integer (two's complement, little-endian). */
export function boxBytes(fn: string, arg: string, box: IntBox, n: number): Uint8Array {
  if (n > 8) throw rangeError(fn, arg, `is an integer box: ${n} bytes asked of its at most 8`);
  const v = box.value;
  if (typeof v === "number" && !Number.isInteger(v))
    throw typeError(fn, arg, `is a box of ${describe(v)}, not of an integer`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return out.subarray(0, n);
}

/**
 * Runs `fill` on the box's bytes (n of them) as C would on `&var`, then
 * stores them back; returns what `fill` returned.
 */
export function fillBox(
  fn: string,
  arg: string,
  box: IntBox,
  n: number,
  fill: (mem: Uint8Array) => number,
): number {
  const mem = boxBytes(fn, arg, box, n);
  const r = fill(mem);
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(mem[i]);
  box.value = typeof box.value === "bigint" ? v : Number(v);
  return r;
}
