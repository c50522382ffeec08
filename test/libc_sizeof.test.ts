import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { sizeof } from "../src/libc/sizeof.js";
import { stat } from "../src/libc/files.js";
import * as ev from "../src/event2/event.js";

describe("libc sizeof", () => {
  it("gives C's x86-64 size of every type name the C twin prints", function () {
    this.timeout(30000);
    const lines = runC(buildC("libc_sizeof")).trimEnd().split("\n");
    expect(lines.length).to.be.greaterThan(60);
    const wrong = lines
      .map((l) => l.split("\t"))
      .filter(([type, n]) => sizeof(type) !== Number(n))
      .map(([type, n]) => `${type}: C ${n}, here ${sizeof(type)}`);
    expect(wrong).to.deep.equal([]);
  });

  it("accepts spacing variants of type names", () => {
    expect(sizeof("  struct   sockaddr_in ")).to.equal(16);
    expect(sizeof("char*")).to.equal(8);
    expect(sizeof("unsigned char [ 4 ]")).to.equal(4);
    expect(sizeof("const struct sockaddr *")).to.equal(8);
  });

  it("measures memory by its bytes", () => {
    expect(sizeof(new Uint8Array(1024))).to.equal(1024);
    expect(sizeof(Buffer.alloc(3))).to.equal(3);
    expect(sizeof(new Int32Array(4))).to.equal(16);
  });

  it("measures sockaddr objects by family and {} as a sockaddr_storage", () => {
    const sin = { sin_family: 2, sin_port: 0, sin_addr: { s_addr: 0 } };
    expect(sizeof(sin)).to.equal(16);
    expect(
      sizeof({ sin6_family: 10, sin6_port: 0, sin6_addr: { s6_addr: new Uint8Array(16) } }),
    ).to.equal(28);
    expect(sizeof({ sun_family: 1, sun_path: "/tmp/x" })).to.equal(110);
    expect(sizeof({})).to.equal(128);
    expect(sizeof({ ss_family: 2, sin_family: 2 })).to.equal(128); // a filled sockaddr_storage
    expect(sizeof({ sa_family: 10 })).to.equal(28);
    expect(sizeof({ sa_family: 0 })).to.equal(16);
    expect(sizeof(sin.sin_addr)).to.equal(4);
  });

  it("measures the other structs the contract models as objects", () => {
    expect(sizeof({ tv_sec: 1, tv_usec: 0 })).to.equal(16);
    expect(sizeof({ iov_base: null, iov_len: 0 })).to.equal(16);
    expect(sizeof({ pos: 0 })).to.equal(24);
    expect(sizeof({ orig_size: 0, n_added: 0, n_deleted: 0 })).to.equal(24);
    expect(sizeof({ ai_flags: 0, ai_family: 0 })).to.equal(48);
    expect(sizeof({ l_onoff: 1, l_linger: 0 })).to.equal(8);
    // struct stat as stat() fills it, and by name (x86-64 glibc: 144).
    const st = {};
    expect(stat(".", st)).to.equal(0);
    expect(sizeof(st)).to.equal(144);
    expect(sizeof("struct stat")).to.equal(144);
    const base = ev.event_base_new();
    const e = ev.event_new(base, -1, 0, null, null)!;
    expect(sizeof(e)).to.equal(128);
    ev.event_free(e);
    ev.event_base_free(base);
  });

  it("makes sizeof(a) / sizeof(a[0]) count a JS array's elements", () => {
    const v = [{}, {}];
    expect(sizeof(v) / sizeof(v[0])).to.equal(2);
    const iov = [
      { iov_base: null, iov_len: 0 },
      { iov_base: null, iov_len: 0 },
    ];
    expect(sizeof(iov)).to.equal(32);
    expect(sizeof([])).to.equal(0);
  });

  it("measures any other string as a C literal: its UTF-8 bytes and the NUL", () => {
    expect(sizeof("GET / HTTP/1.0\r\n")).to.equal(17);
    expect(sizeof("")).to.equal(1);
    expect(sizeof("é")).to.equal(3);
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => sizeof("struct evbuffer")).to.throw(
      RangeError,
      /sizeof: argument 'x' names a type/,
    );
    expect(() => sizeof("struct sockadr_in")).to.throw(RangeError, /sizeof: argument 'x'/);
    expect(() => sizeof("foo_t")).to.throw(RangeError, /sizeof/);
    expect(() => sizeof(42)).to.throw(TypeError, /sizeof: argument 'x' must be/);
    expect(() => sizeof(null)).to.throw(TypeError, /sizeof: argument 'x'/);
    expect(() => sizeof(undefined)).to.throw(TypeError, /sizeof: argument 'x'/);
    expect(() => sizeof({ value: 1 })).to.throw(TypeError, /sizeof: argument 'x' is an object/);
  });
});
