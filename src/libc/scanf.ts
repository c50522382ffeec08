// <stdio.h>'s sscanf (contract item 12), as glibc scans: the count of
// conversions assigned, or EOF (-1) when the input ends before the first one
// (or before a mismatch). Out-parameters: a { value } box for a number (%d,
// %i, %u, %o, %x, %p, %n, %f ... with the C type's width and wrapping: %hhu of
// "-1" is 255; a bigint box of a 64-bit conversion stays a bigint, exact), a
// Uint8Array for %s, %c and %[ (NUL-terminated as C writes them: %c is not),
// and a box receiving a fresh NUL-terminated Buffer for %ms/%m[. Numbers are
// converted as glibc converts them, through strtol/strtoul, so an overflow
// saturates and sets errno to ERANGE. `long double` (%Lf) is a double.
import { describe, rangeError, typeError } from "../args.js";
import { cbytes, type CString } from "./cstring.js";
import { ERANGE, set_errno } from "./errno.js";

const EOF = -1;

/** Where a scan reads its bytes: the next one without taking it (-1 at the end), or take it. */
export interface ScanInput {
  peek(): number;
  take(): void;
  /** Bytes taken so far (what %n stores). */
  readonly taken: number;
}

class BytesInput implements ScanInput {
  taken = 0;
  constructor(private readonly b: Uint8Array) {}
  peek(): number {
    return this.taken < this.b.length ? this.b[this.taken] : EOF;
  }
  take(): void {
    this.taken++;
  }
}

/** sscanf(str, format, ...): the count of conversions assigned, or -1. */
export function sscanf(str: CString, format: CString, ...args: unknown[]): number {
  const input = new BytesInput(cbytes("sscanf", "str", str));
  return scan("sscanf", input, cbytes("sscanf", "format", format), args, 3);
}

/** vsscanf(str, format, ap): sscanf with the out-parameters in an array. */
export function vsscanf(str: CString, format: CString, ap: readonly unknown[]): number {
  if (!Array.isArray(ap)) throw typeError("vsscanf", "ap", `must be an array, got ${describe(ap)}`);
  const input = new BytesInput(cbytes("vsscanf", "str", str));
  return scan("vsscanf", input, cbytes("vsscanf", "format", format), ap, 3);
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const isXdigit = (c: number) => isDigit(c) || (lower(c) >= 97 && lower(c) <= 102);

// Length modifiers: the integer's width in bits (0 for int), and float/double/long double.
const enum Len {
  Int = 0,
  Char = 8,
  Short = 16,
  Long = 64,
}

/** Ends a scan: the count so far, or EOF when the input ran out before any conversion. */
class Stop {
  constructor(readonly inputFailure: boolean) {}
}

/**
 * The engine behind the scanf calls: `args` are the out-parameters, the first
 * of them the call's argument number `firstArg` (for the messages).
 */
export function scan(
  fn: string,
  input: ScanInput,
  fmt: Uint8Array,
  args: readonly unknown[],
  firstArg: number,
): number {
  let done = 0;
  let nextArg = 0;
  let skipSpace = false;
  const skip = () => {
    while (isSpace(input.peek())) input.take();
  };
  /** Takes one byte that must be there: an input failure at the end. */
  const need = (): number => {
    const c = input.peek();
    if (c === EOF) throw new Stop(true);
    return c;
  };
  try {
    for (let f = 0; f < fmt.length;) {
      const fc = fmt[f++];
      if (fc !== 0x25) {
        if (isSpace(fc)) {
          skipSpace = true;
          continue;
        }
        need();
        if (skipSpace) {
          skip();
          need();
          skipSpace = false;
        }
        if (input.peek() !== fc) throw new Stop(false);
        input.take();
        continue;
      }
      // A conversion: %[n$][*][width][m][length]conv
      let argpos = -1;
      let suppress = false;
      let width = -1;
      let alloc = false;
      let digitsAt = f;
      while (isDigit(fmt[f])) f++;
      if (fmt[f] === 0x24 && f > digitsAt) {
        argpos = Number(Buffer.from(fmt.subarray(digitsAt, f)).toString()) - 1;
        f++;
      } else f = digitsAt;
      for (;;) {
        if (fmt[f] === 0x2a) suppress = true;
        else if (fmt[f] === 0x27 || fmt[f] === 0x49) {
          /* ' (grouping) and I (locale digits): nothing in the C locale */
        } else break;
        f++;
      }
      digitsAt = f;
      while (isDigit(fmt[f])) f++;
      if (f > digitsAt) width = Number(Buffer.from(fmt.subarray(digitsAt, f)).toString()) || -1;
      let len = Len.Int;
      let longDouble = false;
      let isLong = false;
      for (let more = true; more;) {
        switch (fmt[f]) {
          case 0x6d: // m
            alloc = true;
            break;
          case 0x68: // h, hh
            len = fmt[f + 1] === 0x68 ? (f++, Len.Char) : Len.Short;
            break;
          case 0x6c: // l, ll
            if (fmt[f + 1] === 0x6c) {
              f++;
              longDouble = true;
            }
            len = Len.Long;
            isLong = true;
            break;
          case 0x4c: // L
          case 0x71: // q
            len = Len.Long;
            longDouble = true;
            break;
          case 0x6a: // j
          case 0x7a: // z
          case 0x74: // t
            len = Len.Long;
            break;
          default:
            more = false;
            continue;
        }
        f++;
      }
      if (f >= fmt.length) throw new Stop(false); // the format ends inside a conversion
      const conv = fmt[f++];
      const spec = `%${String.fromCharCode(conv)}`;
      const target = (what: "box" | "bytes"): unknown => {
        if (suppress) return null;
        const i = argpos >= 0 ? argpos : nextArg++;
        const name = String(firstArg + i);
        if (i >= args.length) throw typeError(fn, name, `is missing (for ${spec})`);
        const v = args[i];
        if (what === "bytes" && !alloc) {
          if (!(v instanceof Uint8Array))
            throw typeError(fn, name, `must be a Uint8Array (for ${spec}), got ${describe(v)}`);
        } else if (v === null || typeof v !== "object" || v instanceof Uint8Array)
          throw typeError(fn, name, `must be a { value } box (for ${spec}), got ${describe(v)}`);
        return v;
      };

      if (skipSpace || (conv !== 0x5b && conv !== 0x63 && conv !== 0x6e)) {
        skip();
        skipSpace = false;
      }
      switch (conv) {
        case 0x25: // %%
          if (need() !== 0x25) throw new Stop(false);
          input.take();
          break;
        case 0x6e: {
          // %n
          const t = target("box") as { value: unknown } | null;
          if (t) store(t, BigInt(input.taken), len, true);
          break;
        }
        case 0x63: // %c
        case 0x73: // %s
        case 0x5b: {
          // %[
          let set: Uint8Array | null = null;
          if (conv === 0x5b) {
            const parsed = scanset(fmt, f);
            if (parsed === null) throw new Stop(false);
            [set, f] = parsed;
          }
          if (isLong)
            throw typeError(
              fn,
              String(firstArg + nextArg),
              `(for %l${spec.slice(1)}): wide characters are not supported`,
            );
          const t = target("bytes");
          need();
          const got: number[] = [];
          if (conv === 0x63) {
            const n = width < 0 ? 1 : width;
            while (got.length < n && input.peek() !== EOF) {
              got.push(input.peek());
              input.take();
            }
          } else {
            for (let c; width !== 0 && (c = input.peek()) !== EOF; width--) {
              if (set ? !set[c] : isSpace(c)) break;
              got.push(c);
              input.take();
            }
            if (got.length === 0) throw new Stop(false);
          }
          if (t !== null) {
            const nul = conv === 0x63 ? 0 : 1;
            if (alloc) {
              const b = Buffer.alloc(got.length + nul);
              b.set(got);
              (t as { value: unknown }).value = b;
            } else {
              const b = t as Uint8Array;
              if (got.length + nul > b.length)
                throw rangeError(
                  fn,
                  String(firstArg + (argpos >= 0 ? argpos : nextArg - 1)),
                  `holds ${b.length} bytes, too few for the ${got.length + nul} that ${spec} stores`,
                );
              b.set(got);
              if (nul) b[got.length] = 0;
            }
            done++;
          }
          break;
        }
        case 0x64: // %d
        case 0x69: // %i
        case 0x75: // %u
        case 0x6f: // %o
        case 0x78: // %x
        case 0x58: // %X
        case 0x70: {
          // %p
          const base =
            conv === 0x64 || conv === 0x75 ? 10 : conv === 0x69 ? 0 : conv === 0x6f ? 8 : 16;
          const signed = conv === 0x64 || conv === 0x69;
          const t = target("box") as { value: unknown } | null;
          const v = integer(input, need(), width, base, signed);
          if (v === null) throw new Stop(false);
          if (t) {
            store(t, v, conv === 0x70 ? Len.Long : len, signed);
            done++;
          }
          break;
        }
        case 0x65: // e f g a, and E F G A
        case 0x66:
        case 0x67:
        case 0x61:
        case 0x45:
        case 0x46:
        case 0x47:
        case 0x41: {
          const t = target("box") as { value: unknown } | null;
          const v = float(input, need(), width);
          if (v === null) throw new Stop(false);
          if (t) {
            t.value = isLong || longDouble ? v : single(v);
            done++;
          }
          break;
        }
        default:
          throw new Stop(false); // an unknown conversion
      }
    }
    if (skipSpace) skip();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    if (e.inputFailure && done === 0) return EOF;
  }
  return done;
}

/** %[...] at fmt[f] (after the '['): the bytes it takes, and where the format goes on; null if it has no ']'. */
function scanset(fmt: Uint8Array, f: number): [Uint8Array, number] | null {
  const set = new Uint8Array(256);
  const negate = fmt[f] === 0x5e;
  if (negate) f++;
  const first = f;
  if (fmt[f] === 0x5d) set[fmt[f++]] = 1; // a ']' first is one of the set
  for (;;) {
    if (f >= fmt.length) return null;
    const c = fmt[f++];
    if (c === 0x5d && f - 1 > first) break;
    // "a-z" is a range; a '-' first, last, or before a lower byte is itself
    if (c === 0x2d && f - 1 > first && f < fmt.length && fmt[f] !== 0x5d && fmt[f - 2] <= fmt[f]) {
      for (let x = fmt[f - 2]; x <= fmt[f]; x++) set[x] = 1;
      f++;
    } else set[c] = 1;
  }
  if (negate) for (let i = 0; i < 256; i++) set[i] ^= 1;
  return [set, f];
}

/**
 * The digits of an integer conversion (c is the first byte, already there), as
 * glibc gathers them: a sign, a "0x" for base 16 or 0 (the x is taken even
 * when no hex digit follows), then digits. null when there are none.
 */
function integer(
  input: ScanInput,
  c: number,
  width: number,
  base: number,
  signed: boolean,
): bigint | null {
  let text = "";
  const takeChar = (keep: boolean) => {
    if (keep) text += String.fromCharCode(c);
    input.take();
    if (width > 0) width--;
    c = input.peek();
  };
  if (c === 0x2d || c === 0x2b) takeChar(true);
  if (width !== 0 && c === 0x30) {
    takeChar(true);
    if (width !== 0 && lower(c) === 0x78) {
      if (base === 0) base = 16;
      if (base === 16) takeChar(false);
    } else if (base === 0) base = 8;
  }
  if (base === 0) base = 10;
  while (c !== EOF && width !== 0 && (base === 16 ? isXdigit(c) : isDigit(c) && c - 48 < base))
    takeChar(true);
  const negative = text[0] === "-";
  const digits = text.replace(/^[+-]/, "");
  if (digits === "") return null;
  let m = 0n;
  for (const d of digits) m = m * BigInt(base) + BigInt(parseInt(d, 16));
  // strtol / strtoul on the gathered text: saturation and ERANGE, unsigned wrapping
  if (signed) {
    const max = negative ? 2n ** 63n : 2n ** 63n - 1n;
    if (m > max) {
      set_errno(ERANGE);
      m = max;
    }
    return negative ? -m : m;
  }
  if (m > 2n ** 64n - 1n) {
    set_errno(ERANGE);
    return 2n ** 64n - 1n;
  }
  return negative ? BigInt.asUintN(64, -m) : m;
}

/** Stores an integer conversion's value in its box, cut to the C type as C's assignment does. */
function store(t: { value: unknown }, v: bigint, len: Len, signed: boolean): void {
  const bits = len === Len.Int ? 32 : len;
  const cut = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  t.value = bits === 64 && typeof t.value === "bigint" ? cut : Number(cut);
}

/**
 * A floating conversion as glibc gathers it (sign; inf, infinity, nan;
 * decimal or 0x hex digits, a point, an exponent) and converts it, as strtod
 * does, from the longest prefix that is a number. null when there is none.
 */
function float(input: ScanInput, c: number, width: number): number | null {
  let text = "";
  const takeChar = () => {
    text += String.fromCharCode(c);
    input.take();
    if (width > 0) width--;
    c = width === 0 ? EOF : input.peek();
  };
  if (c === 0x2d || c === 0x2b) {
    takeChar();
    if ((c as number) === EOF) return null;
  }
  const word = (w: string): boolean => {
    for (const ch of w) {
      if (c === EOF || lower(c) !== ch.charCodeAt(0)) return false;
      takeChar();
    }
    return true;
  };
  if (lower(c) === 0x6e) {
    if (!word("nan")) return null;
    return NaN;
  }
  if (lower(c) === 0x69) {
    if (!word("inf")) return null;
    if (c !== EOF && lower(c) === 0x69 && !word("inity")) return null;
    return text[0] === "-" ? -Infinity : Infinity;
  }
  let hex = false;
  let gotDigit = false;
  if (c === 0x30) {
    takeChar();
    gotDigit = true;
    if ((c as number) !== EOF && lower(c) === 0x78) {
      takeChar();
      hex = true;
    }
  }
  const expChar = hex ? 0x70 : 0x65;
  let gotE = false;
  let gotDot = false;
  while (c !== EOF) {
    const last = text.charCodeAt(text.length - 1);
    if (isDigit(c) || (hex && !gotE && isXdigit(c))) gotDigit = true;
    else if (gotE && lower(last) === expChar && (c === 0x2d || c === 0x2b)) {
      /* the exponent's sign */
    } else if (gotDigit && !gotE && lower(c) === expChar) gotE = gotDot = true;
    else if (c === 0x2e && !gotDot) gotDot = true;
    else break;
    takeChar();
  }
  if (text === "" || (hex && /^[+-]?0x$/i.test(text))) return null;
  return strtod(text);
}

/** A double rounded to a float, as strtof rounds: ERANGE when it overflows or vanishes. */
function single(v: number): number {
  const f = Math.fround(v);
  if ((Number.isFinite(v) && !Number.isFinite(f)) || (v !== 0 && f === 0)) set_errno(ERANGE);
  return f;
}

/** The value of the longest prefix of `text` that is a number, or null. */
function strtod(text: string): number | null {
  const hex = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?/i.exec(text);
  if (hex && (hex[2] || hex[3])) {
    const frac = hex[3] ?? "";
    const m = BigInt("0x0" + hex[2] + frac);
    const exp = Number(hex[4] ?? 0) - 4 * frac.length;
    const v = Number(m) * 2 ** exp;
    return hex[1] === "-" ? -v : v;
  }
  const dec = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(text);
  if (dec) {
    const v = Number(dec[0]);
    if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(dec[0].replace(/e.*$/i, ""))))
      set_errno(ERANGE);
    return v;
  }
  if (/^[+-]?0/.test(text)) return text[0] === "-" ? -0 : 0; // "0x" with nothing after
  return null;
}
