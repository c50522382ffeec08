import { expect } from "chai";
import fc from "fast-check";
import { buildC, runC } from "./support/cc.js";
import { atoi, atol, strtol, strtoul } from "../src/libc/strtol.js";
import { strcmp, strncmp, strcasecmp, strncasecmp, strlen } from "../src/libc/string.js";
import { memcmp } from "../src/libc/memory.js";
import * as errnoMod from "../src/libc/errno.js";
import { LONG_MAX, LONG_MIN, ULONG_MAX } from "../src/libc/index.js";

const sign = (v: number) => Math.sign(v) + 0;

/** The line test/c/libc_numbers.c prints for one "BASE\tTEXT" input. */
function numbersLine(base: number, text: string): string {
  const e1 = { value: -1 };
  errnoMod.set_errno(0);
  const l = strtol(text, e1, base);
  const el = errnoMod.errno;
  const e2 = { value: -1 };
  errnoMod.set_errno(0);
  const u = strtoul(text, e2, base);
  const eu = errnoMod.errno;
  return [atoi(text), atol(text), l, e1.value, el, u, e2.value, eu].join(" ");
}

/** The line for one "cmp\tA\tB" input. */
function cmpLine(a: string, b: string): string {
  const n = Math.min(strlen(a), strlen(b));
  return [strcmp(a, b), strncmp(a, b, 3), strcasecmp(a, b), strncasecmp(a, b, 2), memcmp(a, b, n)]
    .map(sign)
    .join(" ");
}

/** C prints 64-bit values exactly; the port returns the nearest double. */
const asDoubles = (line: string) => line.split(" ").map(Number);

// prettier-ignore
const handPicked: [number, string][] = [
  [10, "42"], [10, "  -42abc"], [10, "\t\v\f\r 7"], [10, "+"], [10, "-"], [10, ""], [10, "abc"],
  [10, "2147483647"], [10, "2147483648"], [10, "-2147483649"], [10, "4294967296"],
  [10, "99999999999"], [10, "9223372036854775807"], [10, "9223372036854775808"],
  [10, "-9223372036854775808"], [10, "-9223372036854775809"], [10, "18446744073709551615"],
  [10, "18446744073709551616"], [10, "-18446744073709551616"], [10, "99999999999999999999"],
  [10, "-1"], [10, "-0"], [10, "007"], [0, "0x1f"], [0, "0X1F"], [0, "0x"], [0, "0xg"], [0, "017"],
  [0, "018"], [0, "0"], [0, "-0x10"], [16, "0x1f"], [16, "1f"], [16, "0xZ"], [16, "ffffffffffffffff"],
  [16, "10000000000000000"], [8, "0x7"], [2, "1011"], [2, "102"], [36, "zz"], [36, "Zz"],
  [1, "12"], [37, "12"], [-1, "12"], [10, " + 5"], [10, "--5"], [10, "1e5"], [10, " 12 34"],
];

// prettier-ignore
const cmpPicked: [string, string][] = [
  ["abc", "abd"], ["abd", "abc"], ["abc", "abc"], ["abc", "ab"], ["ab", "abc"], ["", ""], ["", "a"],
  ["Abc", "abc"], ["abC", "ABD"], ["é", "a"], ["a", "é"], ["é", "è"], ["ÿ", "~"], ["[", "a"],
  ["_", "A"], ["hello", "help"], ["HELLO", "hello!"], ["ab", "AB"],
];

describe("libc numbers and comparisons against glibc", () => {
  let bin: string;
  before(function () {
    this.timeout(30000);
    bin = buildC("libc_numbers");
  });

  it("atoi, atol, strtol and strtoul agree on hand-picked inputs (values, endptr, errno)", () => {
    const out = runC(bin, [], handPicked.map(([b, t]) => `${b}\t${t}\n`).join(""))
      .trimEnd()
      .split("\n");
    handPicked.forEach(([b, t], i) => {
      expect(asDoubles(numbersLine(b, t)), `base ${b} ${JSON.stringify(t)}`).to.deep.equal(
        asDoubles(out[i]),
      );
    });
  });

  it("agree on 3,000 seeded random inputs and bases", () => {
    const text = fc.string({
      unit: fc.constantFrom(..." \t+-0123456789abcdefxXzZ7"),
      maxLength: 24,
    });
    const base = fc.constantFrom(0, 2, 8, 10, 16, 36, 1, 37, 0, 10, 16);
    const cases = fc.sample(fc.tuple(base, text), { numRuns: 3000, seed: 20251201 });
    const out = runC(bin, [], cases.map(([b, t]) => `${b}\t${t}\n`).join(""))
      .trimEnd()
      .split("\n");
    const wrong = cases.filter(
      ([b, t], i) =>
        JSON.stringify(asDoubles(numbersLine(b, t))) !== JSON.stringify(asDoubles(out[i])),
    );
    expect(wrong).to.deep.equal([]);
  });

  it("strcmp, strncmp, strcasecmp, strncasecmp and memcmp have glibc's signs (bytes unsigned)", () => {
    const rand = fc.sample(
      fc.tuple(
        fc.string({ unit: fc.constantFrom(..."aAbBzZ[_~é"), maxLength: 5 }),
        fc.string({ unit: fc.constantFrom(..."aAbBzZ[_~é"), maxLength: 5 }),
      ),
      { numRuns: 1000, seed: 7 },
    );
    const pairs = [...cmpPicked, ...rand];
    const out = runC(bin, [], pairs.map(([a, b]) => `cmp\t${a}\t${b}\n`).join(""))
      .trimEnd()
      .split("\n");
    const wrong = pairs
      .map(([a, b], i) => ({ a, b, ours: cmpLine(a, b), glibc: out[i] }))
      .filter((r) => r.ours !== r.glibc);
    expect(wrong).to.deep.equal([]);
  });
});

describe("libc strtol family", () => {
  it("parses Uint8Arrays up to their NUL and strings up to an embedded NUL", () => {
    const end = { value: -1 };
    expect(strtol(Buffer.from("123\u000045"), end, 10)).to.equal(123);
    expect(end.value).to.equal(3);
    expect(atoi("12\u00003")).to.equal(12);
    expect(atoi(new Uint8Array([0x34, 0x32]))).to.equal(42);
  });

  it("accepts a null endptr and leaves errno alone on success", () => {
    errnoMod.set_errno(99);
    expect(strtoul("0x10", null, 0)).to.equal(16);
    expect(errnoMod.errno).to.equal(99);
  });

  it("saturates to LONG_MAX/LONG_MIN with errno ERANGE, so C's range check ports as is", () => {
    errnoMod.set_errno(0);
    const big = strtol("99999999999999999999", null, 10);
    expect([big === LONG_MAX, errnoMod.errno === errnoMod.ERANGE]).to.deep.equal([true, true]);
    errnoMod.set_errno(0);
    expect(strtol("-99999999999999999999", null, 10)).to.equal(LONG_MIN);
    expect(errnoMod.errno).to.equal(34);
    errnoMod.set_errno(0);
    expect(strtoul("99999999999999999999", null, 10)).to.equal(ULONG_MAX);
    expect(strtol("9223372036854775807", null, 10)).to.equal(LONG_MAX); // the largest long is LONG_MAX too
  });

  it("returns the nearest double beyond 2^53", () => {
    expect(strtol("9007199254740993", null, 10)).to.equal(9007199254740992);
    expect(strtoul("-1", null, 10)).to.equal(2 ** 64);
    expect(atol("-9223372036854775808")).to.equal(-(2 ** 63));
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => atoi(null as any)).to.throw(TypeError, /atoi: argument 'nptr' is NULL/);
    expect(() => atol(42 as any)).to.throw(TypeError, /atol: argument 'nptr'/);
    expect(() => strtol("1", 5 as any, 10)).to.throw(TypeError, /strtol: argument 'endptr'/);
    expect(() => strtoul("1", null, 2.5)).to.throw(RangeError, /strtoul: argument 'base'/);
    expect(() => strtol("1", null, "10" as any)).to.throw(TypeError, /strtol: argument 'base'/);
  });
});
