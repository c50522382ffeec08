// The C number scanning that libevent's parsers inherit from glibc, done
// exactly (64-bit bigints), because the quirks are observable: sscanf's %u
// wraps through unsigned long, so "4294967296" reads as 0 and "-1" as
// 0xffffffff, and strtoul skips white space and takes a sign.

const ULONG_MAX = 2n ** 64n - 1n;
const LONG_MAX = 2n ** 63n - 1n;

/** C's isspace in the "C" locale: space, \t \n \v \f \r. */
export function isSpace(c: number | undefined): boolean {
  return c === 32 || (c !== undefined && c >= 9 && c <= 13);
}

export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** The value of a hex digit, or -1. */
export function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

export interface Scanned {
  value: bigint;
  /** Index after the last digit, or the start index when nothing was converted. */
  end: number;
}

export type Base = 0 | 8 | 10 | 16;

/**
 * White space, a sign and digits in `base`; 16 and 0 take a 0x prefix only
 * when a hex digit follows it, and 0 reads a leading 0 as octal.
 */
function scan(
  s: Uint8Array,
  i: number,
  base: Base,
): { negative: boolean; magnitude: bigint; end: number } {
  const start = i;
  while (isSpace(s[i])) i++;
  const negative = s[i] === 45;
  if (negative || s[i] === 43) i++;
  if (
    (base === 16 || base === 0) &&
    s[i] === 48 &&
    (s[i + 1] | 0x20) === 120 &&
    hexValue(s[i + 2]) >= 0
  ) {
    i += 2;
    base = 16;
  } else if (base === 0) base = s[i] === 48 ? 8 : 10;
  const first = i;
  let m = 0n;
  for (let d; (d = digitIn(s[i], base)) >= 0; i++)
    if (m <= ULONG_MAX) m = m * BigInt(base) + BigInt(d);
  return i === first
    ? { negative: false, magnitude: 0n, end: start }
    : { negative, magnitude: m, end: i };
}

/** glibc strtoul(s + i, &end, base): ULONG_MAX on overflow, a negated value wrapped modulo 2^64. */
export function strtoulAt(s: Uint8Array, i: number, base: Base): Scanned {
  const r = scan(s, i, base);
  const value =
    r.magnitude > ULONG_MAX
      ? ULONG_MAX
      : r.negative
        ? BigInt.asUintN(64, -r.magnitude)
        : r.magnitude;
  return { value, end: r.end };
}

/** glibc strtol(s + i, &end, 10): clamped to the 64-bit long range. */
export function strtolAt(s: Uint8Array, i: number): Scanned {
  const r = scan(s, i, 10);
  const v = r.negative ? -r.magnitude : r.magnitude;
  const value = v > LONG_MAX ? LONG_MAX : v < -LONG_MAX - 1n ? -LONG_MAX - 1n : v;
  return { value, end: r.end };
}

function digitIn(c: number | undefined, base: number): number {
  const d = base === 16 ? hexValue(c) : isDigit(c) ? (c as number) - 48 : -1;
  return d < base ? d : -1;
}

/**
 * One `%u` of glibc sscanf at s[i]: white space, an optional sign, then at
 * least one decimal digit, converted by strtoul and stored in an unsigned
 * int. Returns null on a matching failure.
 */
function scanUnsigned(s: Uint8Array, i: number): { value: number; end: number } | null {
  let j = i;
  while (isSpace(s[j])) j++;
  if (s[j] === 45 || s[j] === 43) j++;
  if (!isDigit(s[j])) return null;
  const r = strtoulAt(s, i, 10);
  return { value: Number(r.value & 0xffffffffn), end: r.end };
}

/**
 * sscanf(s, "%u.%u.%u.%u%c", ...) == 4: four dotted unsigned ints and nothing
 * after them. Returns the four values, or null.
 */
export function scanDottedQuad(s: Uint8Array, i = 0): number[] | null {
  const parts: number[] = [];
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (s[i] !== 46) return null;
      i++;
    }
    const r = scanUnsigned(s, i);
    if (!r) return null;
    parts.push(r.value);
    i = r.end;
  }
  return i === s.length ? parts : null;
}
