// <stdlib.h>'s string-to-integer calls, with glibc's rules: leading white
// space, a sign, base 0 guessing 0x/0 prefixes, ERANGE clamping, EINVAL for a
// bad base. `long` is 64-bit (x86-64 Linux); results beyond 2^53 are the
// nearest double, like the package's other 64-bit values. `char **endptr` is a
// `{ value }` box that receives the index where parsing stopped.
import { int } from "../args.js";
import { box } from "../event2/checks.js";
import { EINVAL, ERANGE, set_errno } from "./errno.js";
import { cbytes, type CString } from "./cstring.js";

const LONG_MAX = 2n ** 63n - 1n;
const ULONG_MAX = 2n ** 64n - 1n;

/** (int)strtol(nptr, NULL, 10), as glibc defines it: a long wraps to 32 bits. */
export function atoi(nptr: CString): number {
  const v = toLong(parse("atoi", nptr, 10));
  return typeof v === "number" ? v | 0 : Number(BigInt.asIntN(32, v));
}

export function atol(nptr: CString): number {
  return Number(toLong(parse("atol", nptr, 10)));
}

export function strtol(nptr: CString, endptr: { value: number } | null, base: number): number {
  return Number(toLong(parse("strtol", nptr, base, endptr)));
}

/** Negative input wraps as unsigned long (strtoul("-1") is ULONG_MAX, 2^64 as a double). */
export function strtoul(nptr: CString, endptr: { value: number } | null, base: number): number {
  const r = parse("strtoul", nptr, base, endptr);
  if (r === null) return 0;
  if (big(r.magnitude) > ULONG_MAX) return Number(range(ULONG_MAX));
  if (!r.negative || r.magnitude === 0) return Number(r.magnitude);
  return Number(2n ** 64n - big(r.magnitude));
}

interface Parsed {
  negative: boolean;
  magnitude: number | bigint; // a number while it is exact
}

/** Parses digits, storing the end index in endptr; null for a bad base (endptr untouched, EINVAL). */
function parse(fn: string, nptr: unknown, baseArg: unknown, endptr?: unknown): Parsed | null {
  const s = cbytes(fn, "nptr", nptr);
  const end = box<number>(fn, endptr, "endptr");
  let base = int(fn, "base", baseArg);
  if (base < 0 || base === 1 || base > 36) {
    set_errno(EINVAL);
    return null;
  }
  let i = 0;
  while (s[i] === 32 || (s[i] >= 9 && s[i] <= 13)) i++;
  const negative = s[i] === 45; // '-'
  if (negative || s[i] === 43) i++; // '+'
  if (
    (base === 0 || base === 16) &&
    s[i] === 48 &&
    (s[i + 1] | 0x20) === 120 &&
    digit(s[i + 2]) < 16
  ) {
    i += 2; // 0x, only when a hex digit follows; "0x" alone parses as 0 ending at the x
    base = 16;
  } else if (base === 0) base = s[i] === 48 ? 8 : 10;
  const start = i;
  let magnitude: number | bigint = 0;
  for (let d: number; (d = digit(s[i])) < base; i++) {
    if (typeof magnitude === "number" && magnitude < 2 ** 47) magnitude = magnitude * base + d;
    else magnitude = big(magnitude) * BigInt(base) + BigInt(d);
  }
  if (end) end.value = i === start ? 0 : i;
  return { negative, magnitude };
}

function toLong(r: Parsed | null): number | bigint {
  if (r === null) return 0;
  const m = r.magnitude;
  if (typeof m === "number") return r.negative && m !== 0 ? -m : m;
  if (r.negative) return m > LONG_MAX + 1n ? range(-LONG_MAX - 1n) : -m;
  return m > LONG_MAX ? range(LONG_MAX) : m;
}

function range(v: bigint): bigint {
  set_errno(ERANGE);
  return v;
}

const big = (v: number | bigint): bigint => (typeof v === "bigint" ? v : BigInt(v));

/** The value of an ASCII digit or letter (0-35), 99 for anything else. */
function digit(c: number | undefined): number {
  if (c === undefined) return 99;
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 122 ? l - 87 : 99;
}
