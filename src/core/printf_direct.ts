// printf's common conversions, written as bytes straight into the caller's
// memory with no intermediate string, by a writer compiled once per format.
//
// A loop over the format's parts pays, per call, for the dispatch on each
// conversion, its width and flags read from memory, and a length check per
// part; a format is nearly always used in a loop (evbuffer_add_printf in a
// read callback), so each format gets its own straight-line JavaScript,
// generated from the parsed format: the literals become word stores of
// constants, each conversion a call to one small writer below with its
// width and flags as literal numbers, which V8 inlines and folds. The
// generated source holds nothing taken from the format as text: only
// numbers, the names of the writers below, and indexes into `S`/`L`.
//
// Each writer takes only arguments whose output it knows to be exactly
// cformat's (integers that need no wrapping, ASCII strings); anything else
// makes the compiled writer return -1 and cformat's general path decides.
import { Bytes, INT_MAX, LEN_64, LEN_INT, MINUS, NONE, STAR, ZERO } from "./printf_spec.js";
import type { Spec } from "./printf_spec.js";

/** Prints into dv from `at`, never past `end`: the new end, or -1. */
export type Writer = (dv: DataView, at: number, end: number, args: readonly unknown[]) => number;

const D_NONE = 0;
const D_SIGNED = 1; // d i
const D_UNSIGNED = 2; // u
const D_HEX = 3; // x
const D_HEX_UPPER = 4; // X
const D_STRING = 5; // s
const D_CHAR = 6; // c

/** How a direct writer prints a conversion (D_*), or D_NONE when only cformat can. */
export function directKind(
  flags: number,
  width: number,
  prec: number,
  len: number,
  conv: number,
): number {
  if ((flags & ~(MINUS | ZERO)) !== 0 || width === STAR || prec !== NONE) return D_NONE;
  const int = len === LEN_INT || len === LEN_64;
  if (conv === 100 || conv === 105) return int ? D_SIGNED : D_NONE;
  if (conv === 117) return int ? D_UNSIGNED : D_NONE;
  if (conv === 120) return int ? D_HEX : D_NONE;
  if (conv === 88) return int ? D_HEX_UPPER : D_NONE;
  if (conv === 115) return len === LEN_INT ? D_STRING : D_NONE;
  if (conv === 99) return len === LEN_INT ? D_CHAR : D_NONE;
  return D_NONE;
}

function bytesOf(s: string): Bytes {
  const b = Buffer.from(s, "latin1");
  const r = new Bytes(b.length);
  r.length = b.length;
  for (let i = 0; i < b.length; i++) r.words[i >> 2] |= b[i] << (8 * (i & 3));
  return r;
}

const HEX_LOWER = Uint8Array.from(Buffer.from("0123456789abcdef", "latin1"));
const HEX_UPPER = Uint8Array.from(Buffer.from("0123456789ABCDEF", "latin1"));
const NULL_STRING = bytesOf("(null)");
/** POW10[n] = 10^n, up to the first power above every safe integer. */
const POW10 = Array.from({ length: 17 }, (_, n) => 10 ** n);
/** Literals up to this length are stored inline by the compiled writer. */
const INLINE_LITERAL = 16;

// ---- compiling -------------------------------------------------------------

/**
 * The writer for a parsed format (lits[i] precedes specs[i]; lits are byte
 * strings), or null when a conversion needs cformat's general path.
 */
export function compileWriter(lits: readonly string[], specs: readonly Spec[]): Writer | null {
  if (specs.some((sp) => sp.direct === D_NONE)) return null;
  const longLits: Bytes[] = [];
  const body: string[] = [`if (args.length < ${specs.length}) return -1;`, "let a;"];
  const literal = (s: string): void => {
    const b = bytesOf(s);
    if (b.length > INLINE_LITERAL) {
      body.push(`p = putBytes(dv, p, end, L[${longLits.push(b) - 1}]); if (p < 0) return -1;`);
    } else if (b.length > 0) body.push(inlineStores(b));
  };
  literal(lits[0]);
  specs.forEach((sp, k) => {
    body.push(`a = args[${k}];`, conversion(sp, k));
    literal(lits[k + 1]);
  });
  body.push("return p;");
  const src =
    specs.map((_, k) => `const s${k} = S[${k}];`).join("\n") +
    `\nreturn function write(dv, p, end, args) {\n${body.join("\n")}\n};`;
  const make = new Function(
    "putInteger",
    "putString",
    "putPadded",
    "putChar",
    "putBytes",
    "HEX_LOWER",
    "HEX_UPPER",
    "NULL_STRING",
    "S",
    "L",
    src,
  );
  return make(
    putInteger,
    putString,
    putPadded,
    putChar,
    putBytes,
    HEX_LOWER,
    HEX_UPPER,
    NULL_STRING,
    specs,
    longLits,
  ) as Writer;
}

/** A short literal's bytes as stores of constant words. */
function inlineStores(b: Bytes): string {
  const n = b.length;
  const out = [`if (p > end - ${n}) return -1;`];
  const full = n >> 2;
  for (let k = 0; k < full; k++) out.push(`dv.setInt32(p + ${4 * k}, ${b.words[k]}, true);`);
  let q = 4 * full;
  let tail = full < b.words.length ? b.words[full] : 0;
  if (n - q >= 2) {
    out.push(`dv.setUint16(p + ${q}, ${tail & 0xffff}, true);`);
    q += 2;
    tail >>>= 16;
  }
  if (q < n) out.push(`dv.setUint8(p + ${q}, ${tail & 0xff});`);
  out.push(`p += ${n};`);
  return out.join(" ");
}

/** The source printing argument `a` by spec k (flags and width as literal numbers). */
function conversion(sp: Spec, k: number): string {
  const wf = `${sp.width}, ${sp.flags}`;
  const int32 = sp.len === LEN_INT;
  let code: string;
  switch (sp.direct) {
    case D_SIGNED:
      code =
        `if (typeof a !== "number" || !${int32 ? "((a | 0) === a)" : "Number.isSafeInteger(a)"}) return -1;\n` +
        `p = a < 0 ? putInteger(dv, p, end, -a, null, 45, ${wf}) : putInteger(dv, p, end, a, null, 0, ${wf});`;
      break;
    case D_STRING:
      code =
        `if (typeof a === "string") p = a === s${k}.str ? putPadded(dv, p, end, s${k}.strBytes, ${wf}) : putString(dv, p, end, a, s${k}, ${wf});\n` +
        `else if (a === null) p = putPadded(dv, p, end, NULL_STRING, ${wf});\nelse return -1;`;
      break;
    case D_CHAR:
      code = `p = putChar(dv, p, end, a, ${wf});`;
      break;
    default: {
      const digits =
        sp.direct === D_UNSIGNED ? "null" : sp.direct === D_HEX ? "HEX_LOWER" : "HEX_UPPER";
      code = int32
        ? `if (typeof a !== "number" || ((a | 0) !== a && a >>> 0 !== a)) return -1;\n` +
          `p = putInteger(dv, p, end, a >>> 0, ${digits}, 0, ${wf});`
        : `if (typeof a !== "number" || !(Number.isSafeInteger(a) && a >= 0)) return -1;\n` +
          `p = putInteger(dv, p, end, a, ${digits}, 0, ${wf});`;
    }
  }
  return `${code}\nif (p < 0) return -1;`;
}

// ---- the writers the compiled code calls ----------------------------------

function putBytes(dv: DataView, p: number, end: number, b: Bytes): number {
  const n = b.length;
  if (p + n > end) return -1;
  const w = b.words;
  const nw = (n + 3) >> 2;
  if (p + 4 * nw <= end) {
    // Whole words: the bytes past n land in the room after the output.
    for (let k = 0; k < nw; k++) dv.setInt32(p + 4 * k, w[k], true);
    return p + n;
  }
  const full = n >> 2;
  for (let k = 0; k < full; k++) dv.setInt32(p + 4 * k, w[k], true);
  let q = p + 4 * full;
  for (let t = w[full]; q < p + n; q++, t >>= 8) dv.setUint8(q, t);
  return q;
}

function putRun(dv: DataView, p: number, byte: number, n: number): number {
  for (let i = 0; i < n; i++) dv.setUint8(p + i, byte);
  return p + n;
}

/** %c of a number (its low byte) or a one-character ASCII string, padded; else -1. */
function putChar(
  dv: DataView,
  p: number,
  end: number,
  a: unknown,
  width: number,
  flags: number,
): number {
  let c: number;
  if (typeof a === "number" && (a | 0) === a) c = a & 0xff;
  else if (typeof a === "string" && a.length === 1 && a.charCodeAt(0) < 0x80) c = a.charCodeAt(0);
  else return -1;
  const pad = width - 1;
  if (p + (pad > 0 ? width : 1) > end) return -1;
  if (pad > 0 && (flags & MINUS) === 0) p = putRun(dv, p, 32, pad);
  dv.setUint8(p++, c);
  return pad > 0 && flags & MINUS ? putRun(dv, p, 32, pad) : p;
}

/** The digits of v (a non-negative safe integer) in base 10 or 16, after `sign` (0: none), padded. */
function putInteger(
  dv: DataView,
  p: number,
  end: number,
  v: number,
  hex: Uint8Array | null,
  sign: number,
  width: number,
  flags: number,
): number {
  const n = hex === null ? decimalLength(v) : hexLength(v);
  const len = sign === 0 ? n : n + 1;
  const pad = width - len;
  if (p + (pad > 0 ? width : len) > end) return -1;
  if (pad > 0 && (flags & (MINUS | ZERO)) === 0) p = putRun(dv, p, 32, pad);
  if (sign !== 0) dv.setUint8(p++, sign);
  if (pad > 0 && (flags & (MINUS | ZERO)) === ZERO) p = putRun(dv, p, 48, pad);
  p += n;
  if (hex !== null) putHex(dv, p, v, hex);
  else putDecimal(dv, p, v);
  return pad > 0 && flags & MINUS ? putRun(dv, p, 32, pad) : p;
}

function decimalLength(v: number): number {
  if (v < 100000) return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5;
  let n = 6;
  while (v >= POW10[n]) n++;
  return n;
}

function hexLength(v: number): number {
  let n = 1;
  for (let t = v; t >= 16; t = Math.floor(t / 16)) n++;
  return n;
}

/** PAIRS[n] = the two digits of n (0-99) as a little-endian 16-bit word. */
const PAIRS = Uint16Array.from(
  { length: 100 },
  (_, n) => (48 + ((n / 10) | 0)) | ((48 + (n % 10)) << 8),
);

/**
 * Writes the decimal digits of v backwards, ending just before `p`, two at a
 * time. Below 2^31 the arithmetic stays in int32 (a division by a constant
 * is a multiply).
 */
function putDecimal(dv: DataView, p: number, v: number): void {
  for (; v > INT_MAX; v = Math.floor(v / 10)) dv.setUint8(--p, 48 + v - Math.floor(v / 10) * 10);
  let t = v | 0;
  while (t >= 100) {
    const q = (t / 100) | 0;
    p -= 2;
    dv.setUint16(p, PAIRS[t - q * 100], true);
    t = q;
  }
  if (t >= 10) dv.setUint16(p - 2, PAIRS[t], true);
  else dv.setUint8(p - 1, 48 + t);
}

/** Writes the hex digits of v backwards, ending just before `p`. */
function putHex(dv: DataView, p: number, v: number, digits: Uint8Array): void {
  for (; v > INT_MAX; v = Math.floor(v / 16)) dv.setUint8(--p, digits[v % 16]);
  let t = v | 0;
  do {
    dv.setUint8(--p, digits[t & 15]);
    t >>= 4;
  } while (t !== 0);
}

/** Strings up to this length are remembered by their spec, with their bytes. */
const MEMO_MAX = 32;
/** The bytes of the last longer string. */
let longBytes = new Bytes(256);

/** An ASCII string (its own bytes), padded; -1 for any other string. */
function putString(
  dv: DataView,
  p: number,
  end: number,
  s: string,
  sp: Spec,
  width: number,
  flags: number,
): number {
  const n = s.length;
  let b: Bytes;
  if (n <= MEMO_MAX) {
    b = sp.strBytes ??= new Bytes(MEMO_MAX);
    sp.str = null; // until b holds s
  } else {
    if (longBytes.words.length * 4 < n) longBytes = new Bytes(n);
    b = longBytes;
  }
  const w = b.words;
  let all = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    all |= c0 | c1 | c2 | c3;
    w[i >> 2] = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
  }
  if (i < n) {
    let t = 0;
    for (let shift = 0; i < n; i++, shift += 8) {
      const c = s.charCodeAt(i);
      all |= c;
      t |= c << shift;
    }
    w[n >> 2] = t;
  }
  if (all > 0x7f) return -1;
  b.length = n;
  if (n <= MEMO_MAX) sp.str = s;
  return putPadded(dv, p, end, b, width, flags);
}

/** Bytes, padded with spaces to the width. */
function putPadded(
  dv: DataView,
  p: number,
  end: number,
  b: Bytes,
  width: number,
  flags: number,
): number {
  const pad = width - b.length;
  if (p + (pad > 0 ? width : b.length) > end) return -1;
  if (pad > 0 && (flags & MINUS) === 0) p = putRun(dv, p, 32, pad);
  p = putBytes(dv, p, end, b);
  return pad > 0 && flags & MINUS ? putRun(dv, p, 32, pad) : p;
}
