// strtok, strtok_r, strncat, strcat and strcpy against glibc: test/c/libc_strtok.c
// prints the tokens and the buffer after each case; the port prints the same.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { strcat, strcpy, strncat, strtok, strtok_r } from "../src/libc/string.js";

const split: [string, string][] = [
  ["a,b,,c", ","],
  [",,lead and trail,,", ","],
  ["", ","],
  [",,,", ","],
  ["one two\tthree\n", " \t\n"],
  ["no delims", ""],
  ["GET /x HTTP/1.1", " "],
  ["k=v;k2=v2", "=;"],
];
const cat: [string, string, number][] = [
  ["abc", "defgh", 3],
  ["", "xyz", 10],
  ["abc", "", 5],
  ["ab", "cdef", 0],
  ["12345", "6789", 4],
];

/** C's view of a token: the bytes up to its NUL, and its offset in buf. */
function token(t: Uint8Array, buf: Uint8Array): string {
  const end = t.indexOf(0);
  return ` [${Buffer.from(t.subarray(0, end < 0 ? t.length : end)).toString()}]@${t.byteOffset - buf.byteOffset}`;
}

const bytes = (b: Uint8Array) =>
  ` {${[...b].map((x) => (x ? String.fromCharCode(x) : "|")).join("")}}`;

function lines(): string[] {
  const out: string[] = [];
  const fresh = (s: string) => strcpy(new Uint8Array(24).fill(0x2e), s);
  for (const [s, d] of split) {
    let buf = fresh(s);
    let line = "strtok";
    for (let t = strtok(buf, d); t; t = strtok(null, d)) line += token(t, buf);
    out.push(line + bytes(buf));
    buf = fresh(s);
    line = "strtok_r";
    const save = { value: null as Uint8Array | null };
    for (let t = strtok_r(buf, d, save); t; t = strtok_r(null, d, save)) line += token(t, buf);
    out.push(line + ` save@${save.value!.byteOffset - buf.byteOffset}` + bytes(buf));
  }
  for (const [a, b, n] of cat) {
    const buf = fresh(a);
    out.push(`strncat ${strncat(buf, b, n) === buf ? 1 : 0}` + bytes(buf));
    out.push(`strcat ${strcat(buf, b) === buf ? 1 : 0}` + bytes(buf));
  }
  return out;
}

describe("libc strtok, strtok_r, strncat, strcat, strcpy", () => {
  it("tokenizes and appends as glibc does (libc_strtok.c): tokens, offsets, the NULs written", () => {
    const c = runC(buildC("libc_strtok")).split("\n").slice(0, -1);
    expect(lines()).to.deep.equal(c);
  });

  it("throws where C would write out of bounds or into a literal", () => {
    expect(() => strtok("a,b" as any, ",")).to.throw(TypeError, /strtok: argument 'str'/);
    expect(() => strtok_r(null, ",", { value: null })).to.throw(
      TypeError,
      /strtok_r: argument 'str'/,
    );
    expect(() => strtok_r(new Uint8Array(2), ",", null as any)).to.throw(
      TypeError,
      /strtok_r: argument 'saveptr'/,
    );
    expect(() => strcpy(new Uint8Array(3), "abc")).to.throw(RangeError, /strcpy: argument 'dest'/);
    expect(() => strcat(strcpy(new Uint8Array(4), "ab"), "cd")).to.throw(
      RangeError,
      /strcat: argument 'dest'/,
    );
    expect(() => strncat(new Uint8Array(2).fill(1), "x", 1)).to.throw(
      RangeError,
      /strncat: argument 'dest' holds no NUL/,
    );
  });
});
