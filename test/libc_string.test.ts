import { expect } from "chai";
import * as s from "../src/libc/string.js";

const bytes = (t: string) => Buffer.from(t, "latin1");

describe("libc string calls", () => {
  it("strlen counts UTF-8 bytes up to the first NUL, or to a Uint8Array's end", () => {
    expect(s.strlen("hello")).to.equal(5);
    expect(s.strlen("é")).to.equal(2);
    expect(s.strlen("ab\u0000cd")).to.equal(2);
    expect(s.strlen(bytes("abc\0def"))).to.equal(3);
    expect(s.strlen(bytes("abc"))).to.equal(3);
    expect(s.strlen(new Uint8Array(8))).to.equal(0);
  });

  it("compares as unsigned bytes, returning the difference of the first differing bytes", () => {
    expect(s.strcmp("abc", "abc")).to.equal(0);
    expect(s.strcmp("abc", "abd")).to.equal(-1);
    expect(s.strcmp("abc", "ab")).to.equal(99);
    expect(s.strcmp("a", "é")).to.be.lessThan(0); // 0x61 < 0xc3 as unsigned char
    expect(s.strcmp(bytes("\xff"), "a")).to.be.greaterThan(0);
    expect(s.strcmp("ab\u0000x", bytes("ab\0y"))).to.equal(0);
    // UTF-8 byte order, not UTF-16 order: U+FF5E sorts before U+1F600.
    expect(s.strcmp("\uff5e", "\u{1f600}")).to.be.lessThan(0);
    expect(s.strncmp("abcdef", "abcxyz", 3)).to.equal(0);
    expect(s.strncmp("abcdef", "abcxyz", 4)).to.be.lessThan(0);
    expect(s.strncmp("ab", "abc", 0)).to.equal(0);
    expect(s.strncmp("ab", "ab", 100)).to.equal(0);
  });

  it("strcasecmp and strncasecmp fold ASCII only, as in the C locale", () => {
    expect(s.strcasecmp("Content-Length", "content-length")).to.equal(0);
    expect(s.strcasecmp("abc", "ABD")).to.be.lessThan(0);
    expect(s.strcasecmp("[", "a")).to.be.lessThan(0); // '[' 0x5b < 'a' 0x61 after folding A-Z
    expect(s.strcasecmp("É", "é")).to.not.equal(0);
    expect(s.strncasecmp("HOSTNAME", "host", 4)).to.equal(0);
    expect(s.strncasecmp("HOSTNAME", "host", 5)).to.be.greaterThan(0);
  });

  it("strchr and strrchr return the suffix, null, or the empty end for NUL", () => {
    expect(s.strchr("key: value", 58)).to.equal(": value");
    expect(s.strchr("key", 58)).to.equal(null);
    expect(s.strchr("key", 0)).to.equal("");
    expect(s.strrchr("/usr/local/bin", 47)).to.equal("/bin");
    expect(s.strrchr("a", 47)).to.equal(null);
    expect(s.strchr("a:b", 58 + 256)).to.equal(":b"); // c converts to unsigned char
    expect(s.strchr("x\u0000:y", 58)).to.equal(null); // the string ends at the NUL
    expect(s.strchr("aéb", 0xc3)).to.equal("éb");
  });

  it("on Uint8Arrays, strchr/strrchr/strstr return views of the same memory", () => {
    const buf = bytes("GET /index.html HTTP/1.1\0junk:");
    const p = s.strchr(buf, 32) as Uint8Array;
    expect(p).to.be.instanceOf(Uint8Array);
    expect(p.buffer).to.equal(buf.buffer);
    expect(p.byteOffset - buf.byteOffset).to.equal(3);
    expect(s.strrchr(buf, 32)!.byteOffset - buf.byteOffset).to.equal(15);
    expect(s.strchr(buf, 58)).to.equal(null); // ':' lies beyond the NUL
    expect(s.strchr(buf, 0)!.byteOffset - buf.byteOffset).to.equal(24);
    const h = s.strstr(buf, "HTTP/") as Uint8Array;
    expect(h.byteOffset - buf.byteOffset).to.equal(16);
    expect(s.strstr(buf, "")).to.equal(buf);
  });

  it("strstr finds the first occurrence or returns null", () => {
    expect(s.strstr("a\r\n\r\nbody", "\r\n\r\n")).to.equal("\r\n\r\nbody");
    expect(s.strstr("abc", "")).to.equal("abc");
    expect(s.strstr("abc", "abcd")).to.equal(null);
    expect(s.strstr("ünïcödé", "cö")).to.equal("cödé");
    expect(s.strstr("abc", bytes("bc"))).to.equal("bc");
  });

  it("strncpy copies at most n bytes, pads with NULs, does not terminate when src is long", () => {
    const d = new Uint8Array(8).fill(0x2a);
    expect(s.strncpy(d, "ab", 5)).to.equal(d);
    expect([...d]).to.deep.equal([0x61, 0x62, 0, 0, 0, 0x2a, 0x2a, 0x2a]);
    const e = new Uint8Array(4);
    s.strncpy(e, "abcdef", 4);
    expect(Buffer.from(e).toString()).to.equal("abcd");
    s.strncpy(e, bytes("xy\0z"), 4);
    expect([...e]).to.deep.equal([0x78, 0x79, 0, 0]);
  });

  it("strdup returns a fresh NUL-terminated Buffer", () => {
    const src = bytes("hi\0there");
    const d = s.strdup(src);
    expect(Buffer.isBuffer(d)).to.equal(true);
    expect([...d]).to.deep.equal([0x68, 0x69, 0]);
    expect(d.buffer).to.not.equal(src.buffer);
    expect(s.strcmp(s.strdup("héllo"), "héllo")).to.equal(0);
    expect(s.strlen(s.strdup("héllo"))).to.equal(6);
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => s.strlen(null as any)).to.throw(TypeError, /strlen: argument 's' is NULL/);
    expect(() => s.strcmp("a", 5 as any)).to.throw(TypeError, /strcmp: argument 's2'/);
    expect(() => s.strncmp("a", "b", -1)).to.throw(RangeError, /strncmp: argument 'n'/);
    expect(() => s.strncasecmp("a", "b", 1.5)).to.throw(RangeError, /strncasecmp: argument 'n'/);
    expect(() => s.strcasecmp(undefined as any, "b")).to.throw(
      TypeError,
      /strcasecmp: argument 's1'/,
    );
    expect(() => s.strchr("a", "a" as any)).to.throw(TypeError, /strchr: argument 'c'/);
    expect(() => s.strrchr({} as any, 1)).to.throw(TypeError, /strrchr: argument 's'/);
    expect(() => s.strstr("a", null as any)).to.throw(TypeError, /strstr: argument 'needle'/);
    expect(() => s.strncpy("abc" as any, "x", 1)).to.throw(TypeError, /strncpy: argument 'dest'/);
    expect(() => s.strncpy(new Uint8Array(2), "x", 3)).to.throw(
      RangeError,
      /strncpy: argument 'n' is 3/,
    );
    expect(() => s.strdup(null as any)).to.throw(TypeError, /strdup: argument 's'/);
    // A string cannot be cut inside a character: the caller is told to pass bytes.
    expect(() => s.strchr("é", 0xa9)).to.throw(RangeError, /strchr: argument 'c'.*Uint8Array/);
  });
});
