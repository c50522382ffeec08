// C99 printf, printing exactly what glibc prints: one engine for
// evbuffer_add_printf and the printf family of bufferevent/libc.
//
// Formats are parsed once (cached). The common conversions are written as
// bytes straight into the destination by a writer compiled per format
// (printf_direct.ts: evbuffer_add_printf prints into the buffer's last
// chunk, as vsnprintf does in C). Everything
// else is assembled as a "byte string" (one char per byte, 0-255) and
// encoded once as latin1, so literal bytes, %c bytes and UTF-8 strings mix
// without re-encoding, and widths and precisions count bytes as C does.
import { addressOf } from "./pseudo_address.js";
import { compileWriter, directKind } from "./printf_direct.js";
import type { Writer } from "./printf_direct.js";
import {
  HASH,
  INT_MAX,
  LEN_64,
  LEN_CHAR,
  LEN_INT,
  LEN_LDBL,
  LEN_SHORT,
  MINUS,
  NONE,
  PLUS,
  SPACE,
  STAR,
  ZERO,
} from "./printf_spec.js";
import type { Spec } from "./printf_spec.js";

const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

interface Format {
  lits: string[]; // lits[i] precedes specs[i]; one more literal than specs
  specs: Spec[];
  write: Writer | null; // the compiled direct writer, once writerOf has made it
  uses: number; // counted by writerOf up to COMPILE_AFTER
}

/**
 * Formats `args` as C's printf would format them with `fmt` (a Uint8Array
 * format ends at its first NUL, as a `char *` does). Returns the bytes, or
 * null where C's printf would fail or misbehave: an unknown or incomplete
 * conversion, %n, a missing argument, or an argument of the wrong kind.
 * Integer conversions take numbers (truncated toward zero; past the 64-bit
 * range they saturate), bigints (exact, wrapped to the type) or booleans;
 * floats take numbers or bigints (NaN prints unsigned: JS NaNs have no
 * reliable sign); %s a string (UTF-8), a Uint8Array read up to its first NUL,
 * or null; %c a number or a one-character string; %p a number, bigint, null
 * or any object, which prints as a stable made-up address.
 */
export function cformat(fmt: string | Uint8Array, args: readonly unknown[]): Buffer | null {
  const f = typeof fmt === "string" ? compiled(fmt) : parse(cString(fmt, NONE));
  if (f === null) return null;
  const write = writerOf(f);
  if (write !== null) {
    const n = write(scratch, 0, scratch.byteLength, args);
    if (n >= 0) return copySlice.call(scratchBuffer, 0, n) as Buffer;
  }
  const { lits, specs } = f;
  let out = lits[0];
  argi = 0;
  for (let k = 0; k < specs.length; k++) {
    const piece = convert(specs[k], args);
    if (piece === null) return null;
    out += piece + lits[k + 1];
  }
  return encode(out);
}

/**
 * cformat's bytes written straight into bytes [at, at + room) of `mem`,
 * for the common formats (%d %i %u %x %X %c %s, with l/ll/z/j/t, a width
 * and the - and 0 flags, ordinary arguments). Returns the count written,
 * or -1 when the output would not fit, the format or an argument needs
 * cformat, or the format has no writer yet (cformat, which then gives the
 * answer, counts its uses); bytes left in mem past `at` mean nothing.
 */
export function cformatInto(
  mem: DataView,
  at: number,
  room: number,
  fmt: string | Uint8Array,
  args: readonly unknown[],
): number {
  if (typeof fmt !== "string") return -1;
  const f = compiled(fmt);
  if (f === null || f.write === null) return -1;
  const end = f.write(mem, at, at + room, args);
  return end < 0 ? -1 : end - at;
}

// ---- parsing ---------------------------------------------------------------

const cache = new Map<string, Format | null>();
const CACHE_SIZE = 256;
// The last format compiled: a program formats with the same one in a loop.
let lastFmt: string | null = null;
let lastFormat: Format | null = null;

function compiled(fmt: string): Format | null {
  if (fmt === lastFmt) return lastFormat;
  let f = cache.get(fmt);
  if (f === undefined) {
    f = parse(byteString(fmt));
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(fmt, f);
  }
  lastFmt = fmt;
  lastFormat = f;
  return f;
}

// Compiling a writer costs some 40 µs, twenty one-off uses: a format gets one
// when it is used again and again. Uncached (Uint8Array) formats never do.
export const COMPILE_AFTER = 8;

/** f's direct writer (null: none yet, or f needs the general path). */
function writerOf(f: Format): Writer | null {
  if (f.write === null && f.uses < COMPILE_AFTER && ++f.uses === COMPILE_AFTER)
    f.write = compileWriter(f.lits, f.specs);
  return f.write;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function parse(s: string): Format | null {
  const lits: string[] = [];
  const specs: Spec[] = [];
  let lit = "";
  let i = 0;
  for (;;) {
    const j = s.indexOf("%", i);
    if (j < 0) {
      lits.push(lit + s.slice(i));
      return { lits, specs, write: null, uses: 0 };
    }
    lit += s.slice(i, j);
    i = j + 1;
    let c = s.charCodeAt(i);
    let flags = 0;
    for (; ; c = s.charCodeAt(++i)) {
      if (c === 45) flags |= MINUS;
      else if (c === 43) flags |= PLUS;
      else if (c === 32) flags |= SPACE;
      else if (c === 35) flags |= HASH;
      else if (c === 48) flags |= ZERO;
      else break;
    }
    let width = NONE;
    if (c === 42) {
      width = STAR;
      c = s.charCodeAt(++i);
    } else if (isDigit(c)) {
      for (width = 0; isDigit(c); c = s.charCodeAt(++i)) width = width * 10 + c - 48;
    }
    let prec = NONE;
    if (c === 46) {
      c = s.charCodeAt(++i);
      if (c === 42) {
        prec = STAR;
        c = s.charCodeAt(++i);
      } else for (prec = 0; isDigit(c); c = s.charCodeAt(++i)) prec = prec * 10 + c - 48;
    }
    if (width > INT_MAX || prec > INT_MAX) return null; // glibc fails with EOVERFLOW
    let len = LEN_INT;
    if (c === 104) {
      len = s.charCodeAt(i + 1) === 104 ? LEN_CHAR : LEN_SHORT;
      i += len === LEN_CHAR ? 2 : 1;
    } else if (c === 108) {
      len = LEN_64;
      i += s.charCodeAt(i + 1) === 108 ? 2 : 1;
    } else if (c === 113 || c === 106 || c === 122 || c === 116) {
      len = LEN_64;
      i++;
    } else if (c === 76) {
      len = LEN_LDBL;
      i++;
    }
    const conv = s.charCodeAt(i++);
    if (!CONVERSIONS.includes(conv)) return null; // also the end of the string, and %n
    if (conv === 37 && width !== STAR && prec !== STAR) {
      lit += "%"; // glibc ignores flags, width and precision on %%
      continue;
    }
    lits.push(lit);
    lit = "";
    const direct = directKind(flags, width, prec, len, conv);
    specs.push({ flags, width, prec, len, conv, direct, str: null, strBytes: null });
  }
}

const CONVERSIONS = [..."diouxXcsfFeEgGaAp%"].map((ch) => ch.charCodeAt(0));

const scratchBuffer = Buffer.allocUnsafeSlow(4096);
const scratch = new DataView(scratchBuffer.buffer, scratchBuffer.byteOffset, 4096);
/** Uint8Array#slice: on a Buffer it makes a Buffer copy. */
const copySlice = Uint8Array.prototype.slice;

// ---- conversions -----------------------------------------------------------

let argi = 0; // the next argument; formatting is synchronous and never re-entered

function convert(sp: Spec, args: readonly unknown[]): string | null {
  let { flags, width, prec } = sp;
  if (width === STAR) {
    const w = starArg(args);
    if (w === null) return null;
    if (w < 0) flags |= MINUS;
    width = Math.abs(w);
  }
  if (prec === STAR) {
    const p = starArg(args);
    if (p === null) return null;
    prec = p < 0 ? NONE : p;
  }
  if (sp.conv === 37) return "%";
  if (argi >= args.length) return null;
  const a = args[argi++];
  switch (sp.conv) {
    case 100: // d
    case 105: // i
    case 117: // u
    case 111: // o
    case 120: // x
    case 88: // X
      return integer(a, sp.conv, sp.len, flags, width, prec);
    case 99: // c
      return pad("", charArg(a), width, flags, false);
    case 115: // s
      return pad("", stringArg(a, prec), width, flags, false);
    case 112: // p
      return pointer(a, flags, width, prec);
    default:
      return float(a, sp.conv, sp.len, flags, width, prec);
  }
}

function starArg(args: readonly unknown[]): number | null {
  const v = args[argi++];
  if (typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) > INT_MAX) return null;
  return v;
}

/** Pads `prefix + body` (sign, 0x) to `width`, with zeros between them when allowed. */
function pad(prefix: string, body: string | null, width: number, flags: number, zeroes: boolean) {
  if (body === null) return null;
  const n = width - prefix.length - body.length;
  if (n <= 0) return prefix + body;
  if (flags & MINUS) return prefix + body + " ".repeat(n);
  if (flags & ZERO && zeroes) return prefix + "0".repeat(n) + body;
  return " ".repeat(n) + prefix + body;
}

function intArg(v: unknown): number | bigint | null {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** The value C sees after converting the argument to the conversion's type. */
function narrow(n: number | bigint, len: number, signed: boolean): number | bigint {
  if (len === LEN_64 || len === LEN_LDBL) {
    if (typeof n === "bigint") return signed ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n);
    // Doubles past the type's range are the nearest-double constants
    // (EV_SSIZE_MAX, EV_SIZE_MAX): print the exact limit they stand for.
    if (signed) return n >= 2 ** 63 ? INT64_MAX : Math.max(n, -(2 ** 63));
    if (n < 0) return BigInt.asUintN(64, BigInt(n));
    return n >= 2 ** 64 ? UINT64_MAX : n;
  }
  let i = typeof n === "bigint" ? Number(BigInt.asIntN(32, n)) : n | 0;
  if (len === LEN_CHAR) i = (i << 24) >> 24;
  else if (len === LEN_SHORT) i = (i << 16) >> 16;
  if (signed) return i;
  return len === LEN_CHAR ? i & 0xff : len === LEN_SHORT ? i & 0xffff : i >>> 0;
}

function integer(
  v: unknown,
  conv: number,
  len: number,
  flags: number,
  width: number,
  prec: number,
) {
  const arg = intArg(v);
  if (arg === null) return null;
  const signed = conv === 100 || conv === 105;
  const n = narrow(arg, len, signed);
  const neg = n < 0;
  let digits = (neg ? -n : n).toString(conv === 111 ? 8 : conv === 120 || conv === 88 ? 16 : 10);
  const zero = digits === "0";
  if (conv === 88) digits = digits.toUpperCase();
  if (prec === 0 && zero) digits = "";
  else if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
  let prefix = "";
  if (signed) prefix = neg ? "-" : flags & PLUS ? "+" : flags & SPACE ? " " : "";
  else if (flags & HASH) {
    if (conv === 111 && digits.charCodeAt(0) !== 48) digits = "0" + digits;
    else if (conv !== 111 && conv !== 117 && !zero) prefix = conv === 88 ? "0X" : "0x";
  }
  return pad(prefix, digits, width, flags, prec < 0);
}

function charArg(v: unknown): string | null {
  if (typeof v === "string") {
    const one = v.length === 1 || (v.length === 2 && v.codePointAt(0)! > 0xffff);
    return one ? byteString(v) : null;
  }
  const n = intArg(v);
  if (n === null) return null;
  return String.fromCharCode(typeof n === "bigint" ? Number(BigInt.asUintN(8, n)) : n & 0xff);
}

function stringArg(v: unknown, prec: number): string | null {
  let s: string;
  if (typeof v === "string") s = byteString(v);
  else if (v instanceof Uint8Array) s = cString(v, prec);
  else if (v === null) return prec < 0 || prec >= 6 ? "(null)" : "";
  else return null;
  return prec >= 0 && s.length > prec ? s.slice(0, prec) : s;
}

function pointer(v: unknown, flags: number, width: number, prec: number): string | null {
  let p: number | bigint;
  if (v === null) p = 0;
  else if (typeof v === "number") {
    if (!Number.isInteger(v)) return null;
    p = v < 0 ? BigInt.asUintN(64, BigInt(v)) : v;
  } else if (typeof v === "bigint") p = BigInt.asUintN(64, v);
  else if (typeof v === "object" || typeof v === "function") {
    p = addressOf(v);
  } else return null;
  if (p == 0) return pad("", "(nil)", width, flags, false);
  let digits = p.toString(16);
  if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
  const sign = flags & PLUS ? "+" : flags & SPACE ? " " : "";
  return pad(sign + "0x", digits, width, flags, prec < 0);
}

// ---- floating point --------------------------------------------------------

function float(v: unknown, conv: number, len: number, flags: number, width: number, prec: number) {
  const x = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null;
  if (x === null) return null;
  const upper = conv < 97;
  const lower = conv | 32;
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? "-" : flags & PLUS ? "+" : flags & SPACE ? " " : "";
  if (!Number.isFinite(x)) {
    const body = x !== x ? "nan" : "inf";
    return pad(sign, upper ? body.toUpperCase() : body, width, flags, false);
  }
  const ax = Math.abs(x);
  const hash = (flags & HASH) !== 0;
  let body: string;
  if (lower === 102) {
    body = fixed(ax, prec < 0 ? 6 : prec);
    if (hash && prec === 0) body += ".";
  } else if (lower === 101) {
    const p = prec < 0 ? 6 : prec;
    body = expForm(significant(ax, p + 1), sigExp, hash, upper);
  } else if (lower === 103) {
    body = general(ax, prec < 0 ? 6 : prec === 0 ? 1 : prec, hash, upper);
  } else {
    body = hexFloat(ax, prec, hash, len === LEN_LDBL);
    if (upper) body = body.toUpperCase();
    return pad(sign + (upper ? "0X" : "0x"), body, width, flags, true);
  }
  return pad(sign, body, width, flags, true);
}

function expForm(digits: string, e: number, hash: boolean, upper: boolean): string {
  const mant = digits.length > 1 || hash ? digits[0] + "." + digits.slice(1) : digits;
  const ae = e < 0 ? -e : e;
  return mant + (upper ? "E" : "e") + (e < 0 ? "-" : "+") + (ae < 10 ? "0" + ae : ae);
}

/** %g: P significant digits, in %e form for exponents below -4 or from P up. */
function general(ax: number, P: number, hash: boolean, upper: boolean): string {
  const d = significant(ax, P);
  const X = sigExp;
  if (X < -4 || X >= P) {
    // glibc picks the style before rounding: when rounding carries a value
    // below 10^P up to 10^P, it keeps the %f style's zero decimals ("1.e+03").
    if (hash && X === P && ax < 10 ** P) return expForm("1", X, true, upper);
    return expForm(hash ? d : trimZeros(d, 1), X, hash, upper);
  }
  let int: string;
  let frac: string;
  if (X >= 0) {
    int = d.slice(0, X + 1);
    frac = d.slice(X + 1);
  } else {
    int = "0";
    frac = "0".repeat(-X - 1) + d;
  }
  if (!hash) frac = trimZeros(frac, 0);
  return frac || hash ? int + "." + frac : int;
}

function trimZeros(s: string, keep: number): string {
  let end = s.length;
  while (end > keep && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}

// Rounding is to nearest, ties to even, on the exact binary value, as glibc
// does. JavaScript's toFixed/toExponential also round the exact value but
// break ties upward; a tie needs the exact expansion to end with a 5 right
// after the last printed digit, which is cheap to test, so the built-ins are
// used where they apply and BigInt expansion of the double everywhere else.

const view = new DataView(new ArrayBuffer(8));

/** Digits after the point in the exact decimal expansion of ax (= its fractional bits). */
function fracDigits(ax: number): number {
  if (ax === 0) return 0;
  view.setFloat64(0, ax);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const be = hi >>> 20;
  const e2 = be === 0 ? -1074 : be - 1075;
  const tz = lo !== 0 ? ctz(lo) : 32 + ctz((hi & 0xfffff) | (be === 0 ? 0 : 0x100000));
  return Math.max(0, -(e2 + tz));
}

function ctz(v: number): number {
  return 31 - Math.clz32(v & -v);
}

function lastOdd(s: string): boolean {
  return (s.charCodeAt(s.length - 1) & 1) === 1;
}

function decLast(s: string): string {
  return s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) - 1);
}

/** ax (finite, >= 0) with p digits after the point. */
function fixed(ax: number, p: number): string {
  if (ax < 1e21 && p <= 100) {
    const s = ax.toFixed(p);
    return lastOdd(s) && fracDigits(ax) === p + 1 ? decLast(s) : s;
  }
  if (ax === 0) return p > 0 ? "0." + "0".repeat(p) : "0";
  const [D, point] = exactDigits(ax);
  const keep = point + p;
  if (keep < 0) return fixed(0, p);
  const r = roundDigits(D, keep);
  const intLen = r.length > keep ? point + 1 : point;
  const int = intLen > 0 ? r.slice(0, intLen) : "0";
  const frac = intLen > 0 ? r.slice(intLen) : "0".repeat(-intLen) + r;
  return p > 0 ? int + "." + frac : int;
}

let sigExp = 0; // decimal exponent of the last significant() result

/** The first n significant digits of ax, rounded; their exponent goes to sigExp. */
function significant(ax: number, n: number): string {
  if (ax === 0) {
    sigExp = 0;
    return "0".repeat(n);
  }
  if (n <= 101) {
    const s = ax.toExponential(n - 1);
    const e = s.indexOf("e");
    const d = n === 1 ? s.slice(0, 1) : s[0] + s.slice(2, e);
    sigExp = +s.slice(e + 1);
    return lastOdd(d) && significantTie(ax, n, sigExp) ? decLast(d) : d;
  }
  const [D, point] = exactDigits(ax);
  const r = roundDigits(D, n);
  sigExp = point - 1 + (r.length > n ? 1 : 0);
  return r.slice(0, n);
}

/** Whether ax lies exactly halfway between two n-digit decimals of exponent e. */
function significantTie(ax: number, n: number, e: number): boolean {
  const k = fracDigits(ax);
  if (k > 0) return k === n - e;
  const s = ax <= Number.MAX_SAFE_INTEGER ? String(ax) : BigInt(ax).toString();
  if (s.length - 1 !== e) return false;
  const t = trimZeros(s, 0);
  return t.length === n + 1 && t.charCodeAt(n) === 53;
}

const pow5: bigint[] = [];

/** The exact decimal expansion of ax > 0: digits D with `point` of them before the point. */
function exactDigits(ax: number): [string, number] {
  view.setFloat64(0, ax);
  const hi = view.getUint32(0);
  const be = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (be !== 0) mant |= 1n << 52n;
  const e2 = be === 0 ? -1074 : be - 1075;
  if (e2 >= 0) {
    const d = (mant << BigInt(e2)).toString();
    return [d, d.length];
  }
  const d = (mant * (pow5[-e2] ??= 5n ** BigInt(-e2))).toString();
  return [d, d.length + e2];
}

/** The first `keep` digits of D, rounded half-even on the rest; one longer on carry out. */
function roundDigits(D: string, keep: number): string {
  if (keep >= D.length) return D + "0".repeat(keep - D.length);
  const c = D.charCodeAt(keep);
  let up = c > 53;
  if (c === 53) {
    up = keep > 0 && (D.charCodeAt(keep - 1) & 1) === 1;
    for (let i = keep + 1; !up && i < D.length; i++) up = D.charCodeAt(i) !== 48;
  }
  const kept = D.slice(0, keep);
  if (!up) return kept;
  let i = keep - 1;
  while (i >= 0 && kept.charCodeAt(i) === 57) i--;
  const head = i < 0 ? "1" : kept.slice(0, i) + String.fromCharCode(kept.charCodeAt(i) + 1);
  return head + "0".repeat(keep - 1 - i);
}

/**
 * %a without the "0x": glibc prints a double as 1.hhh (0.hhh when subnormal)
 * and a long double (x86's 64-bit mantissa, leading nibble 8-f) as h.hhh.
 */
function hexFloat(ax: number, prec: number, hash: boolean, longDouble: boolean): string {
  view.setFloat64(0, ax);
  const hi = view.getUint32(0);
  const be = hi >>> 20;
  const frac52 = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let lead: number;
  let frac: bigint;
  let exp: number;
  let nibbles: number;
  if (ax === 0) [lead, frac, exp, nibbles] = [0, 0n, 0, longDouble ? 15 : 13];
  else if (!longDouble)
    [lead, frac, exp, nibbles] = [be ? 1 : 0, frac52, be ? be - 1023 : -1022, 13];
  else {
    // Normalize into a 64-bit mantissa with its top bit set.
    const m = be ? frac52 | (1n << 52n) : frac52;
    const bits = m.toString(2).length;
    const m64 = m << BigInt(64 - bits);
    lead = Number(m64 >> 60n);
    frac = m64 & ((1n << 60n) - 1n);
    exp = (be ? be - 1023 : -1075 + bits) - 3;
    nibbles = 15;
  }
  let digits: string;
  if (prec < 0) digits = trimZeros(frac.toString(16).padStart(nibbles, "0"), 0);
  else if (prec >= nibbles)
    digits = frac.toString(16).padStart(nibbles, "0") + "0".repeat(prec - nibbles);
  else {
    const shift = BigInt(4 * (nibbles - prec));
    let kept = frac >> shift;
    const rest = frac & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && ((prec > 0 ? kept : BigInt(lead)) & 1n) === 1n)) {
      kept++;
      if (kept >> BigInt(4 * prec) !== 0n) {
        kept = 0n;
        if (++lead === 16) [lead, exp] = [1, exp + 4];
      }
    }
    digits = prec > 0 ? kept.toString(16).padStart(prec, "0") : "";
  }
  const point = digits || hash ? "." : "";
  return lead.toString(16) + point + digits + "p" + (exp < 0 ? "-" : "+") + Math.abs(exp);
}

// ---- bytes -----------------------------------------------------------------

/** A JS string as a byte string of its UTF-8 encoding. */
function byteString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, "utf8").toString("latin1");
  }
  return s;
}

/** The bytes of a byte string. Up to this size a JS loop beats the native encoder. */
function encode(s: string): Buffer {
  if (s.length > 16) return Buffer.from(s, "latin1");
  const b = Buffer.allocUnsafe(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** The bytes of a C string: up to the first NUL, and at most `max` (NONE: no limit). */
function cString(b: Uint8Array, max: number): string {
  const view = max >= 0 && max < b.length ? b.subarray(0, max) : b;
  const end = view.indexOf(0);
  return Buffer.from(view.buffer, view.byteOffset, end < 0 ? view.length : end).toString("latin1");
}
