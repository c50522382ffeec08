// Conformance of the evbuffer API with libevent 2.1.12 (reference §3, and the
// observable parts of libevent's test/regress_buffer.c, §4.2).
import { expect } from "chai";
import * as E from "../src/event2/buffer.js";
import type { Evbuffer, evbuffer_iovec, evbuffer_ptr } from "../src/event2/buffer.js";
import { ownedChunk } from "../src/core/chunk.js";
import {
  EVBUFFER_DATA,
  EVBUFFER_LENGTH,
  evbuffer_find,
  evbuffer_readline,
} from "../compat/buffer_compat.js";

const SIZE_MAX = 2 ** 64;

/** The whole content, read without changing the buffer (through peek: freezes don't matter). */
function content(b: Evbuffer): Buffer {
  const v: evbuffer_iovec[] = [];
  const n = E.evbuffer_peek(b, -1, null, v, E.evbuffer_peek(b, -1, null, null, 0));
  return Buffer.concat(v.slice(0, n).map((x) => Buffer.from(x.iov_base!.subarray(0, x.iov_len))));
}
const str = (b: Evbuffer) => content(b).toString("latin1");
/** Chunk lengths, as evbuffer_peek reports them. */
function chunks(b: Evbuffer): number[] {
  const v: evbuffer_iovec[] = [];
  const n = E.evbuffer_peek(b, -1, null, v, 64);
  return v.slice(0, n).map((x) => x.iov_len);
}
function withBuf(...strs: string[]): Evbuffer {
  const b = E.evbuffer_new();
  for (const s of strs) E.evbuffer_add(b, Buffer.from(s, "latin1"));
  return b;
}
function readln(b: Evbuffer, style: number): string | null {
  const n = { value: -1 };
  const l = E.evbuffer_readln(b, n, style);
  if (l === null) {
    expect(n.value).to.equal(0);
    return null;
  }
  expect(n.value).to.equal(l.length);
  return l.toString("latin1");
}
function ptr(b: Evbuffer, pos: number): evbuffer_ptr {
  const p = { pos: 0 };
  expect(E.evbuffer_ptr_set(b, p, pos, E.EVBUFFER_PTR_SET)).to.equal(0);
  return p;
}

describe("evbuffer", function () {
  describe("constants", function () {
    it("have libevent 2.1.12's values", function () {
      expect([
        E.EVBUFFER_EOL_ANY,
        E.EVBUFFER_EOL_CRLF,
        E.EVBUFFER_EOL_CRLF_STRICT,
        E.EVBUFFER_EOL_LF,
      ]).to.deep.equal([0, 1, 2, 3]);
      expect(E.EVBUFFER_EOL_NUL).to.equal(4);
      expect([
        E.EVBUFFER_PTR_SET,
        E.EVBUFFER_PTR_ADD,
        E.EVBUFFER_FLAG_DRAINS_TO_FD,
        E.EVBUFFER_CB_ENABLED,
      ]).to.deep.equal([0, 1, 1, 1]);
      expect([
        E.EVBUF_FS_CLOSE_ON_FREE,
        E.EVBUF_FS_DISABLE_MMAP,
        E.EVBUF_FS_DISABLE_SENDFILE,
        E.EVBUF_FS_DISABLE_LOCKING,
      ]).to.deep.equal([1, 2, 4, 8]);
    });
  });

  describe("life cycle and flags", function () {
    it("evbuffer_new gives an empty buffer; get_length and contiguous_space are 0", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_get_length(b)).to.equal(0);
      expect(E.evbuffer_get_contiguous_space(b)).to.equal(0);
      expect(EVBUFFER_LENGTH(b)).to.equal(0);
      E.evbuffer_free(b);
    });

    it("set_flags / clear_flags always return 0", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_set_flags(b, E.EVBUFFER_FLAG_DRAINS_TO_FD)).to.equal(0);
      expect(b.flags).to.equal(1);
      expect(E.evbuffer_clear_flags(b, 1n)).to.equal(0);
      expect(b.flags).to.equal(0);
    });

    it("enable_locking: -1 without threading callbacks or when already lockable", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_enable_locking(b, null)).to.equal(-1);
      const lock = {};
      expect(E.evbuffer_enable_locking(b, lock)).to.equal(0);
      expect(E.evbuffer_enable_locking(b, lock)).to.equal(-1);
      E.evbuffer_lock(b);
      E.evbuffer_unlock(b);
    });

    it("get_contiguous_space is the length of the first chunk", function () {
      const a = withBuf("abc");
      const b = withBuf("defgh");
      E.evbuffer_add_buffer(a, b);
      expect(E.evbuffer_get_length(a)).to.equal(8);
      expect(E.evbuffer_get_contiguous_space(a)).to.equal(3);
    });
  });

  describe("adding and removing (regress 'evbuffer')", function () {
    it("runs libevent's basic scenario", function () {
      const evb = E.evbuffer_new();
      const two = E.evbuffer_new();
      expect(E.evbuffer_add_printf(evb, "%s/%d", "hello", 1)).to.equal(7);
      expect(E.evbuffer_get_length(evb)).to.equal(7);
      expect(EVBUFFER_DATA(evb)!.toString()).to.equal("hello/1");
      expect(E.evbuffer_add_buffer(evb, two)).to.equal(0);
      expect(E.evbuffer_drain(evb, 6)).to.equal(0);
      expect(str(evb)).to.equal("1");
      E.evbuffer_add_printf(two, "%s", "/hello");
      E.evbuffer_add_buffer(evb, two);
      expect(E.evbuffer_get_length(two)).to.equal(0);
      expect(str(evb)).to.equal("1/hello");
      const zeros = new Uint8Array(512);
      E.evbuffer_add(evb, zeros, zeros.length);
      expect(E.evbuffer_get_length(evb)).to.equal(519);
      const p = E.evbuffer_pullup(evb, 519)!;
      expect(p.length).to.equal(519);
      expect(p.subarray(0, 7).toString()).to.equal("1/hello");
      expect(p.subarray(7).every((x) => x === 0)).to.equal(true);
      E.evbuffer_prepend(evb, "something", 9);
      E.evbuffer_prepend(evb, "else", 4);
      expect(E.evbuffer_pullup(evb, 20)!.toString()).to.equal("elsesomething1/hello");
      E.evbuffer_drain(evb, -1);
      expect(E.evbuffer_get_length(evb)).to.equal(0);
      for (let i = 0; i < 3; i++) {
        E.evbuffer_add(two, zeros);
        E.evbuffer_add_buffer(evb, two);
      }
      expect([E.evbuffer_get_length(evb), E.evbuffer_get_length(two)]).to.deep.equal([1536, 0]);
      expect(E.evbuffer_remove_buffer(evb, two, 1280)).to.equal(1280);
      expect([E.evbuffer_get_length(evb), E.evbuffer_get_length(two)]).to.deep.equal([256, 1280]);
      for (let i = 0; i < 3; i++) {
        const v: evbuffer_iovec[] = [{ iov_base: null, iov_len: 0 }];
        expect(E.evbuffer_reserve_space(evb, 10000, v, 1)).to.equal(1);
        expect(v[0].iov_len).to.be.at.least(10000);
        for (let j = 0; j < 10000; j++) v[0].iov_base![j] = j & 0xff;
        expect(E.evbuffer_commit_space(evb, v, 1)).to.equal(0);
        expect(E.evbuffer_get_length(evb)).to.be.at.least(10000);
        E.evbuffer_drain(evb, 10000 * 5000);
        expect(E.evbuffer_get_length(evb)).to.equal(0);
      }
    });

    it("add copies the bytes; strings are UTF-8; a size selects a prefix", function () {
      const b = E.evbuffer_new();
      const d = Buffer.from("abcdef");
      expect(E.evbuffer_add(b, d, 3)).to.equal(0);
      d[0] = 0x7a;
      expect(E.evbuffer_add(b, "é")).to.equal(0);
      expect(content(b)).to.deep.equal(Buffer.from("abcé"));
      expect(E.evbuffer_add(b, "", 0)).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(5);
    });

    it("a string's size may count C's terminating NUL: add, search and bufferevent_write", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_add(b, "ab", 3)).to.equal(0);
      expect(content(b)).to.deep.equal(Buffer.from([0x61, 0x62, 0]));
      expect(E.evbuffer_search(b, "b", 2, null).pos).to.equal(1);
      expect(() => E.evbuffer_add(b, "ab", 4)).to.throw(
        RangeError,
        /evbuffer_add: argument 'datlen' is 4/,
      );
      expect(() => E.evbuffer_add(b, Buffer.from("ab"), 3)).to.throw(RangeError);
    });

    it("small adds fill the tail chunk; chunks grow 976, 2000, 4048 as libevent's chains", function () {
      const b = E.evbuffer_new();
      for (let i = 0; i < 400; i++) E.evbuffer_add(b, Buffer.alloc(32, i & 0xff));
      // each size is the header (48) plus the doubled size, rounded up to a power of two
      expect(chunks(b)).to.deep.equal([976, 2000, 4048, 4048, 1728]);
    });

    it("remove and copyout: counts, clipping, 0 when empty", function () {
      const b = withBuf("hello ", "world");
      const out = new Uint8Array(8);
      expect(E.evbuffer_copyout(b, out, 8)).to.equal(8);
      expect(Buffer.from(out).toString()).to.equal("hello wo");
      expect(E.evbuffer_get_length(b)).to.equal(11);
      expect(E.evbuffer_remove(b, out, 8)).to.equal(8);
      expect(E.evbuffer_remove(b, out, SIZE_MAX)).to.equal(3);
      expect(Buffer.from(out.subarray(0, 3)).toString()).to.equal("rld");
      expect(E.evbuffer_remove(b, out, 8)).to.equal(0);
      expect(E.evbuffer_copyout(b, out, 8)).to.equal(0);
      expect(E.evbuffer_copyout(b, out)).to.equal(0);
    });

    it("an integer box as memory: a length prefix added, copied out and removed", function () {
      // ev_uint32_t len = htonl(5); evbuffer_add(b, &len, 4); ... evbuffer_copyout(b, &got, 4)
      const b = E.evbuffer_new();
      const len = { value: 0x05000000 }; // htonl(5) on a little-endian host
      expect(E.evbuffer_add(b, len, 4)).to.equal(0);
      expect(E.evbuffer_prepend(b, { value: 0xbbaa }, 2)).to.equal(0);
      expect(E.evbuffer_add(b, "abcde")).to.equal(0);
      expect([...content(b).subarray(0, 6)]).to.deep.equal([0xaa, 0xbb, 0, 0, 0, 5]);
      const magic = { value: 0 };
      expect(E.evbuffer_remove(b, magic, 2)).to.equal(2);
      expect(magic.value).to.equal(0xbbaa);
      const got = { value: 0 };
      expect(E.evbuffer_copyout(b, got, 4)).to.equal(4);
      expect(got.value).to.equal(0x05000000);
      expect(E.evbuffer_get_length(b)).to.equal(9);
      E.evbuffer_drain(b, 7);
      const short = { value: 0x11223344 };
      expect(E.evbuffer_remove(b, short, 4)).to.equal(2); // C leaves the other bytes as they were
      expect(short.value).to.equal(0x11226564);
      expect(() => E.evbuffer_copyout(b, { value: 0 })).to.throw(
        TypeError,
        /evbuffer_copyout.*'datlen'/,
      );
      expect(() => E.evbuffer_add(b, { value: 0 }, 9)).to.throw(
        RangeError,
        /evbuffer_add: argument 'data_in' is an integer box/,
      );
      E.evbuffer_free(b);
    });

    it("copyout and copyout_from over reference chunks (regress 'copyout')", function () {
      const s1 = "a".repeat(80);
      const s2 = "b".repeat(80);
      const s3 = "c".repeat(46);
      const b = E.evbuffer_new();
      E.evbuffer_add_reference(b, s1, 80, null, null);
      E.evbuffer_add_reference(b, s2, 80, null, null);
      E.evbuffer_add(b, s3);
      const out = new Uint8Array(1024);
      expect([10, 100, 230].map((n) => E.evbuffer_copyout(b, out, n))).to.deep.equal([
        10, 100, 206,
      ]);
      expect(Buffer.from(out.subarray(0, 206)).toString()).to.equal(s1 + s2 + s3);
      const p = ptr(b, 15);
      expect(
        [10, 65, 90, 160, 999].map((n) => E.evbuffer_copyout_from(b, p, out, n)),
      ).to.deep.equal([10, 65, 90, 160, 191]);
      expect(Buffer.from(out.subarray(0, 191)).toString()).to.equal((s1 + s2 + s3).slice(15));
      expect(E.evbuffer_copyout_from(b, ptr(b, 206), out, 5)).to.equal(0);
      expect(E.evbuffer_copyout_from(b, p, out, 2 ** 63)).to.equal(-1);
      expect(E.evbuffer_get_length(b)).to.equal(206);
    });

    it("drain: n >= length drains all; an empty buffer gives 0", function () {
      const b = withBuf("abcdef");
      expect(E.evbuffer_drain(b, 2)).to.equal(0);
      expect(str(b)).to.equal("cdef");
      expect(E.evbuffer_drain(b, SIZE_MAX)).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(0);
      expect(E.evbuffer_drain(b, 5)).to.equal(0);
    });

    it("add_iovec adds each vector in order (regress 'add_iovec')", function () {
      const b = E.evbuffer_new();
      const parts = [
        "Guilt resembles a sword with two edges.",
        "Great Britain",
        "Hello, world.",
        "x".repeat(2000),
      ];
      const vec = parts.map((s) => ({ iov_base: Buffer.from(s), iov_len: s.length }));
      const total = parts.reduce((a, s) => a + s.length, 0);
      expect(E.evbuffer_add_iovec(b, vec, 4)).to.equal(total);
      expect(E.evbuffer_get_length(b)).to.equal(total);
      for (const s of parts) {
        const out = new Uint8Array(s.length);
        expect(E.evbuffer_remove(b, out, s.length)).to.equal(s.length);
        expect(Buffer.from(out).toString()).to.equal(s);
      }
      expect(E.evbuffer_add_iovec(b, [], 0)).to.equal(0);
    });

    it("add_printf returns the bytes added; add_vprintf takes the arguments as an array", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_add_printf(b, "Hello %s", "world")).to.equal(11);
      expect(
        E.evbuffer_add_printf(b, "%d-%s-%5.2f|%x|%c|%%", 42, "str", 3.14159, 255, "Z"),
      ).to.equal(19);
      expect(E.evbuffer_add_vprintf(b, "[%03d]", [7])).to.equal(5);
      expect(str(b)).to.equal("Hello world42-str- 3.14|ff|Z|%[007]");
      expect(E.evbuffer_add_printf(b, "%d")).to.equal(-1); // a missing argument is a format error
      expect(E.evbuffer_add_printf(b, "%s", "x".repeat(5000))).to.equal(5000);
      expect(E.evbuffer_get_length(b)).to.equal(35 + 5000);
    });

    it("add, expand, add, printf at a chunk boundary (regress 'add1', 'add2', 'reference2')", function () {
      for (const middle of ["add", "ref"]) {
        const b = E.evbuffer_new();
        const big = Buffer.alloc(975, "P");
        E.evbuffer_add(b, big);
        E.evbuffer_expand(b, 1);
        if (middle === "add") E.evbuffer_add(b, "2");
        else E.evbuffer_add_reference(b, "2", 1, null, null);
        E.evbuffer_add_printf(b, "3");
        expect(E.evbuffer_get_length(b)).to.equal(977);
        expect(E.evbuffer_pullup(b, -1)!.subarray(973).toString()).to.equal("PP23");
      }
    });

    it("a format used in a loop prints the same bytes on every call, across chunk ends", function () {
      // The first calls of a format take the general formatter, later ones its
      // compiled writer (printf_direct.ts); both must print what glibc prints.
      const b = E.evbuffer_new();
      const fmt = "<%d|%-5s|%04x|%X|%c|%3u|%ld %s>\n";
      const want: string[] = [];
      for (let i = -50; i < 2950; i++) {
        const s = i % 3 === 0 ? "ab" : "a longer string, past a word or two";
        const n = E.evbuffer_add_printf(
          b,
          fmt,
          i,
          "ok",
          i & 0xffff,
          i >>> 0,
          65 + (i & 15),
          i & 7,
          i * 1e6,
          s,
        );
        const line =
          `<${i}|ok   |${(i & 0xffff).toString(16).padStart(4, "0")}|${(i >>> 0).toString(16).toUpperCase()}|` +
          `${String.fromCharCode(65 + (i & 15))}|${String(i & 7).padStart(3)}|${i * 1e6} ${s}>\n`;
        expect(n, `call ${i}`).to.equal(line.length);
        want.push(line);
      }
      expect(str(b)).to.equal(want.join(""));
      // An argument the compiled writer does not take (a fraction: C's int conversion truncates it).
      E.evbuffer_drain(b, E.evbuffer_get_length(b));
      expect(E.evbuffer_add_printf(b, fmt, 1.5, "ok", 1, 1, 65, 1, 1, "x")).to.equal(27);
      expect(str(b)).to.equal("<1|ok   |0001|1|A|  1|1 x>\n");
    });

    it("iterative add_printf: the length is the sum of the widths (regress 'iterative')", function () {
      const b = E.evbuffer_new();
      const abc = "abcdefghijklmnopqrstuvwxyz".repeat(4);
      let sum = 0;
      for (let i = 0; i < 30; i++) {
        for (let j = 1; j < abc.length; j++) {
          E.evbuffer_add_printf(b, "%*.*s", j, j, abc);
          sum += j;
        }
      }
      expect(E.evbuffer_get_length(b)).to.equal(sum);
    });
  });

  describe("prepend", function () {
    it("onto an empty buffer, into the misalignment, split across chunks (regress 'prepend')", function () {
      const b = E.evbuffer_new();
      E.evbuffer_prepend(b, "This string has 29 characters", 29);
      expect(str(b)).to.equal("This string has 29 characters");
      E.evbuffer_drain(b, 16);
      E.evbuffer_prepend(b, "it has ", 7);
      E.evbuffer_prepend(b, "true to say ", 12);
      E.evbuffer_prepend(b, "It is no longer ", 16);
      expect(str(b)).to.equal("It is no longer true to say it has 29 characters");
      const c = E.evbuffer_new();
      E.evbuffer_add_printf(c, "Here is string %d. ", 999);
      const d = E.evbuffer_new();
      E.evbuffer_prepend_buffer(d, c);
      E.evbuffer_add_printf(c, "Here is string %d. ", 1000);
      expect(E.evbuffer_prepend_buffer(d, c)).to.equal(0);
      expect(str(d)).to.equal("Here is string 1000. Here is string 999. ");
      expect(E.evbuffer_get_length(c)).to.equal(0);
    });

    it("counts as an addition for the callbacks (8096 onto 'foo')", function () {
      const b = withBuf("foo");
      const infos: object[] = [];
      E.evbuffer_add_cb(b, (_b, info) => infos.push({ ...info }), null);
      E.evbuffer_prepend(b, Buffer.alloc(8096, "x"));
      expect(infos).to.deep.equal([{ orig_size: 3, n_added: 8096, n_deleted: 0 }]);
      expect(E.evbuffer_get_length(b)).to.equal(8099);
    });

    it("uses the free space before the data, and an empty first chunk from its end", function () {
      const b = withBuf("abcdef");
      E.evbuffer_drain(b, 3);
      E.evbuffer_prepend(b, "XY");
      expect(chunks(b)).to.deep.equal([5]);
      const c = E.evbuffer_new();
      E.evbuffer_expand(c, 10);
      E.evbuffer_prepend(c, "ab");
      expect(str(c)).to.equal("ab");
      expect(chunks(c)).to.deep.equal([2]);
    });

    it("never writes into a reference chunk (regress 'empty_reference_prepend')", function () {
      const b = E.evbuffer_new();
      const data = Buffer.from("ref");
      E.evbuffer_add_reference(b, data, 3, null, null);
      E.evbuffer_drain(b, 2);
      E.evbuffer_prepend(b, "foo");
      expect(str(b)).to.equal("foof");
      expect(data.toString()).to.equal("ref");
      const e = E.evbuffer_new();
      E.evbuffer_add_reference(e, "", 0, null, null);
      E.evbuffer_prepend(e, "foo", 3);
      expect(str(e)).to.equal("foo");
      const src = E.evbuffer_new();
      E.evbuffer_add_reference(src, "", 0, null, null);
      expect(E.evbuffer_prepend_buffer(e, src)).to.equal(0);
      expect(str(e)).to.equal("foo");
      expect(E.evbuffer_pullup(src, -1)).to.equal(null);
    });
  });

  describe("moving between buffers", function () {
    it("add_buffer moves chunks without copying or merging", function () {
      const a = withBuf("aaa");
      const b = withBuf("bbbb");
      const before = E.evbuffer_pullup(b, -1)!;
      expect(E.evbuffer_add_buffer(a, b)).to.equal(0);
      expect(chunks(a)).to.deep.equal([3, 4]);
      const v: evbuffer_iovec[] = [];
      E.evbuffer_peek(a, -1, null, v, 2);
      expect(v[1].iov_base!.buffer).to.equal(before.buffer);
      expect(v[1].iov_base!.byteOffset).to.equal(before.byteOffset);
      expect(E.evbuffer_add_buffer(a, a)).to.equal(0);
      expect(E.evbuffer_add_buffer(a, E.evbuffer_new())).to.equal(0);
      expect(str(a)).to.equal("aaabbbb");
    });

    it("remove_buffer moves min(n, length); n = 0 or src == dst gives 0", function () {
      const a = withBuf("0123456789", "abcdefghij");
      const b = E.evbuffer_new();
      expect(E.evbuffer_remove_buffer(a, b, 0)).to.equal(0);
      expect(E.evbuffer_remove_buffer(a, a, 5)).to.equal(0);
      expect(E.evbuffer_remove_buffer(a, b, 13)).to.equal(13);
      expect(str(b)).to.equal("0123456789abc");
      expect(str(a)).to.equal("defghij");
      expect(E.evbuffer_remove_buffer(a, b, 100)).to.equal(7);
      expect(E.evbuffer_get_length(a)).to.equal(0);
    });

    it("remove_buffer and add_buffer with empty chunks (regress '*_with_empty*')", function () {
      // remove_buffer_with_empty
      let src = E.evbuffer_new();
      let dst = E.evbuffer_new();
      E.evbuffer_add_reference(src, "A", 1, null, null);
      E.evbuffer_add_reference(src, "", 0, null, null);
      E.evbuffer_add_reference(dst, "", 0, null, null);
      E.evbuffer_add(src, "AAAAA", 5);
      E.evbuffer_remove_buffer(src, dst, 6);
      expect([E.evbuffer_get_length(src), E.evbuffer_get_length(dst)]).to.deep.equal([0, 6]);
      expect(str(dst)).to.equal("AAAAAA");
      // remove_buffer_with_empty2
      src = E.evbuffer_new();
      dst = E.evbuffer_new();
      const buf = E.evbuffer_new();
      E.evbuffer_add(buf, "foo", 3);
      E.evbuffer_add_reference(src, "foo", 3, null, null);
      E.evbuffer_add_reference(src, "", 0, null, null);
      E.evbuffer_add_buffer(src, buf);
      E.evbuffer_add(buf, "foo", 3);
      E.evbuffer_add_reference(dst, "foo", 3, null, null);
      E.evbuffer_add_reference(dst, "", 0, null, null);
      E.evbuffer_add_buffer(dst, buf);
      expect([E.evbuffer_get_length(src), E.evbuffer_get_length(dst)]).to.deep.equal([6, 6]);
      E.evbuffer_remove_buffer(src, dst, 5);
      expect([E.evbuffer_get_length(src), E.evbuffer_get_length(dst)]).to.deep.equal([1, 11]);
      expect(str(src)).to.equal("o");
      expect(str(dst)).to.equal("foofoofoofo");
      // add_buffer_with_empty
      src = E.evbuffer_new();
      dst = E.evbuffer_new();
      E.evbuffer_add_reference(src, "foo", 3, null, null);
      E.evbuffer_add_reference(src, "", 0, null, null);
      E.evbuffer_add(src, "bar", 3);
      E.evbuffer_add_buffer(dst, src);
      expect(str(dst)).to.equal("foobar");
      E.evbuffer_add(dst, "x");
      expect(str(dst)).to.equal("foobarx");
    });

    it("prepend_buffer keeps the order and empties src", function () {
      const a = withBuf("world");
      const b = withBuf("hello ");
      expect(E.evbuffer_prepend_buffer(a, b)).to.equal(0);
      expect(str(a)).to.equal("hello world");
      expect(E.evbuffer_prepend_buffer(a, a)).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(0);
    });
  });

  describe("references", function () {
    it("add_reference does not copy; the cleanup runs once when fully drained (regress 'reference')", function () {
      const data = Buffer.from("this is what we add as read-only memory.");
      const extra = { tag: "extra" };
      const calls: unknown[][] = [];
      const src = E.evbuffer_new();
      const dst = E.evbuffer_new();
      E.evbuffer_add_reference(src, data, data.length, (d, n, x) => calls.push([d, n, x]), extra);
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_reserve_space(dst, data.length, v, 1)).to.equal(1);
      expect(E.evbuffer_remove(src, v[0].iov_base!, 10)).to.equal(10);
      E.evbuffer_prepend(src, "aaaaa", 5);
      E.evbuffer_drain(src, 5);
      expect(E.evbuffer_remove(src, v[0].iov_base!.subarray(10), data.length - 10)).to.equal(
        data.length - 10,
      );
      v[0].iov_len = data.length;
      expect(E.evbuffer_commit_space(dst, v, 1)).to.equal(0);
      expect(calls.length).to.equal(1);
      expect(calls[0][0]).to.equal(data);
      expect(calls[0][1]).to.equal(data.length);
      expect(calls[0][2]).to.equal(extra);
      expect(content(dst)).to.deep.equal(data);
    });

    it("cleanup: not on a partial drain; moves with add_buffer; runs at free (regress 'add_reference')", function () {
      const log: string[] = [];
      const cleanup = (_d: unknown, n: number, arg: string) => log.push(`${arg}:${n}`);
      const chunk1 = "If you have found the answer to such a problem";
      const chunk2 = "you ought to write it up for publication";
      const b = E.evbuffer_new();
      E.evbuffer_add_reference(b, chunk1, chunk1.length, cleanup, "111");
      E.evbuffer_add(b, ", ");
      E.evbuffer_add_reference(b, chunk2, chunk2.length, cleanup, "222");
      const out = new Uint8Array(64);
      expect(E.evbuffer_remove(b, out, 6)).to.equal(6);
      expect(Buffer.from(out.subarray(0, 6)).toString()).to.equal("If you");
      expect(E.evbuffer_remove(b, out, 5)).to.equal(5);
      expect(Buffer.from(out.subarray(0, 5)).toString()).to.equal(" have");
      E.evbuffer_prepend(b, "I have ", 7);
      expect(str(b).slice(0, 12)).to.equal("I have  foun");
      E.evbuffer_drain(b, 7);
      E.evbuffer_drain(b, chunk1.length - 12);
      expect(log).to.deep.equal([]);
      expect(E.evbuffer_remove(b, out, 1)).to.equal(1);
      expect(String.fromCharCode(out[0])).to.equal("m");
      expect(log).to.deep.equal([`111:${chunk1.length}`]);
      E.evbuffer_drain(b, 2);
      const b2 = withBuf("I ");
      E.evbuffer_add_buffer(b2, b);
      expect(E.evbuffer_remove(b2, out, 16)).to.equal(16);
      expect(Buffer.from(out.subarray(0, 16)).toString()).to.equal("I you ought to w");
      E.evbuffer_drain(b2, SIZE_MAX);
      expect(log).to.deep.equal([`111:${chunk1.length}`, `222:${chunk2.length}`]);
      const b3 = withBuf("bytes");
      E.evbuffer_add_reference(b3, "ref", 3, cleanup, "3333");
      E.evbuffer_add(b3, "more");
      E.evbuffer_free(b3);
      expect(log.length).to.equal(3);
      expect(log[2]).to.equal("3333:3");
    });

    it("a frozen end refuses the reference without calling the cleanup", function () {
      const b = E.evbuffer_new();
      E.evbuffer_freeze(b, 0);
      let called = 0;
      expect(E.evbuffer_add_reference(b, "x", 1, () => called++, null)).to.equal(-1);
      E.evbuffer_free(b);
      expect(called).to.equal(0);
    });

    it("a zero-length reference is an empty chunk; the cleanup still runs", function () {
      const b = E.evbuffer_new();
      let n = -1;
      E.evbuffer_add_reference(b, "", 0, (_d, len) => (n = len), null);
      expect(E.evbuffer_get_length(b)).to.equal(0);
      E.evbuffer_free(b);
      expect(n).to.equal(0);
    });
  });

  describe("add_buffer_reference (multicast)", function () {
    it("shares chunks read-only; each buffer drains independently (regress 'multicast')", function () {
      const chunk1 = "If you have found the answer to such a problem";
      const chunk2 = "you ought to write it up for publication";
      const buf1 = E.evbuffer_new();
      const buf2 = E.evbuffer_new();
      E.evbuffer_add(buf1, chunk1);
      E.evbuffer_add(buf1, ", ");
      E.evbuffer_add(buf1, chunk2);
      const len = E.evbuffer_get_length(buf1);
      expect(E.evbuffer_add_buffer_reference(buf2, buf1)).to.equal(0);
      expect(E.evbuffer_get_length(buf2)).to.equal(len);
      expect(E.evbuffer_add_buffer_reference(buf2, buf2)).to.equal(-1);
      expect(E.evbuffer_add_buffer_reference(buf1, buf2)).to.equal(-1);
      const out = new Uint8Array(16);
      expect(E.evbuffer_remove(buf1, out, 6)).to.equal(6);
      expect(Buffer.from(out.subarray(0, 6)).toString()).to.equal("If you");
      expect(E.evbuffer_remove(buf2, out, 11)).to.equal(11);
      expect(Buffer.from(out.subarray(0, 11)).toString()).to.equal("If you have");
      expect(E.evbuffer_remove(buf1, out, 5)).to.equal(5);
      E.evbuffer_prepend(buf1, "I have ", 7);
      E.evbuffer_prepend(buf2, "xyz", 3);
      expect(str(buf1).slice(0, 12)).to.equal("I have  foun");
      expect(str(buf2).slice(0, 8)).to.equal("xyz foun");
      E.evbuffer_add(buf1, "!");
      expect(str(buf2).endsWith("publication")).to.equal(true);
      E.evbuffer_free(buf1);
      expect(str(buf2).slice(3, 9)).to.equal(" found");
      E.evbuffer_drain(buf2, SIZE_MAX);
    });

    it("draining one side leaves the other (regress 'multicast_drain')", function () {
      const buf1 = withBuf("a chunk of data");
      const buf2 = E.evbuffer_new();
      E.evbuffer_add_buffer_reference(buf2, buf1);
      E.evbuffer_drain(buf1, E.evbuffer_get_length(buf1));
      expect(E.evbuffer_get_length(buf2)).to.equal(15);
      E.evbuffer_drain(buf2, E.evbuffer_get_length(buf2));
      expect(E.evbuffer_get_length(buf2)).to.equal(0);
    });

    it("the reference cleanup of a shared chunk waits for both buffers", function () {
      const log: string[] = [];
      const a = E.evbuffer_new();
      const b = E.evbuffer_new();
      E.evbuffer_add_reference(a, "shared", 6, () => log.push("cleanup"), null);
      E.evbuffer_add_buffer_reference(b, a);
      E.evbuffer_free(a);
      expect(log).to.deep.equal([]);
      E.evbuffer_drain(b, 3);
      expect(log).to.deep.equal([]);
      E.evbuffer_drain(b, 3);
      expect(log).to.deep.equal(["cleanup"]);
    });

    it("pulling up a shared chunk in place does not touch the other buffer's bytes", function () {
      const src = E.evbuffer_new();
      E.evbuffer_add(src, "0123456789");
      const a = E.evbuffer_new();
      const b = E.evbuffer_new();
      E.evbuffer_add_buffer_reference(a, src);
      E.evbuffer_add_buffer_reference(b, src);
      E.evbuffer_add(a, "AAAAA");
      E.evbuffer_add(b, "BBBBB");
      expect(E.evbuffer_pullup(a, 15)!.toString()).to.equal("0123456789AAAAA");
      expect(E.evbuffer_pullup(b, 15)!.toString()).to.equal("0123456789BBBBB");
      E.evbuffer_add(src, "S");
      expect(E.evbuffer_pullup(src, -1)!.toString()).to.equal("0123456789S");
      expect(str(a)).to.equal("0123456789AAAAA");
      expect(chunks(a)).to.deep.equal([15]); // in place, as libevent lays it out
    });

    it("an empty source gives 0; a frozen destination end gives -1", function () {
      const a = E.evbuffer_new();
      const b = withBuf("x");
      expect(E.evbuffer_add_buffer_reference(a, E.evbuffer_new())).to.equal(0);
      E.evbuffer_freeze(a, 0);
      expect(E.evbuffer_add_buffer_reference(a, b)).to.equal(-1);
    });
  });

  describe("reserve and commit", function () {
    it("two-vector cases (regress 'reserve2')", function () {
      const buf = E.evbuffer_new();
      const v: evbuffer_iovec[] = [
        { iov_base: null, iov_len: 0 },
        { iov_base: null, iov_len: 0 },
      ];
      expect(E.evbuffer_reserve_space(buf, 1024, v, 2)).to.equal(1);
      expect(E.evbuffer_get_length(buf)).to.equal(0);
      expect(v[0].iov_len).to.be.at.least(1024);
      v[0].iov_base!.fill(0x58, 0, 512);
      const cp = v[0].iov_base!;
      let remaining = v[0].iov_len - 512;
      v[0].iov_len = 512;
      expect(E.evbuffer_commit_space(buf, v, 1)).to.equal(0);
      expect(E.evbuffer_get_length(buf)).to.equal(512);
      const same = (p: Uint8Array | null, off: number) =>
        p !== null && p.buffer === cp.buffer && p.byteOffset === cp.byteOffset + off;

      expect(E.evbuffer_reserve_space(buf, 32, v, 2)).to.equal(1);
      expect(same(v[0].iov_base, 512)).to.equal(true);
      expect(v[0].iov_len).to.equal(remaining);
      v[0].iov_base!.fill(0x59, 0, 8);
      v[0].iov_len = 8;
      expect(E.evbuffer_commit_space(buf, v, 1)).to.equal(0);
      remaining -= 8;

      expect(E.evbuffer_reserve_space(buf, remaining + 64, v, 2)).to.equal(2);
      expect(same(v[0].iov_base, 520)).to.equal(true);
      expect(v[0].iov_len).to.equal(remaining);
      expect(v[1].iov_len).to.be.at.least(64);
      const cp2 = v[1].iov_base!;
      v[0].iov_base![0] = 0x5a;
      v[0].iov_len = 1;
      expect(E.evbuffer_commit_space(buf, v, 1)).to.equal(0);
      expect(E.evbuffer_get_length(buf)).to.equal(521);
      remaining -= 1;

      expect(E.evbuffer_reserve_space(buf, remaining + 64, v, 2)).to.equal(2);
      expect(same(v[0].iov_base, 521)).to.equal(true);
      expect(v[1].iov_base!.byteOffset).to.equal(cp2.byteOffset);
      v[0].iov_base!.fill(0x57, 0, 400);
      v[0].iov_len = 400;
      v[1].iov_base!.fill(0x78, 0, 60);
      v[1].iov_len = 60;
      expect(E.evbuffer_commit_space(buf, v, 2)).to.equal(0);
      expect(E.evbuffer_get_length(buf)).to.equal(981);

      const pv: evbuffer_iovec[] = [];
      expect(E.evbuffer_peek(buf, -1, null, pv, 2)).to.equal(2);
      expect([pv[0].iov_len, pv[1].iov_len]).to.deep.equal([921, 60]);
      const s = Buffer.from(pv[0].iov_base!).toString("latin1");
      expect(s).to.equal("X".repeat(512) + "Y".repeat(8) + "Z" + "W".repeat(400));
      expect(Buffer.from(pv[1].iov_base!).toString("latin1")).to.equal("x".repeat(60));
    });

    it("reserving again before commit returns the same space; no length change", function () {
      const b = withBuf("abc");
      const v1: evbuffer_iovec[] = [];
      const v2: evbuffer_iovec[] = [];
      expect(E.evbuffer_reserve_space(b, 100, v1, 1)).to.equal(1);
      expect(E.evbuffer_reserve_space(b, 100, v2, 1)).to.equal(1);
      expect(v1[0].iov_base!.byteOffset).to.equal(v2[0].iov_base!.byteOffset);
      expect(E.evbuffer_get_length(b)).to.equal(3);
    });

    it("commit fails for foreign memory, a too long extent, a frozen end; 0 vectors is 0", function () {
      const b = E.evbuffer_new();
      const v: evbuffer_iovec[] = [];
      E.evbuffer_reserve_space(b, 10, v, 1);
      expect(
        E.evbuffer_commit_space(b, [{ iov_base: new Uint8Array(10), iov_len: 1 }], 1),
      ).to.equal(-1);
      expect(E.evbuffer_commit_space(b, [{ iov_base: v[0].iov_base, iov_len: 1e8 }], 1)).to.equal(
        -1,
      );
      expect(E.evbuffer_commit_space(b, [{ iov_base: null, iov_len: 0 }], 1)).to.equal(-1);
      // The book's "do not modify iov_base" example: a C string literal is foreign memory too.
      const data = "Here is some data";
      E.evbuffer_reserve_space(b, data.length, v, 1);
      v[0].iov_base = data as never;
      v[0].iov_len = data.length;
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(-1);
      E.evbuffer_reserve_space(b, 10, v, 1);
      expect(E.evbuffer_commit_space(b, v, 0)).to.equal(0);
      v[0].iov_len = 0;
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(0);
      E.evbuffer_freeze(b, 0);
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(-1);
      expect(E.evbuffer_get_length(b)).to.equal(0);
    });

    it("n_vec 0, a frozen end and a huge or negative size give -1", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_reserve_space(b, 10, [], 0)).to.equal(-1);
      expect(E.evbuffer_reserve_space(b, -1, [], 1)).to.equal(-1);
      expect(E.evbuffer_reserve_space(b, 2 ** 62, [], 2)).to.equal(-1);
      E.evbuffer_freeze(b, 0);
      expect(E.evbuffer_reserve_space(b, 10, [], 1)).to.equal(-1);
    });

    it("reserve_with_empty: 'a', reserve 2 extents, commit 'b' in the first, add 'c'", function () {
      const b = withBuf("a");
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_reserve_space(b, 4096, v, 2)).to.equal(2);
      v[0].iov_base![0] = 0x62;
      v[0].iov_len = 1;
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(0);
      E.evbuffer_add(b, "c");
      expect(str(b)).to.equal("abc");
    });

    it("reserve_invalid_last_with_datap: empty reference, prepend, empty add, reserve, commit 0", function () {
      const b = E.evbuffer_new();
      E.evbuffer_add_reference(b, "", 0, null, null);
      E.evbuffer_prepend(b, "foo", 3);
      E.evbuffer_add(b, "", 0);
      const v: evbuffer_iovec[] = [{ iov_base: null, iov_len: 0 }];
      expect(E.evbuffer_reserve_space(b, 4096, v, 1)).to.be.at.least(1);
      v[0].iov_len = 0;
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(0);
      expect(E.evbuffer_reserve_space(b, 8192, v, 1)).to.be.at.least(1);
      expect(str(b)).to.equal("foo");
    });
  });

  describe("expand", function () {
    it("expand(20000) on an empty buffer: 0, length 0; huge sizes fail cleanly", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_expand(b, 20000)).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(0);
      const c = withBuf("1");
      expect(E.evbuffer_expand(c, 2 ** 63)).to.equal(-1);
      expect(E.evbuffer_expand(c, SIZE_MAX)).to.equal(-1);
      expect(str(c)).to.equal("1");
      const v: evbuffer_iovec[] = [];
      E.evbuffer_expand(c, 5000);
      E.evbuffer_reserve_space(c, 5000, v, 1);
      expect(v[0].iov_len).to.be.at.least(5000);
    });
  });

  describe("pullup", function () {
    it("returns a view of the first size bytes, made contiguous", function () {
      const b = withBuf("abc", "defg", "hi");
      expect(chunks(b)).to.deep.equal([9]);
      const c = E.evbuffer_new();
      for (const s of ["abc", "defg", "hi"]) E.evbuffer_add_buffer(c, withBuf(s));
      expect(chunks(c)).to.deep.equal([3, 4, 2]);
      expect(E.evbuffer_pullup(c, 2)!.toString()).to.equal("ab");
      const p = E.evbuffer_pullup(c, 5)!;
      expect(p.toString()).to.equal("abcde");
      expect(Buffer.isBuffer(p)).to.equal(true);
      expect(chunks(c)).to.deep.equal([5, 2, 2]);
      expect(E.evbuffer_pullup(c, -1)!.toString()).to.equal("abcdefghi");
      expect(chunks(c)).to.deep.equal([9]);
      expect(E.evbuffer_pullup(c, 10)).to.equal(null);
      expect(E.evbuffer_pullup(c, 0)).to.equal(null);
    });

    it("with an empty reference at the end; an empty buffer gives null (regress 'pullup_with_empty')", function () {
      const b = withBuf("foo");
      E.evbuffer_add_reference(b, "", 0, null, null);
      expect(E.evbuffer_pullup(b, -1)!.toString()).to.equal("foo");
      expect(E.evbuffer_pullup(b, 3)!.toString()).to.equal("foo");
      expect(E.evbuffer_pullup(E.evbuffer_new(), -1)).to.equal(null);
    });

    it("never runs callbacks and never changes the length", function () {
      const b = E.evbuffer_new();
      E.evbuffer_add_buffer(b, withBuf("abc"));
      E.evbuffer_add_buffer(b, withBuf("def"));
      let calls = 0;
      E.evbuffer_add_cb(b, () => calls++, null);
      E.evbuffer_pullup(b, -1);
      E.evbuffer_expand(b, 100);
      E.evbuffer_copyout(b, new Uint8Array(3), 3);
      E.evbuffer_peek(b, -1, null, null, 0);
      E.evbuffer_search(b, "c", 1, null);
      E.evbuffer_ptr_set(b, { pos: 0 }, 2, E.EVBUFFER_PTR_SET);
      expect(calls).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(6);
    });
  });

  describe("readln", function () {
    it("EOL_ANY (regress 'readln')", function () {
      const b = withBuf("complex silly newline\r\n\n\r\n\n\rmore\0\n");
      expect(readln(b, E.EVBUFFER_EOL_ANY)).to.equal("complex silly newline");
      const n = { value: 0 };
      const l = E.evbuffer_readln(b, n, E.EVBUFFER_EOL_ANY)!;
      expect(n.value).to.equal(5);
      expect(l).to.deep.equal(Buffer.from("more\0"));
      expect(readln(b, E.EVBUFFER_EOL_ANY)).to.equal(null);
      const c = withBuf("\nno newline");
      expect(readln(c, E.EVBUFFER_EOL_ANY)).to.equal("");
      expect(readln(c, E.EVBUFFER_EOL_ANY)).to.equal(null);
      const d = withBuf("a\r\n\r\nb\n\n\nc\r");
      expect([0, 1, 2, 3].map(() => readln(d, E.EVBUFFER_EOL_ANY))).to.deep.equal([
        "a",
        "b",
        "c",
        null,
      ]);
    });

    it("EOL_CRLF", function () {
      const b = withBuf("Line with\rin the middle\nLine with good crlf\r\n\nfinal\n");
      const got = [0, 1, 2, 3].map(() => readln(b, E.EVBUFFER_EOL_CRLF));
      expect(got).to.deep.equal(["Line with\rin the middle", "Line with good crlf", "", "final"]);
      E.evbuffer_add(b, "x");
      expect(readln(b, E.EVBUFFER_EOL_CRLF)).to.equal(null);
      expect(str(b)).to.equal("x");
      const c = withBuf("x\r\r\ny\rz\n");
      expect([readln(c, E.EVBUFFER_EOL_CRLF), readln(c, E.EVBUFFER_EOL_CRLF)]).to.deep.equal([
        "x\r",
        "y\rz",
      ]);
    });

    it("EOL_CRLF_STRICT, also with \\r and \\n in different chunks", function () {
      const b = withBuf("x and a bad crlf\nand a good one\r\n\r\nMore\r");
      expect(readln(b, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("x and a bad crlf\nand a good one");
      expect(readln(b, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("");
      expect(readln(b, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal(null);
      E.evbuffer_add(b, "\n");
      expect(readln(b, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("More");
      expect(E.evbuffer_get_length(b)).to.equal(0);
      const c = withBuf("An internal CR\r is not an eol\r\nNor is a lack of one");
      expect(readln(c, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("An internal CR\r is not an eol");
      expect(readln(c, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal(null);
      E.evbuffer_add(c, "\r\n");
      expect(readln(c, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("Nor is a lack of one");
      // across chunk boundaries: "\r" ends one chunk, "\n" starts the next
      const d = E.evbuffer_new();
      E.evbuffer_add_buffer(d, withBuf("first line\r"));
      E.evbuffer_add_buffer(d, withBuf("\nsecond\r"));
      E.evbuffer_add_buffer(d, withBuf("\n"));
      expect(chunks(d)).to.deep.equal([11, 8, 1]);
      expect(readln(d, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("first line");
      expect(readln(d, E.EVBUFFER_EOL_CRLF_STRICT)).to.equal("second");
      const e = E.evbuffer_new();
      E.evbuffer_add_buffer(e, withBuf("split\r"));
      E.evbuffer_add_buffer(e, withBuf("\n"));
      expect(readln(e, E.EVBUFFER_EOL_CRLF)).to.equal("split");
      expect(E.evbuffer_get_length(e)).to.equal(0);
    });

    it("EOL_LF and EOL_NUL", function () {
      const b = withBuf("An\rand a nl\n\nText");
      expect([
        readln(b, E.EVBUFFER_EOL_LF),
        readln(b, E.EVBUFFER_EOL_LF),
        readln(b, E.EVBUFFER_EOL_LF),
      ]).to.deep.equal(["An\rand a nl", "", null]);
      E.evbuffer_add(b, "\n");
      expect(readln(b, E.EVBUFFER_EOL_LF)).to.equal("Text");
      const c = withBuf(
        "NUL\n\0\0The all-zeros character which may serve\0to accomplish time fill\0and media fill",
      );
      const got = [0, 1, 2, 3, 4].map(() => readln(c, E.EVBUFFER_EOL_NUL));
      expect(got).to.deep.equal([
        "NUL\n",
        "",
        "The all-zeros character which may serve",
        "to accomplish time fill",
        null,
      ]);
    });

    it("an invalid style, a frozen start and no EOL give null and leave the buffer intact", function () {
      const b = withBuf("line\n");
      expect(readln(b, 17)).to.equal(null);
      E.evbuffer_freeze(b, 1);
      expect(readln(b, E.EVBUFFER_EOL_LF)).to.equal(null);
      E.evbuffer_unfreeze(b, 1);
      expect(str(b)).to.equal("line\n");
      expect(E.evbuffer_readln(b, null, E.EVBUFFER_EOL_LF)!.toString()).to.equal("line");
    });

    it("produces two callbacks: the line, then the EOL", function () {
      const b = withBuf("ab\r\ncd");
      const infos: number[][] = [];
      E.evbuffer_add_cb(b, (_b, i) => infos.push([i.orig_size, i.n_added, i.n_deleted]), null);
      readln(b, E.EVBUFFER_EOL_CRLF);
      expect(infos).to.deep.equal([
        [6, 0, 2],
        [4, 0, 2],
      ]);
    });

    it("evbuffer_readline (compat) is EOL_ANY", function () {
      const b = withBuf("l1\r\nl2\n");
      expect(evbuffer_readline(b)!.toString()).to.equal("l1");
      expect(E.evbuffer_get_length(b)).to.equal(3);
      expect(evbuffer_readline(b)!.toString()).to.equal("l2");
      expect(evbuffer_readline(b)).to.equal(null);
    });
  });

  describe("search, search_range, search_eol, ptr_set", function () {
    function searchBuf(): Evbuffer {
      const b = E.evbuffer_new();
      for (const s of ["hello", "foo", "cat", "attack"]) E.evbuffer_add_buffer(b, withBuf(s));
      return b;
    }

    it("search (regress 'search')", function () {
      const b = searchBuf();
      const s = (what: string, start: evbuffer_ptr | null = null) =>
        E.evbuffer_search(b, what, what.length, start);
      expect(s("attack").pos).to.equal(11);
      expect(s("attacker").pos).to.equal(-1);
      const p = s("oc");
      expect(p.pos).to.equal(7);
      expect(s("cat", p).pos).to.equal(8);
      expect(s("tacking").pos).to.equal(-1);
      expect(s("foo", ptr(b, 5)).pos).to.equal(5);
      expect(s("tat", ptr(b, 7)).pos).to.equal(10);
      expect(E.evbuffer_search(b, "", 0, null).pos).to.equal(0);
      expect(E.evbuffer_search(b, "", 0, ptr(b, 9)).pos).to.equal(9);
      const e = E.evbuffer_new();
      expect(E.evbuffer_search(e, "x", 1, null).pos).to.equal(-1);
      expect(E.evbuffer_search_range(e, "x", 1, null, ptr(e, 0)).pos).to.equal(-1);
    });

    it("search_range counts only matches ending by `end`", function () {
      const b = searchBuf();
      const r = (what: string, start: evbuffer_ptr | null, end: number) =>
        E.evbuffer_search_range(b, what, what.length, start, ptr(b, end)).pos;
      expect(r("foo", null, 12)).to.equal(5);
      expect(r("foocata", null, 12)).to.equal(5);
      expect(r("foocatat", null, 12)).to.equal(-1);
      expect(r("ack", null, 12)).to.equal(-1);
      expect(r("attack", null, 17)).to.equal(11);
      expect(r("attack", ptr(b, 11), 17)).to.equal(11);
      expect(r("attack", ptr(b, 17), 17)).to.equal(-1);
    });

    it("search results are new evbuffer_ptr objects usable as starts", function () {
      const b = withBuf("a,b,c,d");
      const found: number[] = [];
      let p = E.evbuffer_search(b, ",", 1, null);
      while (p.pos >= 0) {
        found.push(p.pos);
        E.evbuffer_ptr_set(b, p, 1, E.EVBUFFER_PTR_ADD);
        p = E.evbuffer_search(b, ",", 1, p);
      }
      expect(found).to.deep.equal([1, 3, 5]);
    });

    it("search_eol positions and lengths (regress 'search_eol')", function () {
      const b = withBuf("string! \r\n\r\nx\n");
      const eol = (start: number | null, style: number) => {
        const n = { value: 99 };
        const p = E.evbuffer_search_eol(b, start === null ? null : ptr(b, start), n, style);
        return [p.pos, n.value];
      };
      expect(eol(null, E.EVBUFFER_EOL_CRLF)).to.deep.equal([8, 2]);
      expect(eol(8, E.EVBUFFER_EOL_CRLF)).to.deep.equal([8, 2]);
      expect(eol(9, E.EVBUFFER_EOL_CRLF)).to.deep.equal([9, 1]);
      expect(eol(9, E.EVBUFFER_EOL_CRLF_STRICT)).to.deep.equal([10, 2]);
      expect(eol(null, E.EVBUFFER_EOL_LF)).to.deep.equal([9, 1]);
      expect(eol(10, E.EVBUFFER_EOL_LF)).to.deep.equal([11, 1]);
      expect(eol(null, E.EVBUFFER_EOL_ANY)).to.deep.equal([8, 4]);
      expect(eol(14, E.EVBUFFER_EOL_LF)).to.deep.equal([-1, 0]);
      expect(eol(null, 9)).to.deep.equal([-1, 0]);
      expect(E.evbuffer_search_eol(b, null, null, E.EVBUFFER_EOL_NUL).pos).to.equal(-1);
    });

    it("ptr_set (regress 'ptr_set')", function () {
      const e = E.evbuffer_new();
      const p: evbuffer_ptr = { pos: 0 };
      expect(E.evbuffer_ptr_set(e, p, 0, E.EVBUFFER_PTR_SET)).to.equal(0);
      expect(E.evbuffer_ptr_set(e, p, 1, E.EVBUFFER_PTR_ADD)).to.equal(-1);
      expect(p.pos).to.equal(-1);
      expect(E.evbuffer_ptr_set(e, p, 1, E.EVBUFFER_PTR_SET)).to.equal(-1);
      const b = E.evbuffer_new();
      for (const n of [5000, 4000, 3000]) {
        const v: evbuffer_iovec[] = [];
        E.evbuffer_reserve_space(b, n, v, 1);
        v[0].iov_base!.fill(0x61, 0, n);
        v[0].iov_len = n;
        E.evbuffer_commit_space(b, v, 1);
      }
      expect(E.evbuffer_get_length(b)).to.equal(12000);
      expect(E.evbuffer_ptr_set(b, p, 13000, E.EVBUFFER_PTR_SET)).to.equal(-1);
      expect(p.pos).to.equal(-1);
      expect(E.evbuffer_ptr_set(b, p, 0, E.EVBUFFER_PTR_SET)).to.equal(0);
      for (const n of [10000, 1000, 1000])
        expect(E.evbuffer_ptr_set(b, p, n, E.EVBUFFER_PTR_ADD)).to.equal(0);
      expect(p.pos).to.equal(12000);
      expect(E.evbuffer_ptr_set(b, p, 1000, E.EVBUFFER_PTR_ADD)).to.equal(-1);
      expect(p.pos).to.equal(-1);
      expect(E.evbuffer_ptr_set(b, p, 1, E.EVBUFFER_PTR_ADD)).to.equal(-1);
    });

    it("a ptr is recomputed from pos after the buffer changes", function () {
      const b = withBuf("0123456789");
      const p = ptr(b, 5);
      E.evbuffer_prepend(b, "ab");
      const out = new Uint8Array(3);
      expect(E.evbuffer_copyout_from(b, p, out, 3)).to.equal(3);
      expect(Buffer.from(out).toString()).to.equal("345");
      expect(E.evbuffer_search(b, "9", 1, { pos: 0 }).pos).to.equal(11);
    });

    it("evbuffer_find (compat) pulls up through the match (regress 'find')", function () {
      const b = withBuf("1234567890\r\n");
      E.evbuffer_drain(b, 12);
      E.evbuffer_add(b, "1234567890\r");
      expect(evbuffer_find(b, "\r\n", 2)).to.equal(null);
      E.evbuffer_drain(b, SIZE_MAX);
      E.evbuffer_add(b, "a".repeat(255) + "x");
      expect(evbuffer_find(b, "xy", 2)).to.equal(null);
      const f = evbuffer_find(b, "ax", 2)!;
      expect(f.subarray(0, 2).toString()).to.equal("ax");
      const base = E.evbuffer_pullup(b, 1)!;
      expect(f.byteOffset - base.byteOffset).to.equal(254);
    });
  });

  describe("peek", function () {
    function peekBuf(): Evbuffer {
      const b = E.evbuffer_new();
      const tmp = E.evbuffer_new();
      for (let i = 0; i < 16; i++) {
        E.evbuffer_add_printf(tmp, "Contents of chunk [%d]\n", i);
        E.evbuffer_add_buffer(b, tmp);
      }
      return b;
    }

    it("counts extents by chunk (regress 'peek')", function () {
      const b = peekBuf();
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_peek(b, -1, null, null, 0)).to.equal(16);
      expect(E.evbuffer_peek(b, -1, null, v, 20)).to.equal(16);
      expect(v.slice(0, 16).map((x) => x.iov_len)).to.deep.equal([
        ...Array(10).fill(22),
        ...Array(6).fill(23),
      ]);
      expect(Buffer.from(v[3].iov_base!).toString()).to.equal("Contents of chunk [3]\n");
      expect(E.evbuffer_peek(b, -1, null, v, 1)).to.equal(1);
      expect(E.evbuffer_peek(b, 40, null, v, 16)).to.equal(2);
      expect(E.evbuffer_peek(b, 100, null, null, 0)).to.equal(5);
      const one = [
        { iov_base: null, iov_len: 0 },
        { iov_base: null, iov_len: 999 },
      ];
      expect(E.evbuffer_peek(b, 60, null, one, 1)).to.equal(3);
      expect(one[1].iov_len).to.equal(999);
      expect(E.evbuffer_peek(b, 65536, null, v, 20)).to.equal(16);
      expect(E.evbuffer_peek(E.evbuffer_new(), -1, null, v, 20)).to.equal(0);
      const p = ptr(b, 30);
      expect(E.evbuffer_peek(b, 50, p, v, 20)).to.equal(3);
      expect(Buffer.from(v[0].iov_base!.subarray(0, v[0].iov_len)).toString()).to.equal(
        " of chunk [1]\n",
      );
      expect(E.evbuffer_peek(b, 44, ptr(b, 44), v, 20)).to.equal(2);
      expect(E.evbuffer_peek(b, 10, ptr(b, E.evbuffer_get_length(b)), v, 20)).to.equal(0);
    });

    it("peek_first_gt (chunks of 22 and 20 bytes)", function () {
      const b = E.evbuffer_new();
      E.evbuffer_add_buffer(b, withBuf("Contents of chunk [0]\n"));
      E.evbuffer_add_buffer(b, withBuf("Contents of chunk [1]"));
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_peek(b, -1, ptr(b, 0), v, 2)).to.equal(2);
      expect(E.evbuffer_peek(b, -1, ptr(b, 20), v, 2)).to.equal(2);
      expect(E.evbuffer_peek(b, 2, ptr(b, 20), v, 2)).to.equal(1);
      expect(E.evbuffer_peek(b, 3, ptr(b, 20), v, 2)).to.equal(2);
    });

    it("iov_base views the chain's own memory", function () {
      const b = withBuf("abcdef");
      const v: evbuffer_iovec[] = [];
      E.evbuffer_peek(b, -1, null, v, 1);
      v[0].iov_base![0] = 0x41;
      expect(str(b)).to.equal("Abcdef");
    });
  });

  describe("engine methods for the library's own I/O", function () {
    it("appendChunk links a chunk over a socket read's Buffer without copying, ignoring freezes, and reports the addition", function () {
      const b = E.evbuffer_new();
      const infos: number[][] = [];
      E.evbuffer_add_cb(b, (_b, i) => infos.push([i.orig_size, i.n_added, i.n_deleted]), null);
      E.evbuffer_freeze(b, 0);
      const got = Buffer.from("from the socket");
      b.appendChunk(ownedChunk(got));
      const v: evbuffer_iovec[] = [];
      E.evbuffer_peek(b, -1, null, v, 1);
      expect(v[0].iov_base!.buffer).to.equal(got.buffer);
      expect(v[0].iov_base!.byteOffset).to.equal(got.byteOffset);
      expect(infos).to.deep.equal([[0, 15, 0]]);
      expect(b.length).to.equal(15);
    });

    it("chunkViews hands out views of the first chunks; consume drains ignoring freezes", function () {
      const b = E.evbuffer_new();
      E.evbuffer_add_buffer(b, withBuf("abc"));
      E.evbuffer_add_buffer(b, withBuf("defgh"));
      const out: Uint8Array[] = [];
      expect(b.chunkViews(6, out, 8)).to.equal(2);
      expect(out.map((x) => Buffer.from(x).toString())).to.deep.equal(["abc", "def"]);
      E.evbuffer_freeze(b, 1);
      b.consume(4);
      expect(str(b)).to.equal("efgh");
      expect(E.evbuffer_drain(b, 1)).to.equal(-1);
    });

    it("a view handed out stays intact after its bytes are drained and the memory reused", function () {
      // enough chunks to own whole slabs of memory, which would otherwise be reused
      const b = E.evbuffer_new();
      for (let i = 0; i < 300; i++) E.evbuffer_add(b, Buffer.alloc(4000, "a"));
      const views: Uint8Array[] = [];
      expect(b.chunkViews(b.length, views, 1000)).to.be.greaterThan(290);
      b.consume(b.length);
      for (let i = 0; i < 300; i++) E.evbuffer_add(b, Buffer.alloc(4000, "z"));
      expect(views.every((v) => v.every((x) => x === 0x61))).to.equal(true);
    });

    it("ioAdd and ioMoveFrom ignore freezes and leave them as they were", function () {
      const out = withBuf("0123456789");
      const inp = E.evbuffer_new();
      E.evbuffer_freeze(out, 1);
      E.evbuffer_freeze(inp, 0);
      expect(inp.ioMoveFrom(out, 4)).to.equal(4);
      expect(inp.ioMoveFrom(out, 100)).to.equal(6);
      expect(inp.ioAdd(Buffer.from("!"))).to.equal(0);
      expect(str(inp)).to.equal("0123456789!");
      expect([out.freezeStart, inp.freezeEnd]).to.deep.equal([true, true]);
      expect(E.evbuffer_add(inp, "x")).to.equal(-1);
      expect(out.remove(new Uint8Array(1), 1)).to.equal(0);
    });
  });

  describe("C's data pointers: NULL with size 0, a string literal's NUL", function () {
    it("NULL data with size 0 adds nothing and succeeds (an empty reference keeps its cleanup)", function () {
      const b = withBuf("foo");
      const seen: unknown[] = [];
      const cleanup = (d: unknown, n: number, arg: unknown) => seen.push(d, n, arg);
      expect(E.evbuffer_add_reference(b, null as never, 0, cleanup, "tag")).to.equal(0);
      expect(E.evbuffer_add(b, null as never, 0)).to.equal(0);
      expect(E.evbuffer_prepend(b, null as never, 0)).to.equal(0);
      expect(E.evbuffer_get_length(b)).to.equal(3);
      expect(E.evbuffer_pullup(b, -1)!.toString()).to.equal("foo");
      E.evbuffer_free(b);
      expect(seen).to.deep.equal([null, 0, "tag"]);
      expect(() => E.evbuffer_add(E.evbuffer_new(), null as never, 1)).to.throw(
        TypeError,
        /'data_in'/,
      );
    });

    it("prepend and add_reference take a literal's NUL too; the cleanup gets the string back", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_prepend(b, "<", 2)).to.equal(0);
      const refs: unknown[] = [];
      expect(E.evbuffer_add_reference(b, "cd", 3, (d, n) => refs.push(d, n), null)).to.equal(0);
      expect([...content(b)]).to.deep.equal([0x3c, 0, 0x63, 0x64, 0]);
      E.evbuffer_drain(b, 5);
      expect(refs).to.deep.equal(["cd", 3]);
      expect(() => E.evbuffer_add_reference(b, "cd", 4, null, null)).to.throw(
        RangeError,
        /'datlen' is 4/,
      );
    });
  });

  describe("freezing (regress 'freeze' start and end)", function () {
    const text = "Hello world\nline 2\n";
    function frozen(atFront: number): { b: Evbuffer; tmp: Evbuffer } {
      const b = withBuf(text);
      const tmp = withBuf("tmp data\n");
      E.evbuffer_freeze(b, atFront);
      return { b, tmp };
    }

    it("a frozen start refuses drain, remove, copyout, readln, prepend and moves out", function () {
      const { b, tmp } = frozen(1);
      const out = new Uint8Array(10);
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_add(b, "", 0)).to.equal(0);
      expect(E.evbuffer_reserve_space(b, 10, v, 1)).to.equal(1);
      v[0].iov_len = 0;
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(0);
      expect(E.evbuffer_add_reference(b, "x", 1, null, null)).to.equal(0);
      expect(E.evbuffer_add_printf(b, "Hello %s", "world")).to.equal(11);
      expect(E.evbuffer_add_buffer(b, withBuf("z"))).to.equal(0);
      expect(E.evbuffer_remove(b, out, 1)).to.equal(-1);
      expect(E.evbuffer_drain(b, 3)).to.equal(-1);
      expect(E.evbuffer_prepend(b, "A", 1)).to.equal(-1);
      expect(E.evbuffer_prepend(b, "", 0)).to.equal(0);
      expect(E.evbuffer_readln(b, null, E.EVBUFFER_EOL_LF)).to.equal(null);
      expect(E.evbuffer_copyout(b, out, 4)).to.equal(-1);
      expect(E.evbuffer_copyout_from(b, ptr(b, 2), out, 4)).to.equal(-1);
      expect(E.evbuffer_remove_buffer(b, tmp, 3)).to.equal(-1);
      expect(E.evbuffer_prepend_buffer(b, tmp)).to.equal(-1);
      expect(E.evbuffer_prepend_buffer(tmp, b)).to.equal(-1);
      expect(E.evbuffer_add_buffer(tmp, b)).to.equal(-1);
      expect(E.evbuffer_pullup(b, 3)!.toString()).to.equal("Hel");
      expect(E.evbuffer_search(b, "world", 5, null).pos).to.equal(6);
      expect(E.evbuffer_get_length(b)).to.equal(text.length + 1 + 11 + 1);
      expect(str(b).startsWith(text)).to.equal(true);
      expect(E.evbuffer_add_buffer_reference(withBuf(), b)).to.equal(0);
    });

    it("a frozen end refuses add, printf, references, reserve, commit and moves in", function () {
      const { b, tmp } = frozen(0);
      const out = new Uint8Array(10);
      const v: evbuffer_iovec[] = [];
      expect(E.evbuffer_add(b, "", 0)).to.equal(-1);
      expect(E.evbuffer_add(b, "x", 1)).to.equal(-1);
      expect(E.evbuffer_reserve_space(b, 10, v, 1)).to.equal(-1);
      expect(E.evbuffer_commit_space(b, [{ iov_base: null, iov_len: 0 }], 1)).to.equal(-1);
      expect(E.evbuffer_add_reference(b, "x", 1, null, null)).to.equal(-1);
      expect(E.evbuffer_add_printf(b, "Hello %s", "world")).to.equal(-1);
      expect(E.evbuffer_add_vprintf(b, "%d", [1])).to.equal(-1);
      expect(E.evbuffer_add_iovec(b, [{ iov_base: Buffer.from("ab"), iov_len: 2 }], 1)).to.equal(0);
      expect(E.evbuffer_add_buffer(b, tmp)).to.equal(-1);
      expect(E.evbuffer_remove_buffer(tmp, b, 3)).to.equal(-1);
      expect(E.evbuffer_add_buffer_reference(b, tmp)).to.equal(-1);
      expect(E.evbuffer_remove(b, out, 1)).to.equal(1);
      expect(E.evbuffer_drain(b, 3)).to.equal(0);
      expect(E.evbuffer_prepend(b, "A", 1)).to.equal(0);
      expect(readln(b, E.EVBUFFER_EOL_LF)).to.equal("Ao world");
      expect(E.evbuffer_remove_buffer(b, tmp, 3)).to.equal(3);
      expect(E.evbuffer_prepend_buffer(b, withBuf("pre"))).to.equal(0);
      expect(str(b)).to.equal("pree 2\n");
      expect(E.evbuffer_unfreeze(b, 0)).to.equal(0);
      expect(E.evbuffer_add(b, "x")).to.equal(0);
    });

    it("commit_space on a frozen end fails before looking at the vectors a failed reserve left unset", function () {
      const b = withBuf("abc");
      E.evbuffer_freeze(b, 0);
      const v: evbuffer_iovec[] = [{} as evbuffer_iovec];
      expect(E.evbuffer_reserve_space(b, 10, v, 1)).to.equal(-1);
      expect(E.evbuffer_commit_space(b, v, 1)).to.equal(-1);
      E.evbuffer_unfreeze(b, 0);
      expect(E.evbuffer_commit_space(b, v, 0)).to.equal(0);
      expect(str(b)).to.equal("abc");
    });

    it("drain and copyout of an empty frozen buffer succeed", function () {
      const b = E.evbuffer_new();
      E.evbuffer_freeze(b, 1);
      expect(E.evbuffer_drain(b, 5)).to.equal(0);
      expect(E.evbuffer_copyout(b, new Uint8Array(2), 2)).to.equal(0);
      expect(E.evbuffer_remove(b, new Uint8Array(2), 2)).to.equal(0);
    });
  });
});
