// sscanf against glibc: test/c/libc_scanf.c runs a table of cases through
// glibc's sscanf and prints the return value, errno and every out-parameter;
// the same table goes through the port here, printed the same way.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { errno, set_errno, snprintf, sscanf, vsscanf } from "../src/libc/index.js";

// kinds (see libc_scanf.c), format, input; \t \n \xHH ... as escapes.
const cases: [string, string, string][] = [
  // %d: signs, white space, widths, overflow, no digits, the end of input
  ["i", "%d", "42"],
  ["i", "%d", "   -17xyz"],
  ["i", "%d", "+5"],
  ["i", "%d", "-"],
  ["i", "%d", "+x"],
  ["i", "%d", ""],
  ["i", "%d", "   "],
  ["i", "%d", "abc"],
  ["i", "%d", "2147483648"],
  ["i", "%d", "-2147483649"],
  ["i", "%d", "99999999999999999999"],
  ["ii", "%2d%d", "12345"],
  ["ii", "%1d%d", "-5"],
  ["i", "%0d", "123"],
  ["is", "%3d%s", "+1234"],
  ["ii", "%d,%d", "1,2"],
  ["ii", "%d,%d", "1;2"],
  ["ii", "%d , %d", "1   ,\\t\\n2"],
  ["ii", "%d,%d", "1 ,2"],
  ["ii", "%d%d", "1"],
  // %i: base prefixes
  ["iiii", "%i %i %i %i", "0x1A 017 19 -0x10"],
  ["is", "%i%s", "0xzz"],
  ["is", "%i%s", "0x"],
  ["is", "%i%s", "08"],
  ["is", "%2i%s", "0x1f"],
  ["is", "%1i%s", "0x1f"],
  ["i", "%i", "-012"],
  // %u %o %x %X %p
  ["u", "%u", "4294967295"],
  ["u", "%u", "-1"],
  ["u", "%u", "4294967296"],
  ["uuu", "%x %X %x", "ff FF 0x7fffffff"],
  ["us", "%x%s", "0xg"],
  ["us", "%o%s", "0x17"],
  ["us", "%d%s", "0x17"],
  ["uu", "%o %o", "777 -1"],
  ["k", "%p", "0x7fff1234"],
  ["u", "%x", "zz"],
  // lengths
  ["hUcC", "%hd %hu %hhd %hhu", "70000 -1 200 -1"],
  ["lk", "%ld %lu", "-9000000000 9000000000"],
  ["LK", "%lld %llu", "-9223372036854775808 18446744073709551615"],
  ["LK", "%lld %llu", "9223372036854775808 18446744073709551616"],
  ["LK", "%lld %llu", "-99999999999999999999 -1"],
  ["LKz", "%qd %jx %zu", "-3 ffffffffffffffff 123"],
  ["K", "%llx", "0xDEADBEEFCAFEBABE"],
  // %s %c %[
  ["ss", "%s %s", "hello world"],
  ["s", "%s", "   \\t\\nword\\tnext"],
  ["ss", "%3s%s", "abcdef"],
  ["s", "%s", ""],
  ["s", "%s", "  "],
  ["s", "%c", "xyz"],
  ["s", "%3c", "xyz"],
  ["s", "%5c", "ab"],
  ["ss", "%c%c", " a"],
  ["ss", " %c%s", "   a rest"],
  ["s", "%c", ""],
  ["ss", "%[a-z]%s", "abcDEF"],
  ["ss", "%[^,],%s", "key one,value"],
  ["s", "%[]abc]", "]a]bz"],
  ["s", "%[^]]", "abc]"],
  ["s", "%[a-]", "a-a-b"],
  ["s", "%[-a]", "-a-b"],
  ["s", "%[^-a]", "bc-"],
  ["s", "%[]-a]", "^_`-b"],
  ["s", "%[a-c-e]", "abcde-"],
  ["s", "%[", "abc"],
  ["s", "%[]", "]]"],
  ["s", "%[z-a]", "-az"],
  ["s", "%[0-9", "123"],
  ["ss", "%[a-z]%[0-9]", "123"],
  ["s", "%[a-z]", ""],
  ["ss", "%3[a-z]%s", "abcdef"],
  ["s", "%[^\\n]", "line one\\nline two"],
  ["s", "%[\\x80-\\xff]", "\\xc3\\xa9x"],
  ["m", "%ms", "allocated rest"],
  ["m", "%m[^=]", "name=value"],
  // %n, %%, suppression, positional arguments
  ["iii", "%d%n %d", "12   34"],
  ["ii", "%n%d", "  5"],
  ["i", "%n", ""],
  ["i", "%n", "abc"],
  ["ii", "%*d %d", "1 2"],
  ["i", "%*s %d", "skip 9"],
  ["s", "%*[a-z]%s", "abc123"],
  ["i", "%*d", "1"],
  ["i", "%*d", ""],
  ["i", "100%% %d", "100% 3"],
  ["i", "100%%%d", "100 % 3"],
  ["i", "%%", "x"],
  ["i", "%%", ""],
  ["i", "%%", "  %"],
  ["ii", "%2$d %1$d", "1 2"],
  // literals, white space, input failure versus matching failure
  ["", "abc", "abc"],
  ["", "abc", "abd"],
  ["", "abc", ""],
  ["", "", ""],
  ["", " ", ""],
  ["i", "x%d", "x"],
  ["i", "x %d", "x   "],
  ["i", "%d x", "5"],
  ["i", "%d x", "5   "],
  ["ii", "%dx%d", "3x"],
  ["i", "%y", "3"],
  ["i", "%d%", "3"],
  ["i", "%5", "3"],
  ["i", "%", ""],
  ["ss", "GET %s HTTP/%s", "GET /index.html HTTP/1.1"],
  ["ssi", "%15[^:]:%15s %d", "host.example:8080 7"],
  ["iiii", "%d.%d.%d.%d", "192.168.1.254"],
  // floats
  ["fd", "%f %lf", "1.5 -0.1"],
  ["ddd", "%lf %le %lg", "1e10 2.5E-3 .5"],
  ["dd", "%lf%lf", "1e 5"],
  ["ds", "%lf%s", "1e+x"],
  ["ds", "%lf%s", "1.2.3"],
  ["d", "%lf", "."],
  ["d", "%lf", "-"],
  ["dd", "%lf %lf", "inf -Infinity"],
  ["ds", "%lf%s", "infinite"],
  ["ds", "%lf%s", "nan(123)"],
  ["ds", "%lf%s", "nanx"],
  ["d", "%lf", "in"],
  ["ddd", "%la %la %la", "0x1.8p1 0x10 -0x.8"],
  ["ds", "%lf%s", "0x"],
  ["ds", "%lf%s", "0xg"],
  ["ds", "%4lf%s", "3.14159"],
  ["d", "%lf", "1e400"],
  ["f", "%f", "0.1"],
  ["f", "%f", "16777217"],
  ["d", "%lf", "  +2.000000000000000000001"],
  ["dd", "%lf %lf", "1e-400 4e-320"],
  ["ff", "%f %f", "1e39 1e-50"],
  ["d", "%lf", "0x1p-1074"],
  ["dd", "%3lf%lf", "-1.5e3"],
  ["ds", "%2lf%s", "-x"],
  ["ds", "%lf%s", "0x1.fp"],
  ["ds", "%lf%s", "1.5e-"],
  ["d", "%lf", "123456789012345678901234567890"],
  ["d", "%lf", "0.000000000000000000000000000001"],
  // more integers
  ["uus", "%x %i%s", "0X1F 0X"],
  ["is", "%d%s", "- 5"],
  ["us", "%x%s", "-0x"],
  ["iCihL", "%d%hhn %d%hn %lln", "1 2"],
  ["iii", "%3$d", "1"],
  ["s", "%*c%c", "ab"],
];

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-f]{2}|.)/gi, (_, e: string) => {
    const map: Record<string, string> = { t: "\t", n: "\n", v: "\v", f: "\f", r: "\r" };
    return e[0] === "x" ? String.fromCharCode(parseInt(e.slice(1), 16)) : (map[e] ?? e);
  });
}

function fmt(format: string, v: unknown): string {
  const b = new Uint8Array(256);
  const n = snprintf(b, b.length, format, v);
  return Buffer.from(b.subarray(0, n)).toString("latin1");
}

function slot(kind: string): unknown {
  if (kind === "s") return new Uint8Array(16).fill(0x2e);
  if (kind === "m") return { value: null };
  return { value: kind === "L" || kind === "K" ? 77n : 77 };
}

function show(kind: string, v: any): string {
  const formats: Record<string, string> = {
    i: "%d",
    h: "%d",
    c: "%d",
    u: "%u",
    U: "%u",
    C: "%u",
    l: "%ld",
    k: "%lu",
    L: "%lld",
    K: "%llu",
    z: "%zu",
    f: "%a",
    d: "%a",
  };
  if (kind === "s") {
    let out = "";
    for (const b of v as Uint8Array)
      out += b > 32 && b < 127 && b !== 0x5c ? String.fromCharCode(b) : fmt("\\x%02x", b);
    return ` [${out}]`;
  }
  if (kind === "m") {
    const b: Buffer | null = v.value;
    return ` <${b ? b.subarray(0, b.indexOf(0)).toString("latin1") : "(null)"}>`;
  }
  return " " + fmt(formats[kind], v.value);
}

/** One line of libc_scanf.c's output for a case. */
function run([kinds, format, input]: [string, string, string]): string {
  const slots = [...kinds].map(slot);
  const bytes = (s: string) => Buffer.from(unescape(s), "latin1");
  set_errno(0);
  let r: number;
  try {
    r = sscanf(bytes(input), bytes(format), ...slots);
  } catch (e) {
    return String(e);
  }
  return `ret=${r} errno=${errno}` + [...kinds].map((k, i) => show(k, slots[i])).join("");
}

describe("libc sscanf", () => {
  it("scans every case of the table as glibc does (libc_scanf.c): return value, errno, out-parameters", () => {
    const bin = buildC("libc_scanf");
    const c = runC(bin, [], cases.map((c) => c.join("\t") + "\n").join("")).split("\n");
    const ours = cases.map(run);
    const label = (i: number, line: string) => `${cases[i].join(" | ")} => ${line}`;
    const differing = cases.flatMap((_, i) =>
      ours[i] === c[i] ? [] : [label(i, ours[i]), label(i, c[i])],
    );
    expect(differing, "ours, then glibc's").to.deep.equal([]);
  });

  it("vsscanf takes the out-parameters as an array; a JS string is its UTF-8", () => {
    const n = { value: 0 };
    const word = new Uint8Array(8);
    expect(vsscanf("é 12", "%s %d", [word, n])).to.equal(2);
    expect([...word.subarray(0, 3)]).to.deep.equal([0xc3, 0xa9, 0]);
    expect(n.value).to.equal(12);
  });

  it("throws on out-parameters C could not have passed, naming the argument", () => {
    expect(() => sscanf("1", "%d")).to.throw(TypeError, /sscanf: argument '3' is missing/);
    expect(() => sscanf("1", "%d", null)).to.throw(TypeError, /sscanf: argument '3'.*box/);
    expect(() => sscanf("a", "%s", { value: 0 })).to.throw(TypeError, /argument '3'.*Uint8Array/);
    expect(() => sscanf("1 abcdef", "%d %s", { value: 0 }, new Uint8Array(4))).to.throw(
      RangeError,
      /sscanf: argument '4' holds 4 bytes/,
    );
    expect(() => sscanf(null as any, "%d", { value: 0 })).to.throw(TypeError, /argument 'str'/);
    expect(() => vsscanf("1", "%d", 5 as any)).to.throw(TypeError, /vsscanf: argument 'ap'/);
  });
});
