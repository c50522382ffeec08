import { expect } from "chai";
import * as m from "../src/libc/memory.js";
import { evutil_parse_sockaddr_port } from "../src/event2/util.js";
import { AF_INET, AF_INET6, htonl, htons } from "../src/libc/index.js";
import * as errnoMod from "../src/libc/errno.js";

describe("libc memory calls", () => {
  it("malloc and calloc return zeroed Uint8Arrays of the size asked", () => {
    const p = m.malloc(16)!;
    expect(p).to.be.instanceOf(Uint8Array);
    expect([...p]).to.deep.equal(new Array(16).fill(0));
    expect(m.calloc(4, 8)!.length).to.equal(32);
    expect(m.malloc(0)!.length).to.equal(0);
    expect(m.calloc(0, 99)!.length).to.equal(0);
  });

  it("returns NULL with ENOMEM for sizes C accepts but cannot satisfy", () => {
    errnoMod.set_errno(0);
    expect(m.malloc(2 ** 64)).to.equal(null);
    expect(errnoMod.errno).to.equal(errnoMod.ENOMEM);
    errnoMod.set_errno(0);
    expect(m.calloc(2 ** 40, 2 ** 40)).to.equal(null); // the product overflows size_t
    expect(errnoMod.errno).to.equal(errnoMod.ENOMEM);
    expect(m.malloc(2 ** 60)).to.equal(null);
  });

  it("realloc keeps the old bytes, grows zeroed, shrinks, and follows glibc at the edges", () => {
    const p = Uint8Array.of(1, 2, 3);
    const q = m.realloc(p, 5)!;
    expect([...q]).to.deep.equal([1, 2, 3, 0, 0]);
    expect([...m.realloc(q, 2)!]).to.deep.equal([1, 2]);
    expect(m.realloc(null, 4)!.length).to.equal(4);
    expect(m.realloc(p, 0)).to.equal(null); // glibc frees and returns NULL
    expect(m.realloc(p, 2 ** 62)).to.equal(null);
    expect([...p]).to.deep.equal([1, 2, 3]); // still valid after a failed realloc
  });

  it("free accepts NULL and any pointer", () => {
    expect(m.free(null)).to.equal(undefined);
    expect(m.free(m.malloc(4))).to.equal(undefined);
    expect(m.free({})).to.equal(undefined);
  });

  it("memcpy and memmove copy n bytes and return dest; overlapping moves are exact", () => {
    const d = new Uint8Array(6);
    expect(m.memcpy(d, Uint8Array.of(9, 8, 7), 2)).to.equal(d);
    expect([...d]).to.deep.equal([9, 8, 0, 0, 0, 0]);
    m.memcpy(d, "hi", 3); // a string is a C literal: its bytes and the NUL
    expect([...d.subarray(0, 3)]).to.deep.equal([0x68, 0x69, 0]);
    const b = Uint8Array.of(1, 2, 3, 4, 5, 6);
    m.memmove(b.subarray(2), b, 4);
    expect([...b]).to.deep.equal([1, 2, 1, 2, 3, 4]);
    m.memmove(b, b.subarray(1), 5);
    expect([...b]).to.deep.equal([2, 1, 2, 3, 4, 4]);
    m.memcpy(b, b, 0);
  });

  it("memcpy between two struct objects is C's struct assignment, nested structs by value", () => {
    const from = { sin_family: 2, sin_port: 0x5000, sin_addr: { s_addr: 0x0100007f } };
    const to: any = { stale: 1 };
    expect(m.memcpy(to, from, 16)).to.equal(to);
    expect(to).to.deep.equal(from);
    expect(to.stale).to.equal(undefined);
    to.sin_addr.s_addr = 0; // a copy, not the same inner struct
    expect(from.sin_addr.s_addr).to.equal(0x0100007f);
    const ten = { tv_sec: 1, tv_usec: 2 };
    m.memmove(ten, { tv_sec: 10, tv_usec: 0 }, 16);
    expect(ten).to.deep.equal({ tv_sec: 10, tv_usec: 0 });
    const six = { s6_addr: new Uint8Array(16).fill(1) };
    const copy: any = {};
    m.memcpy(copy, six, 16);
    copy.s6_addr[0] = 9;
    expect(six.s6_addr[0]).to.equal(1);
    expect(() => m.memcpy({ a: 1 } as any, new Uint8Array(4), 4)).to.throw(
      TypeError,
      /memcpy: argument 'src' must be a struct object/,
    );
    expect(() => m.memcpy(new Uint8Array(4), { a: 1 }, 4)).to.throw(
      TypeError,
      /memcpy: argument 'dest' must be a struct object/,
    );
  });

  it("memcpy to and from an integer box copies the integer's little-endian bytes", () => {
    // unsigned char *mem = ...; memcpy(&port, mem + 2, 2); port = ntohs(port);
    const mem = Uint8Array.of(4, 1, 0x1f, 0x90, 0x7f, 0, 0, 1);
    const port = { value: 0 };
    const addr = { value: 0 };
    m.memcpy(port, mem.subarray(2), 2);
    m.memcpy(addr, mem.subarray(4), 4);
    expect(port.value).to.equal(0x901f);
    expect(addr.value).to.equal(0x0100007f);
    const out = new Uint8Array(4);
    m.memcpy(out, { value: 0x11223344 }, 4);
    expect([...out]).to.deep.equal([0x44, 0x33, 0x22, 0x11]);
    m.memcpy(out, { value: -2 }, 2); // two's complement, as an int's bytes
    expect([...out]).to.deep.equal([0xfe, 0xff, 0x22, 0x11]);
    const big = { value: 0n };
    m.memcpy(big, new Uint8Array(8).fill(0xff), 8);
    expect(big.value).to.equal(2n ** 64n - 1n);
    const part = { value: 0x1234 };
    m.memcpy(part, Uint8Array.of(0xab), 1); // only the first byte is replaced
    expect(part.value).to.equal(0xab);
    const b = { value: 7 };
    m.memcpy(b, { value: 0x0102 }, 2);
    expect(b.value).to.equal(0x0102);
    expect(() => m.memcpy({ value: 0 }, new Uint8Array(16), 16)).to.throw(
      RangeError,
      /memcpy: argument 'dest' is an integer box: 16 bytes/,
    );
    expect(() => m.memcpy(new Uint8Array(4), { value: 0.5 }, 4)).to.throw(
      TypeError,
      /memcpy: argument 'src' is a box of number 0.5/,
    );
  });

  it("memset fills n bytes with (unsigned char)c and returns s", () => {
    const b = new Uint8Array(5);
    expect(m.memset(b, 0x141, 3)).to.equal(b);
    expect([...b]).to.deep.equal([0x41, 0x41, 0x41, 0, 0]);
    m.memset(b, -1, 5);
    expect([...b]).to.deep.equal([255, 255, 255, 255, 255]);
  });

  it("bzero clears n bytes, or a struct object's fields, naming itself on misuse", () => {
    const b = Uint8Array.of(1, 2, 3, 4);
    m.bzero(b, 3);
    expect([...b]).to.deep.equal([0, 0, 0, 4]);
    const sin: Record<string, unknown> = { sin_family: AF_INET, sin_port: 80 };
    m.bzero(sin, 16);
    expect(sin).to.deep.equal({});
    expect(() => m.bzero(b, 5)).to.throw(RangeError, /bzero/);
    expect(() => m.bzero(null as unknown as Uint8Array, 1)).to.throw(TypeError, /bzero/);
  });

  it("memcmp compares sockaddr objects as C's bytes (memcmp(&sin, &ss, sizeof(sin)))", () => {
    const parsed: Record<string, unknown> = {};
    expect(evutil_parse_sockaddr_port("192.168.0.1:50", parsed, { value: 128 })).to.equal(0);
    const sin: Record<string, unknown> = {};
    m.memset(sin, 0, 16);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(50);
    sin.sin_addr = { s_addr: htonl(0xc0a80001) };
    expect(m.memcmp(sin, parsed, 16)).to.equal(0);
    sin.sin_port = htons(51);
    // the port's low byte (network order) is the first to differ: 0x32 - 0x33
    expect(m.memcmp(parsed, sin, 16)).to.equal(-1);
    const six: Record<string, unknown> = {};
    expect(evutil_parse_sockaddr_port("[ffff::1]:1000", six, { value: 128 })).to.equal(0);
    expect(m.memcmp(six, parsed, 2)).to.equal(AF_INET6 - AF_INET);
    expect(m.memcmp({}, Uint8Array.of(0, 0), 2)).to.equal(0); // a zeroed sockaddr_storage
    expect(() => m.memcmp({ tv_sec: 1 }, {}, 1)).to.throw(TypeError, /memcmp: argument 's1'/);
  });

  it("memcmp compares n unsigned bytes, NULs included", () => {
    expect(m.memcmp(Uint8Array.of(1, 0, 3), Uint8Array.of(1, 0, 4), 3)).to.equal(-1);
    expect(m.memcmp(Uint8Array.of(1, 0, 3), Uint8Array.of(1, 0, 4), 2)).to.equal(0);
    expect(m.memcmp(Uint8Array.of(0xff), Uint8Array.of(0x01), 1)).to.equal(254);
    expect(m.memcmp(Buffer.from("GET /"), "GET ", 4)).to.equal(0);
    expect(m.memcmp("a", "a", 2)).to.equal(0); // the literals' NULs compare too
    expect(m.memcmp("", "", 0)).to.equal(0);
  });

  it("memchr returns a view from the byte found (C's pointer), or null", () => {
    const b = Buffer.from("ab\0cd\n");
    const p = m.memchr(b, 10, b.length)!;
    expect(p.buffer).to.equal(b.buffer);
    expect(p.byteOffset - b.byteOffset).to.equal(5);
    expect(m.memchr(b, 0, 6)!.byteOffset - b.byteOffset).to.equal(2); // NUL is an ordinary byte
    expect(m.memchr(b, 10, 5)).to.equal(null);
    expect(m.memchr(b, 0x163, 6)!.byteOffset - b.byteOffset).to.equal(3);
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => m.malloc(-1)).to.throw(RangeError, /malloc: argument 'size'/);
    expect(() => m.malloc(1.5)).to.throw(RangeError, /malloc: argument 'size'/);
    expect(() => m.malloc("8" as any)).to.throw(TypeError, /malloc: argument 'size'/);
    expect(() => m.calloc(NaN, 1)).to.throw(RangeError, /calloc: argument 'nmemb'/);
    expect(() => m.realloc("x" as any, 1)).to.throw(TypeError, /realloc: argument 'ptr'/);
    expect(() => m.free(42)).to.throw(TypeError, /free: argument 'ptr'/);
    expect(() => m.memcpy(null as any, "a", 1)).to.throw(
      TypeError,
      /memcpy: argument 'dest' is NULL/,
    );
    expect(() => m.memcpy(new Uint8Array(2), "abc", 3)).to.throw(
      RangeError,
      /memcpy: argument 'n' is 3, larger than the 2 bytes of 'dest'/,
    );
    expect(() => m.memmove(new Uint8Array(4), new Uint8Array(2), 3)).to.throw(
      RangeError,
      /memmove: argument 'n'.*'src'/,
    );
    expect(() => m.memset(new Uint8Array(2), 0, 3)).to.throw(RangeError, /memset: argument 'n'/);
    expect(() => m.memset(new Uint8Array(2), 0.5, 1)).to.throw(RangeError, /memset: argument 'c'/);
    expect(() => m.memcmp(Uint8Array.of(1), 7 as any, 1)).to.throw(
      TypeError,
      /memcmp: argument 's2'/,
    );
    expect(() => m.memcmp("ab", "abcd", 4)).to.throw(RangeError, /memcmp: argument 'n'.*'s1'/);
    expect(() => m.memchr("abc" as any, 1, 1)).to.throw(TypeError, /memchr: argument 's'/);
    expect(() => m.memchr(new Uint8Array(1), 1, 2)).to.throw(RangeError, /memchr: argument 'n'/);
  });
});
