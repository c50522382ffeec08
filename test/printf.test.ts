import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { COMPILE_AFTER, cformat } from "../src/core/printf.js";
import { strerror } from "../src/libc/errno_text.js";
import { ECONNREFUSED, errno, set_errno } from "../src/libc/errno.js";
import {
  fflush,
  fprintf,
  fputc,
  fputs,
  putc,
  setvbuf,
  snprintf,
  sprintf,
  stderr,
  stdout,
  vprintf,
} from "../src/libc/printf.js";
import { buildC, projectRoot, runC } from "./support/cc.js";

/** cformat's output as a byte string (latin1), or null. */
function f(fmt: string | Uint8Array, ...args: unknown[]): string | null {
  return cformat(fmt, args)?.toString("latin1") ?? null;
}

describe("cformat", () => {
  it("formats integers with flags, width and precision", () => {
    expect(f("%d %s\n", 42, "hello")).to.equal("42 hello\n");
    expect(f("%5d|%-5d|%05d|%+d|% d|%.3d", 42, 42, 42, 42, 42, 7)).to.equal(
      "   42|42   |00042|+42| 42|007",
    );
    expect(f("%-05d|%05.2d|%+ d|%.0d|%#.0o|%#x|%#X|%#o", 7, 7, 7, 0, 0, 255, 255, 8)).to.equal(
      "7    |   07|+7||0|0xff|0XFF|010",
    );
  });

  it("wraps integers to the conversion's C type", () => {
    expect(f("%d %u %x", 2 ** 32 + 5, -1, -1)).to.equal("5 4294967295 ffffffff");
    expect(f("%hhd %hhu %hd %hu", 300, -1, 70000, -1)).to.equal("44 255 4464 65535");
    expect(f("%ld %lu %lld %zu %jd %td %qd", -1, -1, 2n ** 63n, 2n ** 64n - 1n, 5, -5, 7)).to.equal(
      "-1 18446744073709551615 -9223372036854775808 18446744073709551615 5 -5 7",
    );
    // The nearest-double constants EV_SIZE_MAX and EV_SSIZE_MAX print as the exact limits.
    expect(f("%zu %zd", 2 ** 64, 2 ** 63)).to.equal("18446744073709551615 9223372036854775807");
    expect(f("%d %d %d", 2.9, -2.9, true)).to.equal("2 -2 1");
  });

  it("rounds floats half-even on the exact binary value, as glibc does", () => {
    expect(f("%.2f %.0f %.0f %.0f %.0f", 2.675, 0.5, 1.5, 2.5, -0.5)).to.equal("2.67 0 2 2 -0");
    expect(f("%.1e %.0e %.0e %.0e", 0.125, 25, 95, 9.5)).to.equal("1.2e-01 2e+01 1e+02 1e+01");
    expect(f("%.60f", 0.1)).to.equal(
      "0.100000000000000005551115123125782702118158340454101562500000",
    );
    expect(f("%.17g %g %g %g %#g", 0.1, 1e-5, 123456789, 100000, 1)).to.equal(
      "0.10000000000000001 1e-05 1.23457e+08 100000 1.00000",
    );
    expect(f("%e %E", 1e308, 5e-324)).to.equal("1.000000e+308 4.940656E-324");
  });

  it("prints hex floats as glibc does", () => {
    expect(f("%a %a %a %a %A", 1, 0, -0.5, 5e-324, 255.5)).to.equal(
      "0x1p+0 0x0p+0 -0x1p-1 0x0.0000000000001p-1022 0X1.FFP+7",
    );
    expect(f("%.0a %.0a %.1a %#a %010a", 1.5, 2.5, 1.96875, 1, -1)).to.equal(
      "0x2p+0 0x1p+1 0x2.0p+0 0x1.p+0 -0x0001p+0",
    );
    expect(f("%La %La %.0La", 1, 5e-324, 1.9375)).to.equal("0x8p-3 0x8p-1077 0x1p+1");
  });

  it("prints infinities and NaN with sign flags, never zero-padded", () => {
    expect(f("%f %e %g %F %E %G", Infinity, -Infinity, NaN, Infinity, NaN, -Infinity)).to.equal(
      "inf -inf nan INF NAN -INF",
    );
    expect(f("%+f|% f|%05f|%-5f|", Infinity, NaN, Infinity, -Infinity)).to.equal(
      "+inf| nan|  inf|-inf |",
    );
    expect(f("%f %g", -0, -0)).to.equal("-0.000000 -0");
  });

  it("takes width and precision from the arguments with * and .*", () => {
    expect(f("%*d|%-*d|%*d|", 5, 1, 5, 2, -5, 3)).to.equal("    1|2    |3    |");
    expect(f("%.*f|%.*f|%*.*s|", 2, 3.14159, -1, 1.5, 6, 2, "abcdef")).to.equal(
      "3.14|1.500000|    ab|",
    );
  });

  it("prints strings, bytes and characters as bytes (strings as UTF-8)", () => {
    expect(cformat("é%s%c%c", ["ü", 0xff, "€"])).to.deep.equal(
      Buffer.concat([Buffer.from("éü", "utf8"), Buffer.of(0xff), Buffer.from("€", "utf8")]),
    );
    expect(f("%s|%.2s|%5s|%-5s|", Uint8Array.of(104, 105, 0, 120), "héllo", "ab", "ab")).to.equal(
      "hi|h\xc3|   ab|ab   |",
    );
    expect(f("%s|%.3s|%.6s|%8s", null, null, null, null)).to.equal("(null)||(null)|  (null)");
    expect(f(Uint8Array.of(37, 100, 0, 37, 100), 5)).to.equal("5"); // a char * format ends at NUL
    expect(f("%5%|%%|%c", 65)).to.equal("%|%|A");
  });

  it("prints pointers as glibc does, and objects at stable made-up addresses", () => {
    expect(f("%p %p %p %+p %.3p %8p", null, 0, 0x1234, 0x10, 1, null)).to.equal(
      "(nil) (nil) 0x1234 +0x10 0x001    (nil)",
    );
    const o = {};
    const a = f("%p", o);
    expect(a).to.match(/^0x[0-9a-f]+$/);
    expect(f("%p", o)).to.equal(a);
    expect(f("%p", {})).to.not.equal(a);
  });

  it("returns null where C's printf fails or would misbehave", () => {
    for (const [fmt, ...args] of [
      ["%d"],
      ["%n", 1],
      ["%y", 1],
      ["abc%"],
      ["%5"],
      ["%l"],
      ["%s", 1],
      ["%s", undefined],
      ["%d", "1"],
      ["%d", NaN],
      ["%f", "1.5"],
      ["%c", "ab"],
      ["%p", 1.5],
      ["%*d", "5", 1],
      ["%.*d", 5],
      ["%3000000000d", 1],
    ] as [string, ...unknown[]][]) {
      expect(f(fmt, ...args), fmt).to.equal(null);
    }
  });

  it("does not confuse formats that share a cache entry's bytes", () => {
    expect(cformat("\xe9", [])).to.deep.equal(Buffer.from("é", "utf8"));
    expect(cformat(Uint8Array.of(0xe9), [])).to.deep.equal(Buffer.of(0xe9));
  });
});

// ---- differential test against glibc ---------------------------------------

/** An argument: its JS value and its encoding for printf_diff.c. */
type Arg = [unknown, string];
interface Case {
  fmt: string;
  args: Arg[];
}

const view = new DataView(new ArrayBuffer(8));
function bits(x: number): string {
  if (Number.isNaN(x)) return "7ff8000000000000";
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

const int = (n: number): Arg => [n, `i${n}`];
const i64 = (n: bigint, asNumber = false): Arg => [asNumber ? Number(n) : n, `l${n}`];
const u64 = (n: bigint, js: unknown = n): Arg => [js, `u${n}`];
const dbl = (x: number): Arg => [x, `d${bits(x)}`];
const ldbl = (x: number): Arg => [x, `L${bits(x)}`];
const chr = (c: number | string): Arg => [c, `i${typeof c === "string" ? c.charCodeAt(0) : c}`];
const ptr = (p: number | bigint | null): Arg => [
  p,
  `p${BigInt.asUintN(64, BigInt(p ?? 0)).toString(16)}`,
];
function str(s: string | Uint8Array | null): Arg {
  if (s === null) return [s, "N"];
  const b = Buffer.from(s);
  const end = b.indexOf(0);
  return [s, `s${b.subarray(0, end < 0 ? b.length : end).toString("hex")}`];
}

/** Runs the cases through glibc and cformat; returns a description of each mismatch. */
function differential(cases: Case[]): string[] {
  const bin = buildC("printf_diff");
  const input = cases
    .map((c) => [Buffer.from(c.fmt, "utf8").toString("hex"), ...c.args.map((a) => a[1])].join(" "))
    .join("\n");
  const want = runC(bin, [], input + "\n", 120000).split("\n");
  const bad: string[] = [];
  cases.forEach((c, i) => {
    const values = c.args.map((a) => a[0]);
    const hexOf = (b: Buffer | null) => (b === null ? "ERR" : b.toString("hex"));
    // A format's first uses take the general formatter; its COMPILE_AFTER-th
    // and later ones a compiled writer, when the conversions have one.
    const first = hexOf(cformat(c.fmt, values));
    for (let use = 2; use < COMPILE_AFTER; use++) cformat(c.fmt, values);
    const later = hexOf(cformat(c.fmt, values));
    const hex = first !== want[i] ? first : later;
    if (hex !== want[i]) {
      const show = (h: string) =>
        h === "ERR" || h === undefined
          ? h
          : JSON.stringify(Buffer.from(h, "hex").toString("latin1"));
      const args = c.args.map((a) => (typeof a[0] === "bigint" ? `${a[0]}n` : String(a[0])));
      bad.push(
        `${JSON.stringify(c.fmt)} (${args.join(", ")}): glibc ${show(want[i])}, got ${show(hex)}`,
      );
    }
  });
  return bad;
}

const FLAG_SETS = Array.from({ length: 32 }, (_, m) =>
  [..."-+ #0"].filter((_, b) => m & (1 << b)).join(""),
);
const WIDTHS = ["", "1", "12"];
const PRECS = ["", ".", ".0", ".3", ".17"];

const INT32S = [0, 1, -1, 42, -2147483648, 2147483647, 255].map(int);
const SIGNED64 = [i64(-(2n ** 63n)), i64(2n ** 63n - 1n), i64(-1n, true), i64(1n << 40n, true)];
const UNSIGNED64 = [
  u64(2n ** 64n - 1n),
  u64(2n ** 63n),
  u64(12345678901234567890n),
  u64(2n ** 64n - 1n, -1),
];
const SHORTS = [300, -129, 65535, -32769].map(int);
const FLOATS = [
  0,
  -0,
  1,
  -1.5,
  0.1,
  2.5,
  123.456,
  1e308,
  5e-324,
  Number.MAX_VALUE,
  2.2250738585072014e-308,
  1e-310,
  NaN,
  Infinity,
  -Infinity,
  0.5,
  1e21,
  9.9999e-5,
  123456789,
  1e-300,
  0.125,
  999.9996,
];
const STRINGS = ["", "a", "hello", "héllo wörld", null, Uint8Array.of(98, 121, 0, 116)].map(str);
const CHARS = [65, 0, 255, "z", 321].map(chr);
const POINTERS = [null, 0x1234, 0xdeadbeefcafe, 2n ** 64n - 1n].map(ptr);

/** Every flag set x width x precision for each conversion class and its edge values. */
function crossProduct(): Case[] {
  const cases: Case[] = [];
  const add = (convs: string[], values: Arg[]) => {
    for (const flags of FLAG_SETS)
      for (const w of WIDTHS)
        for (const p of PRECS)
          for (const conv of convs)
            for (const v of values) cases.push({ fmt: `[%${flags}${w}${p}${conv}]`, args: [v] });
  };
  add(["d", "i", "u", "o", "x", "X"], INT32S);
  add(["hhd", "hu", "hhx", "hd"], SHORTS);
  add(["lld", "li"], SIGNED64);
  add(["llu", "lo", "zx", "jX"], UNSIGNED64);
  add(["f", "F", "e", "E", "g", "G", "a", "A"], FLOATS.map(dbl));
  add(["La", "LA"], FLOATS.map(ldbl));
  add(["s"], STRINGS);
  add(["c"], CHARS);
  add(["p"], POINTERS);
  return cases;
}

/** Cases picked by hand: rounding, extremes, long precisions, odd formats. */
function handPicked(): Case[] {
  const c = (fmt: string, ...args: Arg[]): Case => ({ fmt, args });
  const cases: Case[] = [];
  for (const x of [
    0.5,
    1.5,
    2.5,
    3.5,
    -0.5,
    -2.5,
    0.25,
    0.35,
    2.675,
    1.005,
    1.125,
    999.5,
    1e15 + 0.5,
  ])
    for (const fm of ["%.0f", "%.1f", "%.2f", "%.0e", "%.1e", "%.1g", "%.2g", "%.3g"])
      cases.push(c(fm, dbl(x)));
  for (const x of [
    0.1,
    1 / 3,
    2 / 3,
    Math.PI,
    1e-100,
    1e100,
    5e-324,
    Number.MAX_VALUE,
    1e23,
    2 ** 70,
  ])
    for (const fm of ["%.60f", "%.17g", "%.101e", "%.102g", "%.120f", "%.400e", "%.25a", "%La"])
      cases.push(c(fm, fm === "%La" ? ldbl(x) : dbl(x)));
  cases.push(
    c("%.1074f", dbl(5e-324)),
    c("%.1100e", dbl(5e-324)),
    c(
      "%f|%e|%g|%a",
      dbl(Number.MAX_VALUE),
      dbl(Number.MAX_VALUE),
      dbl(Number.MAX_VALUE),
      dbl(Number.MAX_VALUE),
    ),
    c(
      "%g %g %g %g %g %g",
      dbl(1e-5),
      dbl(1e-4),
      dbl(123456),
      dbl(1234567),
      dbl(0.0001234),
      dbl(999999.5),
    ),
    c("%.0La %.1La %.3La %.0La", ldbl(1.9375), ldbl(1.96875), ldbl(2 - 2 ** -52), ldbl(5e-324)),
    c(
      "%.0a %.1a %.2a %.12a",
      dbl(2 ** -1022 - 2 ** -1074),
      dbl(2 ** -1022 - 2 ** -1074),
      dbl(1.03125),
      dbl(1 + 2 ** -52),
    ),
    c("%Lf %Le %Lg %LG", ldbl(0.1), ldbl(1e300), ldbl(123.456), ldbl(1e-20)),
    c("%lf %le %lg %lE", dbl(0.1), dbl(1e300), dbl(123.456), dbl(1e-20)),
    c("%5%|%-5%|%05%|%%"),
    c(
      "%*d|%*d|%-*d|%*.*f|%.*f|%.*s|",
      int(6),
      int(42),
      int(-6),
      int(42),
      int(6),
      int(42),
      int(10),
      int(3),
      dbl(Math.PI),
      int(-1),
      dbl(1.5),
      int(2),
      str("abc"),
    ),
    c(
      "%d %s %x %c %5.2f %% %p %lu\n",
      int(1),
      str("two"),
      int(255),
      chr("c"),
      dbl(4.567),
      ptr(0xbeef),
      u64(7n),
    ),
    c("héllo %s wörld %5s|%-5.3s|", str("ü"), str("é"), str("ñandú")),
    c("%hhu %hhd %hu %hd %hhx %ho", int(256), int(128), int(65536), int(-32769), int(-1), int(-1)),
    c(
      "%jd %zd %td %qd %Ld %lli %Lu",
      i64(-5n),
      i64(-6n),
      i64(-7n),
      i64(-8n),
      i64(-9n),
      i64(-10n),
      u64(11n),
    ),
    c(
      "%#.3o|%#.3x|%#5o|%#-8x|%#08X|%#.0x|%#o",
      int(8),
      int(1),
      int(0),
      int(10),
      int(10),
      int(0),
      int(0),
    ),
    c("%+.0e|% .0f|%+#.0f|%#.0e|%-+8.2e|", dbl(5), dbl(0), dbl(1), dbl(-1), dbl(3.14159)),
    c(
      "%08.3f|%-08.3f|%+08.3f|% 08.3f|%08.3e|%08g|",
      dbl(-1.5),
      dbl(-1.5),
      dbl(1.5),
      dbl(1.5),
      dbl(1.5),
      dbl(-0.0),
    ),
    c("%#g|%#.3g|%#.0g|%#G|%g|%.0g", dbl(1), dbl(100), dbl(0), dbl(1e-10), dbl(1e-10), dbl(0)),
    c(
      "%#.3g|%#.3g|%#.2g|%#g|%#.4g|%#.3g",
      dbl(999.9996),
      dbl(1000),
      dbl(99.96),
      dbl(999999.5),
      dbl(9999.6),
      dbl(9.9996e-5),
    ),
    c("%c%c%c", chr(0), chr(255), chr(-1)),
  );
  return cases;
}

/** A deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCases(seed: number, n: number): Case[] {
  const r = prng(seed);
  const below = (k: number) => Math.floor(r() * k);
  const pick = <T>(xs: readonly T[]): T => xs[below(xs.length)];
  const u32 = () => below(2 ** 32);
  const rand64 = () => (BigInt(u32()) << 32n) | BigInt(u32());
  const int32 = () =>
    pick([
      () => u32() | 0,
      () => below(2000) - 1000,
      () => pick([0, -1, 2 ** 31 - 1, -(2 ** 31)]),
    ])();

  function double(): number {
    switch (below(8)) {
      case 0: {
        view.setBigUint64(0, rand64());
        return view.getFloat64(0);
      }
      case 1:
        return below(2e6) - 1e6;
      case 2: // exactly representable, often a tie at some precision
        return ((below(2e5) - 1e5) / 2 ** (1 + below(12))) * 10 ** below(3);
      case 3:
        return (below(2e9) - 1e9) / 10 ** below(13);
      case 4:
        return (1 + r() * 9) * 10 ** (below(629) - 320);
      case 5:
        return pick(FLOATS);
      case 6:
        return r();
      default:
        return (r() + 1) * 2 ** (50 + below(30));
    }
  }

  function spec(args: Arg[]): string {
    let s = "%";
    for (const ch of "-+ #0") if (r() < 0.25) s += ch;
    if (r() < 0.05) s += pick([..."-+ #0"]);
    const w = r();
    if (w < 0.35) s += below(30) + 1;
    else if (w < 0.45) {
      s += "*";
      args.push(int(below(81) - 40));
    }
    const kind = pick(["int", "int", "int", "float", "float", "float", "s", "c", "p", "%"]);
    const p = r();
    if (p < 0.1) s += ".";
    else if (p < 0.45)
      s += "." + (r() < 0.9 ? below(25) : kind === "float" && r() < 0.3 ? below(1200) : below(130));
    else if (p < 0.6) {
      s += ".*";
      args.push(int(below(46) - 5));
    }
    switch (kind) {
      case "int": {
        const conv = pick([..."diuoxX"]);
        const signed = conv === "d" || conv === "i";
        const len = pick(["", "", "", "hh", "h", "l", "ll", "z", "j", "t", "q", "L"]);
        if (len === "" || len[0] === "h") args.push(int(int32()));
        else if (signed) {
          const v = BigInt.asIntN(64, rand64() >> BigInt(below(64)));
          args.push(i64(v, r() < 0.5 && Number.isSafeInteger(Number(v))));
        } else {
          const v = BigInt.asUintN(64, rand64() >> BigInt(below(64)));
          args.push(r() < 0.2 ? u64(BigInt.asUintN(64, -v), -v) : u64(v));
        }
        return s + len + conv;
      }
      case "float": {
        const len = pick(["", "", "", "l", "L"]);
        const x = double();
        args.push(len === "L" ? ldbl(x) : dbl(x));
        return s + len + pick([..."fFeEgGaA"]);
      }
      case "s":
        args.push(
          str(
            pick(["", "x", "hello world", "ünïcödé", "a\u{1F600}b", null, "0123456789".repeat(4)]),
          ),
        );
        return s + "s";
      case "c":
        args.push(chr(r() < 0.5 ? below(256) : pick(["a", " ", "~"])));
        return s + "c";
      case "p":
        args.push(ptr(pick([null, below(2 ** 48), rand64(), 0])));
        return s + "p";
      default:
        return s + "%";
    }
  }

  const cases: Case[] = [];
  const texts = ["", "", " ", "x", "[", "] ", "é", "\t", "=%%="];
  for (let i = 0; i < n; i++) {
    const args: Arg[] = [];
    let fmt = pick(texts);
    for (let k = 1 + below(3); k > 0; k--) fmt += spec(args) + pick(texts);
    cases.push({ fmt, args });
  }
  return cases;
}

describe("cformat against glibc's snprintf", function () {
  this.timeout(120000);

  it("agrees on every flag set x width x precision for each conversion", () => {
    const cases = crossProduct();
    expect(cases.length).to.be.greaterThan(100000);
    const bad = differential(cases);
    expect(bad.slice(0, 20), `${bad.length} of ${cases.length} differ`).to.deep.equal([]);
  });

  it("agrees on hand-picked cases", () => {
    const bad = differential(handPicked());
    expect(bad.slice(0, 20), `${bad.length} differ`).to.deep.equal([]);
  });

  it("agrees on 20,000 seeded random cases", () => {
    const seed = Number(process.env.PRINTF_SEED ?? 20251012);
    const bad = differential(randomCases(seed, 20000));
    expect(bad.slice(0, 20), `seed ${seed} (PRINTF_SEED): ${bad.length} differ`).to.deep.equal([]);
  });
});

// ---- bufferevent/libc ------------------------------------------------------

describe("libc printf family", () => {
  it("snprintf truncates, NUL-terminates and returns the untruncated length", () => {
    const buf = new Uint8Array(8).fill(0x2a);
    expect(snprintf(buf, buf.length, "hello %s", "world")).to.equal(11);
    expect(Buffer.from(buf).toString("latin1")).to.equal("hello w\0");
    expect(snprintf(buf, 3, "%d", 12345)).to.equal(5);
    expect([...buf.subarray(0, 4)]).to.deep.equal([49, 50, 0, 108]);
    expect(snprintf(null, 0, "%d", 12345)).to.equal(5);
    expect(snprintf(buf, 0, "abc")).to.equal(3);
    expect(buf[0]).to.equal(49);
    expect(snprintf(buf, 8, "%n", 1)).to.equal(-1);
  });

  it("snprintf and sprintf refuse memory C would overrun", () => {
    expect(() => snprintf(new Uint8Array(4), 5, "x")).to.throw(RangeError, /snprintf.*size/);
    expect(() => snprintf(null, 1, "x")).to.throw(TypeError, /snprintf.*str/);
    expect(() => sprintf(new Uint8Array(3), "abc")).to.throw(RangeError, /sprintf.*str/);
    const buf = new Uint8Array(4);
    expect(sprintf(buf, "%s", "abc")).to.equal(3);
    expect([...buf]).to.deep.equal([97, 98, 99, 0]);
  });

  it("throws a TypeError naming the function and argument on bad input", () => {
    expect(() => fprintf(stdout, 42 as unknown as string)).to.throw(TypeError, /fprintf.*'format'/);
    expect(() => fprintf(1 as unknown as typeof stdout, "x")).to.throw(
      TypeError,
      /fprintf.*'stream'/,
    );
    expect(() => vprintf("x", 1 as unknown as unknown[])).to.throw(TypeError, /vprintf.*'ap'/);
    expect(() => fputs(null as unknown as string, stderr)).to.throw(TypeError, /fputs.*'s'/);
    expect(() => strerror("1" as unknown as number)).to.throw(TypeError, /strerror.*'errnum'/);
  });

  it("writes to a descriptor and returns the byte count", () => {
    const dir = mkdtempSync(join(tmpdir(), "printf-"));
    try {
      const path = join(dir, "out");
      const file = { fd: openSync(path, "w") };
      expect(fprintf(file, "%s=%d\n", "é", 5)).to.equal(5);
      expect(fputs("line\n", file)).to.equal(1);
      expect(fprintf(file, "%d")).to.equal(-1);
      expect(fflush(file)).to.equal(0);
      expect(setvbuf(file, null, 2, 0)).to.equal(0);
      closeSync(file.fd);
      expect(readFileSync(path, "utf8")).to.equal("é=5\nline\n");
      expect(fprintf(file, "x")).to.equal(-1);
      expect(errno).to.equal(9); // EBADF
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("strerror speaks glibc's words", () => {
    expect(strerror(0)).to.equal("Success");
    expect(strerror(ECONNREFUSED)).to.equal("Connection refused");
    expect(strerror(133)).to.equal("Memory page has hardware error");
    expect(strerror(41)).to.equal("Unknown error 41");
    expect(strerror(-3)).to.equal("Unknown error -3");
    expect(set_errno(4)).to.equal(4);
    expect(errno).to.equal(4);
  });

  const libc = pathToFileURL(join(projectRoot, "dist/src/libc/printf.js")).href;
  const errnoUrl = pathToFileURL(join(projectRoot, "dist/src/libc/errno.js")).href;

  it("keeps call order across stdout and stderr, and puts/putchar/perror behave as C", () => {
    const script = `
      import { printf, puts, putchar, fputs, fprintf, perror, vprintf, stdout, stderr } from "${libc}";
      import { set_errno } from "${errnoUrl}";
      const n = [];
      n.push(printf("a%d\\n", 1));
      n.push(fprintf(stderr, "b%s\\n", "x"));
      n.push(puts("c"));
      n.push(putchar(356));
      n.push(fputs("\\n", stdout));
      n.push(fputs("e\\n", stderr));
      set_errno(111);
      perror("connect");
      perror(null);
      n.push(vprintf("%5.1f|%s\\n", [2.25, "v"]));
      printf("%s\\n", n.join(","));
    `;
    const r = spawnSync(
      "sh",
      ["-c", 'exec "$0" --input-type=module -e "$1" 2>&1', process.execPath, script],
      {
        encoding: "utf8",
        timeout: 20000,
      },
    );
    expect(r.stdout).to.equal(
      "a1\nbx\nc\nd\ne\nconnect: Connection refused\nConnection refused\n  2.2|v\n3,3,2,100,1,1,8\n",
    );
  });

  it("putc and fputc write one byte to their stream and return it as unsigned char", () => {
    const script = `
      import { putc, fputc, printf, stdout, stderr } from "${libc}";
      const r = [putc(".".charCodeAt(0), stdout), fputc(0x2d, stderr), putc(-1, stdout), fputc(0x141, stdout)];
      printf("|%s\\n", r.join(","));
    `;
    const r = spawnSync(
      "sh",
      ["-c", 'exec "$0" --input-type=module -e "$1" 2>&1', process.execPath, script],
      { encoding: "latin1", timeout: 20000 },
    );
    expect(r.stdout).to.equal(".-\xffA|46,45,255,65\n");
    expect(() => putc(0x41, 1 as unknown as typeof stdout)).to.throw(TypeError, /putc.*'stream'/);
    expect(() => fputc("A" as unknown as number, stdout)).to.throw(TypeError, /fputc.*'c'/);
  });

  it("loses nothing on a non-blocking pipe that fills up", async () => {
    const script = `
      import { printf } from "${libc}";
      process.stdout; // makes fd 1 non-blocking, so writes meet EAGAIN
      const line = "x".repeat(1000);
      for (let i = 0; i < 4000; i++) printf("%06d %s\\n", i, line);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout) {
      chunks.push(chunk as Buffer);
      await new Promise((res) => setTimeout(res, chunks.length < 5 ? 50 : 0)); // a slow reader
    }
    const lines = Buffer.concat(chunks).toString("latin1").split("\n");
    expect(lines.length).to.equal(4001);
    lines.slice(0, 4000).forEach((l, i) => {
      if (l !== `${String(i).padStart(6, "0")} ${"x".repeat(1000)}`)
        expect.fail(`line ${i}: ${l.slice(0, 20)}`);
    });
  });
});
