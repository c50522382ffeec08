// Differential tests: the same cases through libevent 2.1.12 (test/c/util_diff.c)
// and through the port, line by line. Strings travel hex-encoded.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import * as u from "../src/event2/util.js";
import { errno, set_errno } from "../src/libc/errno.js";

const hex = (b: Uint8Array | string) =>
  Buffer.from(b as any, typeof b === "string" ? "latin1" : undefined).toString("hex");
const arg = (s: string | null) => (s === null ? "-" : hex(s));

/** A small seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomStrings(seed: number, alphabet: string, n: number, maxLen: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () =>
    Array.from(
      { length: Math.floor(r() * maxLen) },
      () => alphabet[Math.floor(r() * alphabet.length)],
    ).join(""),
  );
}

function sockaddrText(sa: Record<string, any>): string {
  if (sa.sa_family === u.AF_INET)
    return `fam=2 port=${u.ntohs(sa.sin_port)} addr=${hex(Buffer.from(new Uint32Array([sa.sin_addr.s_addr]).buffer))}`;
  if (sa.sa_family === u.AF_INET6)
    return `fam=10 port=${u.ntohs(sa.sin6_port)} addr=${hex(sa.sin6_addr.s6_addr)} flow=${sa.sin6_flowinfo} scope=${sa.sin6_scope_id}`;
  return `fam=${sa.sa_family}`;
}

function sockaddrOf(fam: number, addrHex: string, port: number): Record<string, any> {
  const b = Buffer.from(addrHex, "hex");
  if (fam === u.AF_INET)
    return { sin_family: fam, sin_port: u.htons(port), sin_addr: { s_addr: b.readUInt32LE(0) } };
  return {
    sin6_family: fam,
    sin6_port: u.htons(port),
    sin6_addr: { s6_addr: new Uint8Array(b) },
    sin6_flowinfo: 0,
    sin6_scope_id: 0,
  };
}

const unhex = (h: string) => (h === "-" ? null : Buffer.from(h, "hex").toString("latin1"));

/** The port's answer to one case line, formatted as util_diff.c formats libevent's. */
function run(line: string): string {
  const f = line.split("\t");
  switch (f[0]) {
    case "parse": {
      const ss = {};
      const len = { value: Number(f[2]) };
      const r = u.evutil_parse_sockaddr_port(unhex(f[1]) as string, ss, len);
      return `r=${r} len=${len.value}` + (r === 0 ? ` ${sockaddrText(ss)}` : "");
    }
    case "pton": {
      const af = Number(f[1]);
      const buf = new Uint8Array(16).fill(0xaa);
      const idx = { value: 77 };
      const src = unhex(f[2]) as string;
      const r =
        f.length > 3
          ? u.evutil_inet_pton_scope(af, src, buf, idx)
          : u.evutil_inet_pton(af, src, buf);
      return (
        `r=${r} buf=${hex(buf.subarray(0, af === u.AF_INET ? 4 : 16))}` +
        (f.length > 3 ? ` idx=${idx.value}` : "")
      );
    }
    case "ntop": {
      const dst = new Uint8Array(128).fill(0xaa);
      const len = Number(f[3]);
      const r = u.evutil_inet_ntop(Number(f[1]), Buffer.from(f[2], "hex"), dst, len);
      return `r=${r === null ? "null" : r === dst ? "dst" : "other"} dst=${hex(dst.subarray(0, len))}`;
    }
    case "strtoll": {
      const s = unhex(f[2]) as string;
      const end = { value: -1 };
      set_errno(0);
      const v = u.evutil_strtoll(Buffer.from(s, "latin1"), end, Number(f[1]));
      return `v=${v} end=${end.value} errno=${errno}`;
    }
    case "cmp": {
      const a = sockaddrOf(Number(f[1]), f[2], Number(f[3]));
      const b = sockaddrOf(Number(f[4]), f[5], Number(f[6]));
      return `r=${u.evutil_sockaddr_cmp(a, b, Number(f[7]))}`;
    }
    case "timer": {
      const a = { tv_sec: Number(f[1]), tv_usec: Number(f[2]) };
      const b = { tv_sec: Number(f[3]), tv_usec: Number(f[4]) };
      const s = { tv_sec: 0, tv_usec: 0 };
      const d = { tv_sec: 0, tv_usec: 0 };
      u.evutil_timeradd(a, b, s);
      u.evutil_timersub(a, b, d);
      const c = (op: any) => u.evutil_timercmp(a, b, op);
      return `add=${s.tv_sec},${s.tv_usec} sub=${d.tv_sec},${d.tv_usec} lt=${c("<")} le=${c("<=")} gt=${c(">")} ge=${c(">=")} eq=${c("==")} ne=${c("!=")} set=${u.evutil_timerisset(a)}`;
    }
    case "gai": {
      const hints = {
        ai_family: Number(f[3]),
        ai_socktype: Number(f[4]),
        ai_protocol: Number(f[5]),
        ai_flags: Number(f[6]),
      };
      const res: { value: any } = { value: null };
      const node = unhex(f[1]);
      const serv = unhex(f[2]);
      const r = u.evutil_getaddrinfo(
        node && Buffer.from(node, "latin1"),
        serv && Buffer.from(serv, "latin1"),
        f[7] === "1" ? hints : null,
        res,
      );
      let out = `r=${r}`;
      for (let ai = r === 0 ? res.value : null; ai; ai = ai.ai_next)
        out += ` | flags=${ai.ai_flags} fam=${ai.ai_family} st=${ai.ai_socktype} pr=${ai.ai_protocol} len=${ai.ai_addrlen} canon=${ai.ai_canonname ?? "(null)"} ${sockaddrText(ai.ai_addr)}`;
      if (r === 0 && res.value) u.evutil_freeaddrinfo(res.value);
      return out;
    }
    case "gaistr":
      return u.evutil_gai_strerror(Number(f[1]));
    case "casecmp": {
      const a = Buffer.from(unhex(f[1]) as string, "latin1");
      const b = Buffer.from(unhex(f[2]) as string, "latin1");
      return `cmp=${u.evutil_ascii_strcasecmp(a, b)} ncmp=${u.evutil_ascii_strncasecmp(a, b, Number(f[3]))}`;
    }
    case "snprintf": {
      const buf = new Uint8Array(64).fill(0xaa);
      const size = Number(f[1]);
      const r = u.evutil_snprintf(
        buf,
        size,
        unhex(f[2]) as string,
        f[3] === "i" ? Number(f[4]) : f[4],
      );
      return `r=${r} buf=${hex(buf.subarray(0, size))}`;
    }
    case "date": {
      const [tm_year, tm_mon, tm_mday, tm_hour, tm_min, tm_sec, tm_wday, size] = f
        .slice(1)
        .map(Number);
      const buf = new Uint8Array(64).fill(0xaa);
      const r = u.evutil_date_rfc1123(buf, size, {
        tm_year,
        tm_mon,
        tm_mday,
        tm_hour,
        tm_min,
        tm_sec,
        tm_wday,
      });
      return `r=${r} buf=${hex(buf.subarray(0, size))}`;
    }
  }
  throw new Error(`no such case ${f[0]}`);
}

/** C prints exact 64-bit integers; the port's are the nearest doubles. */
const normalize = (line: string) => line.replace(/^v=(-?\d+)/, (_, v) => `v=${Number(v)}`);

function compare(bin: string, cases: string[]): void {
  const want = runC(bin, [], cases.join("\n") + "\n", 60000)
    .split("\n")
    .slice(0, -1)
    .map(normalize);
  expect(want.length).to.equal(cases.length);
  const mismatches = cases.flatMap((c, i) => {
    const got = run(c);
    return got === want[i] ? [] : [`${c}\n  libevent: ${want[i]}\n  port:     ${got}`];
  });
  expect(mismatches, mismatches.slice(0, 10).join("\n")).to.deep.equal([]);
}

// prettier-ignore
const addresses = [
  "1.2.3.4", "1.2.3.4:80", "1.2.3.4:0", "1.2.3.4:65535", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:", "1.2.3.4: 80",
  "1.2.3.4:+80", "1.2.3.4:80x", "1.2.3.4:4294967376", " 1.2.3.4", "1.2.3.4 ", "1. 2.3.4", "1 .2.3.4",
  "+1.2.3.4", "-1.2.3.4", "01.02.03.004", "256.1.1.1", "4294967296.1.1.1", "18446744073709551617.0.0.1",
  "1.2.3", "1.2.3.4.5", "127.1", "0x7f.0.0.1", "", ":", "::", "[::]", "[::]:", "[::]:80", "[::1]:80",
  "[::1]80", "[::1]:80junk", "[::1", "::1", "::1:80", "[1.2.3.4]:80", "::ffff:1.2.3.4", "[::ffff:1.2.3.4]:8080",
  "::1.2.3.4", "1::2.3.4.5", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8", "1::2::3", "1:::2", ":1",
  "1:", "1::", "0x12::1", "0x1234::1", "12345::1", "fffff::", "ffff::", "g::1", "::ffff:1.2.3", "::1.2.3.4 ",
  "::1. 2.3.4", "a1.2.3.4", "::a1.2.3.4", "[fe80::1%lo]:80", "[fe80::1%1]:80", "[fe80::1%]:80", "[fe80::1%nosuch]",
  "[fe80::1%-1]", "fe80::1%lo", "1.2.3.4%lo", ".1.2.3.4", "::.1.2.3", "[" + "1".repeat(130) + "]", "1".repeat(130) + ":80",
];

describe("util.h against libevent 2.1.12 (differential)", function () {
  this.timeout(60000);
  let bin: string;
  before(() => {
    bin = buildC("util_diff");
  });

  it("evutil_parse_sockaddr_port", () => {
    const random = randomStrings(1, "0123456789.:[]af% x", 400, 18);
    const cases = [...addresses, ...random].flatMap((s) => [
      `parse\t${hex(s)}\t128`,
      `parse\t${hex(s)}\t16`,
    ]);
    compare(bin, cases);
  });

  it("evutil_inet_pton and evutil_inet_pton_scope", () => {
    const random = randomStrings(2, "0123456789.:af%", 600, 16);
    const strs = [...addresses, ...random];
    const cases = strs.flatMap((s) => [
      `pton\t2\t${hex(s)}`,
      `pton\t10\t${hex(s)}`,
      `pton\t10\t${hex(s)}\tscope`,
      `pton\t2\t${hex(s)}\tscope`,
    ]);
    compare(bin, [...cases, `pton\t1\t${hex("1.2.3.4")}`, `pton\t99\t${hex("::1")}`]);
  });

  it("evutil_inet_ntop, with every destination size", () => {
    const r = rng(3);
    const v6: string[] = [
      "00000000000000000000000000000000",
      "00000000000000000000000000000001",
      "00000000000000000000ffff01020304",
      "00000000000000000000000001020304",
      "00000000000000000000000000000102",
      "20010db8000000000000000000000001",
      "20010db8000000010000000000000001",
      "00010000000000020000000000000003",
      "00000001000000000000000000000000",
      "ffffffffffffffffffffffffffffffff",
      "00000000000000000001000000000000",
      "00000000000000000000000100000002",
    ];
    for (let i = 0; i < 150; i++)
      v6.push(
        Array.from({ length: 8 }, () =>
          r() < 0.5
            ? "0000"
            : Math.floor(r() * 65536)
                .toString(16)
                .padStart(4, "0"),
        ).join(""),
      );
    const v4 = ["00000000", "7f000001", "ffffffff", "0a000001", "c0a80101"];
    const cases: string[] = [];
    for (const a of v4) for (let len = 0; len <= 17; len++) cases.push(`ntop\t2\t${a}\t${len}`);
    for (const a of v6)
      for (const len of [0, 1, 2, 3, 5, 8, 10, 16, 20, 24, 30, 39, 40, 46, 64])
        cases.push(`ntop\t10\t${a}\t${len}`);
    for (const a of v6.slice(0, 12))
      for (let len = 0; len <= 41; len++) cases.push(`ntop\t10\t${a}\t${len}`);
    cases.push(`ntop\t1\t7f000001\t16`);
    compare(bin, cases);
  });

  it("evutil_strtoll", () => {
    // prettier-ignore
    const picked = [
      "0", "42", "-42", "  +7x", "\t\n\v\f\r 9", "", "-", "+", "abc", "0x1f", "0X1F", "0x", "0xg", "017", "018",
      "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "-9223372036854775809", "99999999999999999999", "-0", "1e5", " 12 34", "zz", "Zz", "--1", "+-1",
    ];
    const random = randomStrings(4, "0123456789 -+xXabfzZ\t", 300, 12);
    const cases: string[] = [];
    for (const s of [...picked, ...random])
      for (const base of [0, 2, 8, 10, 16, 36, 1, 37, -1])
        cases.push(`strtoll\t${base}\t${hex(s)}`);
    compare(bin, cases);
  });

  it("evutil_sockaddr_cmp", () => {
    const r = rng(5);
    const v4 = ["00000000", "7f000001", "7f000002", "01000000", "ff000000", "000000ff", "c0a80101"];
    const v6 = [
      "00000000000000000000000000000001",
      "00000000000000000000000000000002",
      "ff000000000000000000000000000000",
      "00000000000000000000000000000100",
      "20010db8000000000000000000000001",
    ];
    const cases: string[] = [];
    for (let i = 0; i < 400; i++) {
      const f1 = r() < 0.5 ? 2 : 10;
      const f2 = r() < 0.8 ? f1 : f1 === 2 ? 10 : 2;
      const pick = (f: number) => (f === 2 ? v4 : v6)[Math.floor(r() * (f === 2 ? v4 : v6).length)];
      const port = () => [0, 1, 80, 255, 256, 8080, 65535][Math.floor(r() * 7)];
      cases.push(
        `cmp\t${f1}\t${pick(f1)}\t${port()}\t${f2}\t${pick(f2)}\t${port()}\t${r() < 0.5 ? 1 : 0}`,
      );
    }
    compare(bin, cases);
  });

  it("the timeval macros", () => {
    const r = rng(6);
    const vals = [0, 1, 999999, 1000000, 1999999, -1, -999999, 500000];
    const cases: string[] = [];
    for (let i = 0; i < 300; i++) {
      const p = () => vals[Math.floor(r() * vals.length)];
      const s = () => [0, 1, 2, -1, 100][Math.floor(r() * 5)];
      cases.push(`timer\t${s()}\t${p()}\t${s()}\t${p()}`);
    }
    compare(bin, cases);
  });

  it("evutil_getaddrinfo on numeric hosts, services and hints", () => {
    // prettier-ignore
    const nodes = [null, "1.2.3.4", "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "1.2.65535",
      "4294967295", "::1", "::", "::ffff:1.2.3.4", "::1.2.3.4", "fe80::1%lo", "fe80::1%1", "fe80::1%nosuch",
      "::1%5", "ff02::1%lo", "*", "0", "1.2.3.04"];
    // Not numeric: glibc would ask the resolver, so only with AI_NUMERICHOST.
    // prettier-ignore
    const names = ["1.256.1", "08.0.0.1", "0x.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4.", "256.1.1.1", "4294967296", "::1%lo",
      "1::2::3", "[::1]", "", "1.2.3.4%lo", "localhost"];
    // prettier-ignore
    const servs = [null, "80", "0", "65535", "65536", "4294967376", " 80", "+80", "-1", "", "80x", "http", "www",
      "echo", "domain", "nosuchserv", "*", "0x50"];
    // [family, socktype, protocol, flags]
    // prettier-ignore
    const hintSets = [[0, 0, 0, 0], [2, 0, 0, 0], [10, 0, 0, 0], [0, 1, 0, 0], [0, 2, 0, 0], [0, 3, 0, 0], [0, 0, 6, 0],
      [0, 0, 17, 0], [0, 1, 17, 0], [0, 0, 99, 0], [0, 7, 0, 0], [5, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 2], [0, 0, 0, 4],
      [10, 0, 0, 8], [10, 0, 0, 24], [2, 0, 0, 32], [0, 0, 0, 32], [0, 0, 0, 1024], [0, 0, 0, 65536],
      [0, 0, 0, 0x80000000 | 0], [2, 1, 6, 2]];
    const cases: string[] = [];
    for (const n of nodes)
      for (const s of servs)
        for (const [fam, st, pr, fl] of hintSets)
          cases.push(`gai\t${arg(n)}\t${arg(s)}\t${fam}\t${st}\t${pr}\t${fl}\t1`);
    for (const n of nodes) cases.push(`gai\t${arg(n)}\t${arg("80")}\t0\t0\t0\t0\t0`);
    for (const n of names)
      for (const [fam, st, pr, fl] of hintSets)
        cases.push(`gai\t${arg(n)}\t${arg("80")}\t${fam}\t${st}\t${pr}\t${fl | 4}\t1`);
    compare(bin, cases);
  });

  it("evutil_getaddrinfo on localhost and unknown names (the system resolver)", () => {
    const cases = [
      `gai\t${arg("localhost")}\t${arg("80")}\t0\t0\t0\t0\t1`,
      `gai\t${arg("localhost")}\t-\t2\t1\t0\t0\t1`,
      `gai\t${arg("localhost")}\t${arg("http")}\t0\t1\t6\t2\t1`,
      `gai\t${arg("LOCALHOST")}\t${arg("8080")}\t2\t0\t0\t0\t1`,
      `gai\t${arg("nonesuch.invalid")}\t${arg("80")}\t0\t0\t0\t0\t1`,
      `gai\t${arg("")}\t${arg("80")}\t0\t0\t0\t0\t1`,
      `gai\t${arg("1.2.3.4 ")}\t${arg("80")}\t0\t0\t0\t0\t1`,
    ];
    compare(bin, cases);
  });

  it("evutil_gai_strerror", () => {
    const codes = [
      0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -100, -101, -102, -103, -104, -105,
      -106, -901, -907, -90001, 1, 42, -999,
    ];
    compare(
      bin,
      codes.map((c) => `gaistr\t${c}`),
    );
  });

  it("evutil_ascii_strcasecmp and _strncasecmp", () => {
    const words = [
      "",
      "a",
      "A",
      "abc",
      "ABC",
      "abd",
      "ab",
      "Zebra",
      "zebra!",
      "\xe9",
      "\xc9",
      "a\xe9",
      "[",
      "_",
      "`",
      "{",
    ];
    const cases: string[] = [];
    for (const a of words)
      for (const b of words)
        for (const n of [0, 1, 2, 10]) cases.push(`casecmp\t${hex(a)}\t${hex(b)}\t${n}`);
    compare(bin, cases);
  });

  it("evutil_snprintf and evutil_date_rfc1123 truncation and return values", () => {
    const cases: string[] = [];
    for (const size of [0, 1, 2, 5, 6, 7, 20]) {
      cases.push(`snprintf\t${size}\t${hex("x=%d!")}\ti\t12345`);
      cases.push(`snprintf\t${size}\t${hex("[%s]")}\ts\thello`);
      cases.push(`snprintf\t${size}\t${hex("%5.2s|")}\ts\tabc`);
    }
    for (const size of [0, 1, 8, 29, 30, 64])
      for (const tm of [
        "94 10 6 8 49 37 0",
        "0 0 1 0 0 0 4",
        "199 11 31 23 59 60 6",
        "-1900 5 9 1 2 3 3",
      ])
        cases.push(`date\t${tm.replace(/ /g, "\t")}\t${size}`);
    compare(bin, cases);
  });
});
