import { expect } from "chai";
import { spawnSync } from "node:child_process";
import {
  isalnum,
  isascii,
  toascii,
  isdigit,
  isspace,
  isxdigit,
  ispunct,
  toupper,
  tolower,
} from "../src/libc/ctype.js";
import { memset } from "../src/libc/memory.js";
import {
  BUFSIZ,
  INET6_ADDRSTRLEN,
  INET_ADDRSTRLEN,
  inet_ntop,
  inet_pton,
} from "../src/libc/index.js";
import { errno, set_errno } from "../src/libc/errno.js";
import { buildC, projectRoot, runC } from "./support/cc.js";

/** test/c/libc_ascii.c's lines, computed through the port. */
function asciiLines(): string {
  const ntop = (af: number, text: string, size: number) => {
    const addr = {};
    inet_pton(af, text, addr);
    set_errno(0);
    const out = new Uint8Array(64);
    const r = inet_ntop(af, addr, out, size);
    const s = r ? Buffer.from(r.subarray(0, r.indexOf(0))).toString("latin1") : "(null)";
    return `${size} ${s} ${r ? 0 : errno}`;
  };
  const codes = Array.from({ length: 258 }, (_, i) => i - 1);
  const v6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
  return [
    `${BUFSIZ} ${INET_ADDRSTRLEN} ${INET6_ADDRSTRLEN}`,
    ntop(2, "255.255.255.255", INET_ADDRSTRLEN),
    ntop(2, "255.255.255.255", INET_ADDRSTRLEN - 1),
    ntop(10, v6, INET6_ADDRSTRLEN),
    ntop(10, v6, INET6_ADDRSTRLEN - 1),
    codes.map((c) => isascii(c)).join(" "),
    codes.map((c) => toascii(c)).join(" "),
    "",
  ].join("\n");
}

describe("libc: ctype, memset on structs, fwrite", () => {
  it("classifies in the C locale and maps case by code", () => {
    expect([isdigit("7"), isdigit(0x41), isxdigit("F"), isxdigit("g")]).to.deep.equal([1, 0, 1, 0]);
    expect([isspace("\t"), isspace(" "), isspace("x"), isalnum("_"), ispunct("_")]).to.deep.equal([
      1, 1, 0, 0, 1,
    ]);
    expect([toupper("a"), toupper(0x7a), toupper("!"), tolower("Q"), toupper(-1)]).to.deep.equal([
      0x41, 0x5a, 0x21, 0x71, -1,
    ]);
    expect(() => toupper("ab")).to.throw(TypeError, /toupper: argument 'c'/);
  });

  it("BUFSIZ, INET_ADDRSTRLEN / INET6_ADDRSTRLEN (inet_ntop fits exactly), isascii, toascii: as glibc (C twin)", () => {
    expect(asciiLines()).to.equal(runC(buildC("libc_ascii")));
    expect(() => isascii("ab")).to.throw(TypeError, /isascii: argument 'c'/);
  });

  it("memset(&struct, 0, sizeof) clears a struct object; bytes are filled as in C", () => {
    const sin: any = { sin_family: 2, sin_port: 80 };
    expect(memset(sin, 0, 16)).to.equal(sin);
    expect(sin).to.deep.equal({});
    expect(() => memset({}, 1, 16)).to.throw(TypeError, /memset: argument 'c'/);
    const b = new Uint8Array(4);
    expect(memset(b, 0x1ff, 3)).to.equal(b);
    expect([...b]).to.deep.equal([0xff, 0xff, 0xff, 0]);
  });

  it("memset(v, 0, sizeof(v)) on an array of structs clears each element in place", () => {
    const v: any[] = [
      { iov_base: new Uint8Array(2), iov_len: 2 },
      { iov_base: null, iov_len: 7 },
    ];
    const first = v[0];
    expect(memset(v, 0, 32)).to.equal(v);
    expect(v).to.deep.equal([{}, {}]);
    expect(v[0]).to.equal(first);
    expect(() => memset(v, 1, 32)).to.throw(TypeError, /memset: argument 'c'/);
    expect(() => memset([1, 2], 0, 8)).to.throw(TypeError, /memset: argument 's'/);
  });

  it("fwrite writes size*nmemb bytes and returns nmemb", () => {
    const js =
      `import { fwrite, stdout } from "${projectRoot}/dist/src/libc/index.js";` +
      `const n = fwrite("hello world", 1, 5, stdout); fwrite(new Uint8Array([10]), 1, 1, stdout);` +
      `process.stderr.write(String(n));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", js], {
      encoding: "utf8",
      timeout: 10000,
    });
    expect(r.stdout).to.equal("hello\n");
    expect(r.stderr).to.equal("5");
  });
});
