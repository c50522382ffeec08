// Address text conversions and byte order, against glibc (test/c/fd_inet.c).
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import {
  AF_INET,
  AF_INET6,
  EAFNOSUPPORT,
  errno,
  htonl,
  htons,
  inet_addr,
  inet_ntoa,
  inet_ntop,
  inet_pton,
  ntohl,
  ntohs,
} from "../src/libc/index.js";

const v4 = [
  "1.2.3.4",
  "0.0.0.0",
  "255.255.255.255",
  "256.1.1.1",
  "1.2.3",
  "1.2.3.4.5",
  "01.2.3.4",
  "1.02.3.4",
  "0.0.0.00",
  " 1.2.3.4",
  "1.2.3.4 ",
  "1.2.3.-4",
  "1..3.4",
  "0x1.2.3.4",
  "",
  "a.b.c.d",
  "127.0.0.1",
];
const v6 = [
  "::",
  "::1",
  "1::",
  "::ffff:1.2.3.4",
  "::FFFF:1.2.3.4",
  "::1.2.3.4",
  "::0.0.0.1",
  "::0:1.2.3.4",
  "0:0:0:0:0:1:1.2.3.4",
  "1:0:0:1:0:0:0:1",
  "1:0:0:0:1:0:0:1",
  "2001:db8::ff00:42:8329",
  "2001:0db8:0000:0000:0000:ff00:0042:8329",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7",
  "1::2::3",
  ":1::",
  "1:",
  ":",
  ":::",
  "12345::",
  "ABCD:EF01::",
  "1.2.3.4::",
  "::1.2.3.4:5",
  "::256.1.1.1",
  "fe80::1%eth0",
  "1:2:3:4:5:6:1.2.3.4",
  "1:2:3:4:5:6:7:1.2.3.4",
  "",
];
const aton = [
  "127.0.0.1",
  "127.1",
  "127.0.1",
  "0x7f.1",
  "0x7f000001",
  "017700000001",
  "2130706433",
  "4294967295",
  "4294967296",
  "1.16777215",
  "1.16777216",
  "1.2.65535",
  "1.2.65536",
  "1.2.3.256",
  "256.1",
  "08",
  "0x",
  "0x.1",
  "00",
  "0",
  "",
  " 1.2.3.4",
  "1.2.3.4 junk",
  "1.2.3.4\tx",
  "1.2.3.4junk",
  "1..2",
  ".1",
  "1.",
  "1.2.3.4.5",
  "a.b.c.d",
];

/** What fd_inet.c prints for one input line, from the TypeScript calls. */
function port(line: string): string {
  const text = line.slice(2);
  if (line[0] === "a") {
    const a = inet_addr(text);
    return `inet_addr("${text}") = ${a.toString(16).padStart(8, "0")} ${inet_ntoa({ s_addr: a })}\n`;
  }
  const af = line[0] === "4" ? AF_INET : AF_INET6;
  const addr = new Uint8Array(16);
  const out = new Uint8Array(46);
  const r = inet_pton(af, text, addr);
  let s = `inet_pton(${af}, "${text}") = ${r}`;
  if (r === 1)
    s += ` ${
      Buffer.from(inet_ntop(af, addr, out, out.length)!)
        .toString()
        .split("\0")[0]
    }`;
  return s + "\n";
}

describe("socket: address text (glibc)", () => {
  const lines = [
    ...v4.map((t) => `4 ${t}`),
    ...v6.map((t) => `6 ${t}`),
    ...aton.map((t) => `a ${t}`),
  ];

  it("inet_pton, inet_ntop, inet_addr and inet_ntoa answer as glibc for every input", () => {
    const expected = runC(buildC("fd_inet"), [], lines.join("\n") + "\n").split("\n");
    const got = lines.map(port).join("").split("\n");
    expect(got).to.deep.equal(expected);
  });

  it("inet_pton fills a struct in_addr / in6_addr object in place", () => {
    const in4 = { s_addr: 0 };
    expect(inet_pton(AF_INET, "127.0.0.1", in4)).to.equal(1);
    expect(in4.s_addr).to.equal(htonl(0x7f000001));
    const in6 = { s6_addr: new Uint8Array(16) };
    const keep = in6.s6_addr;
    expect(inet_pton(AF_INET6, "::1", in6)).to.equal(1);
    expect(in6.s6_addr).to.equal(keep);
    expect([...in6.s6_addr]).to.deep.equal([...new Array(15).fill(0), 1]);
  });

  it("inet_ntop reads a struct, returns dst NUL-terminated, and refuses a short dst with null", () => {
    const dst = new Uint8Array(16).fill(0xaa);
    expect(inet_ntop(AF_INET, { s_addr: htonl(0x0a000001) }, dst, 16)).to.equal(dst);
    expect(Buffer.from(dst.subarray(0, 9)).toString("latin1")).to.equal("10.0.0.1\0");
    expect(inet_ntop(AF_INET, { s_addr: htonl(0x0a000001) }, dst, 8)).to.equal(null);
    expect(errno).to.equal(28); // ENOSPC
  });

  it("an unknown family is -1/EAFNOSUPPORT (inet_pton) and null (inet_ntop)", () => {
    expect(inet_pton(99, "1.2.3.4", new Uint8Array(16))).to.equal(-1);
    expect(errno).to.equal(EAFNOSUPPORT);
    expect(inet_ntop(99, new Uint8Array(16), new Uint8Array(64), 64)).to.equal(null);
    expect(errno).to.equal(EAFNOSUPPORT);
  });

  it("misuse throws, naming the call and the argument", () => {
    expect(() => inet_pton(AF_INET, "1.2.3.4", null as never)).to.throw(
      TypeError,
      /inet_pton.*'dst'/,
    );
    expect(() => inet_pton(AF_INET6, "::1", new Uint8Array(4))).to.throw(RangeError, /inet_pton/);
    expect(() => inet_ntop(AF_INET, {}, new Uint8Array(16), 16)).to.throw(
      TypeError,
      /inet_ntop.*'src'/,
    );
    expect(() => inet_ntop(AF_INET, { s_addr: 1 }, new Uint8Array(4), 16)).to.throw(
      RangeError,
      /inet_ntop.*'size'/,
    );
    expect(() => inet_ntoa({} as never)).to.throw(TypeError, /inet_ntoa/);
  });

  it("htons/htonl swap to network order on this little-endian host and back", () => {
    expect(htons(0x1234)).to.equal(0x3412);
    expect(htons(0x12345)).to.equal(0x4523); // truncated to 16 bits, as a uint16_t
    expect(htonl(0x7f000001)).to.equal(0x0100007f);
    expect(htonl(0xffffffff)).to.equal(0xffffffff);
    expect(htonl(-1)).to.equal(0xffffffff);
    for (const x of [0, 1, 80, 8080, 40713, 65535]) expect(ntohs(htons(x))).to.equal(x);
    for (const x of [0, 1, 0x7f000001, 0x80000000, 0xdeadbeef]) expect(ntohl(htonl(x))).to.equal(x);
  });
});
