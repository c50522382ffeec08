// Paths of the evbuffer engine that the other suites reach only by chance:
// the search's fallback from its rare-byte scan to a plain scan (with
// needles across chunk boundaries and stale bytes past a chunk's data),
// evbuffer_add_printf writing up to the last bytes of the tail chunk's free
// space (and one byte past it), and add_printf into chunks whose memory is
// their own or not writable. Chain layouts are libevent 2.1.12's, checked
// with a C probe against Debian's libevent-dev (figures in the comments).
import { expect } from "chai";
import {
  evbuffer_add,
  evbuffer_add_buffer,
  evbuffer_add_printf,
  evbuffer_add_reference,
  evbuffer_commit_space,
  evbuffer_copyout,
  evbuffer_copyout_from,
  evbuffer_drain,
  evbuffer_free,
  evbuffer_get_contiguous_space,
  evbuffer_get_length,
  evbuffer_new,
  evbuffer_peek,
  evbuffer_ptr_set,
  evbuffer_reserve_space,
  evbuffer_search,
  evbuffer_search_range,
  EVBUFFER_PTR_SET,
} from "../src/event2/buffer.js";
import type { Evbuffer, evbuffer_iovec, evbuffer_ptr } from "../src/event2/buffer.js";
import { ownedChunk } from "../src/core/chunk.js";

const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");

/** All bytes of the buffer (not drained). */
function bytes(buf: Evbuffer): Buffer {
  const out = Buffer.alloc(evbuffer_get_length(buf));
  expect(evbuffer_copyout(buf, out, out.length)).to.equal(out.length);
  return out;
}

/** The chain as evbuffer_peek shows it: the extent of each chunk. */
function extents(buf: Evbuffer): number[] {
  const v: evbuffer_iovec[] = [];
  const n = evbuffer_peek(buf, -1, null, v, 16);
  return v.slice(0, n).map((e) => e.iov_len);
}

/** A buffer holding `parts`, one chunk each (moved in with evbuffer_add_buffer). */
function chained(...parts: Buffer[]): Evbuffer {
  const buf = evbuffer_new();
  for (const p of parts) {
    const one = evbuffer_new();
    evbuffer_add(one, p);
    evbuffer_add_buffer(buf, one);
    evbuffer_free(one);
  }
  expect(extents(buf)).to.deep.equal(parts.map((p) => p.length));
  return buf;
}

/** Writes `stale` into the free space after the data, then commits none of it. */
function leaveStaleBytes(buf: Evbuffer, stale: Buffer): void {
  const v: evbuffer_iovec[] = [{ iov_base: null, iov_len: 0 }];
  expect(evbuffer_reserve_space(buf, stale.length, v, 1)).to.equal(1);
  v[0].iov_base!.set(stale);
  v[0].iov_len = 0;
  expect(evbuffer_commit_space(buf, v, 1)).to.equal(0);
}

/** Search result, checked against the bytes found there. */
function search(buf: Evbuffer, needle: Buffer, start: evbuffer_ptr | null = null): number {
  const p = evbuffer_search(buf, needle, needle.length, start);
  if (p.pos >= 0) {
    const got = Buffer.alloc(needle.length);
    expect(evbuffer_copyout_from(buf, p, got, got.length)).to.equal(needle.length);
    expect(got.equals(needle)).to.equal(true);
  }
  return p.pos;
}

describe("evbuffer paths", function () {
  describe("evbuffer_search when the rare-byte scan falls back to a plain scan", function () {
    // The needle's rarest byte is '#'; in "x#x#..." it hits every other byte
    // without a match, so after a few misses the rest of the chunk is scanned
    // for the whole needle at once.
    const needle = latin1("a#b#");
    const noise = (n: number): string => "x#".repeat(n / 2);

    it("finds the needle past many misses, in a chunk with room and in a nearly full one", function () {
      const text = latin1(noise(400) + "a#b#" + noise(100)); // 504 bytes: 472 free in a 976 chunk
      for (const extra of [0, 460]) {
        // extra 460: 12 bytes free, few enough for the scan to run on into them
        const buf = evbuffer_new();
        evbuffer_add(buf, text);
        evbuffer_add(buf, latin1(noise(extra)));
        expect(extents(buf)).to.deep.equal([504 + extra]);
        expect(search(buf, needle)).to.equal(400);
        evbuffer_free(buf);
      }
    });

    it("ignores a match that runs into stale bytes after a chunk's data", function () {
      // 970 bytes leave 6 free in a 976 chunk; a reserve leaves the needle's
      // end there. The next chunk decides whether the needle is really there.
      const head = latin1(noise(968) + "a#");
      for (const [next, want] of [
        ["zz", -1],
        ["b#", 968],
      ] as const) {
        for (const stale of ["b#", "b#zz"]) {
          const buf = evbuffer_new();
          evbuffer_add(buf, head);
          leaveStaleBytes(buf, latin1(stale));
          const rest = chained(latin1(next + noise(400)));
          evbuffer_add_buffer(buf, rest);
          evbuffer_free(rest);
          expect(extents(buf)).to.deep.equal([970, 402]);
          expect(bytes(buf).toString("latin1")).to.equal(
            head.toString("latin1") + next + noise(400),
          );
          expect(search(buf, needle)).to.equal(want);
          evbuffer_free(buf);
        }
      }
    });

    it("finds needles across chunk boundaries, whichever part falls where", function () {
      for (let cut = 1; cut < needle.length; cut++) {
        const a = latin1(noise(300) + "a#b#".slice(0, cut));
        const b = latin1("a#b#".slice(cut) + noise(300));
        const buf = chained(a, b);
        expect(search(buf, needle)).to.equal(300);
        evbuffer_free(buf);
      }
      // Across three chunks: the middle one shorter than the needle.
      const buf = chained(latin1(noise(200) + "a"), latin1("#b"), latin1("#" + noise(200)));
      expect(search(buf, needle)).to.equal(200);
      evbuffer_free(buf);
    });

    it("respects a start inside a chunk and an end that cuts a match", function () {
      const a = latin1(noise(100) + "a#b#" + noise(100) + "a#"); // matches at 100 and 204
      const buf = chained(a, latin1("b#" + noise(100)));
      const start: evbuffer_ptr = { pos: 0 };
      expect(evbuffer_ptr_set(buf, start, 101, EVBUFFER_PTR_SET)).to.equal(0);
      expect(search(buf, needle, start)).to.equal(204);
      expect(search(buf, needle)).to.equal(100);
      const end: evbuffer_ptr = { pos: 0 };
      expect(evbuffer_ptr_set(buf, end, 207, EVBUFFER_PTR_SET)).to.equal(0);
      expect(evbuffer_search_range(buf, needle, needle.length, start, end).pos).to.equal(-1);
      expect(evbuffer_ptr_set(buf, end, 208, EVBUFFER_PTR_SET)).to.equal(0);
      expect(evbuffer_search_range(buf, needle, needle.length, start, end).pos).to.equal(204);
      evbuffer_free(buf);
    });

    it("returns -1 when nothing matches, and finds a needle made of the common byte", function () {
      const buf = chained(latin1(noise(900)), latin1(noise(900)));
      expect(search(buf, needle)).to.equal(-1);
      expect(search(buf, latin1("##"))).to.equal(-1);
      expect(search(buf, latin1("#x#x#x#x#x#x#"))).to.equal(1);
      evbuffer_free(buf);
    });
  });

  describe("evbuffer_add_printf at the end of the tail chunk's free space", function () {
    // A 976-byte chunk holding 900 bytes has 76 free; vsnprintf needs one of
    // them for its NUL, so outputs up to 75 bytes fit and 76 do not.
    // libevent 2.1.12: 72..75 -> one chunk; 76, 77 -> [900, out].
    for (const out of [72, 73, 74, 75, 76, 77]) {
      it(`a ${out}-byte output after 900 bytes`, function () {
        const buf = evbuffer_new();
        // The chunk after it in memory, which no write may touch.
        const neighbour = evbuffer_new();
        evbuffer_add(buf, Buffer.alloc(900, "a"));
        evbuffer_add(neighbour, latin1("neighbour"));
        const s = "x".repeat(out - 2);
        expect(evbuffer_add_printf(buf, "<%s>", s)).to.equal(out);
        expect(evbuffer_get_length(buf)).to.equal(900 + out);
        expect(bytes(buf).toString("latin1")).to.equal("a".repeat(900) + `<${s}>`);
        expect(extents(buf)).to.deep.equal(out <= 75 ? [900 + out] : [900, out]);
        expect(evbuffer_get_contiguous_space(buf)).to.equal(out <= 75 ? 900 + out : 900);
        expect(bytes(neighbour).toString("latin1")).to.equal("neighbour");
        evbuffer_free(buf);
        evbuffer_free(neighbour);
      });
    }

    it("integers, a string and literals ending 0-3 bytes before the end", function () {
      // The output's last literal is written a word at a time when 4 bytes
      // of room are left, byte by byte otherwise.
      for (let tail = 0; tail <= 3; tail++) {
        const buf = evbuffer_new();
        const neighbour = evbuffer_new();
        evbuffer_add(buf, Buffer.alloc(900, "a"));
        evbuffer_add(neighbour, latin1("neighbour"));
        const s = "s".repeat(62 - tail); // 13 + 62 - tail bytes of output, 75 of room
        expect(evbuffer_add_printf(buf, "%d|%s|%d\n", 12345, s, -1234)).to.equal(75 - tail);
        expect(extents(buf)).to.deep.equal([975 - tail]);
        expect(bytes(buf).subarray(899).toString("latin1")).to.equal(`a12345|${s}|-1234\n`);
        expect(bytes(neighbour).toString("latin1")).to.equal("neighbour");
        evbuffer_free(buf);
        evbuffer_free(neighbour);
      }
    });

    it("an output that overflows a chunk with room for an eighth replaces it (one chunk)", function () {
      // 800 bytes leave 176 free (>= 976/8): libevent copies the data into a
      // bigger chunk. libevent 2.1.12: 175 -> [975]; 176 -> [976]; 177 -> [977].
      for (const out of [175, 176, 177]) {
        const buf = evbuffer_new();
        evbuffer_add(buf, Buffer.alloc(800, "a"));
        const s = "y".repeat(out - 2);
        expect(evbuffer_add_printf(buf, "<%s>", s)).to.equal(out);
        expect(extents(buf)).to.deep.equal([800 + out]);
        expect(bytes(buf).toString("latin1")).to.equal("a".repeat(800) + `<${s}>`);
        evbuffer_free(buf);
      }
    });
  });

  describe("evbuffer_add_printf into chunks with memory of their own", function () {
    it("prints into the free space of a large chunk", function () {
      // A 40000-byte add gets a 65488-byte chunk of its own (libevent: [40010]).
      const buf = evbuffer_new();
      evbuffer_add(buf, Buffer.alloc(40000, "a"));
      expect(evbuffer_add_printf(buf, "%d %s %x\n", 42, "big", 255)).to.equal(10);
      expect(extents(buf)).to.deep.equal([40010]);
      const all = bytes(buf);
      expect(all.subarray(0, 40000).every((b) => b === 0x61)).to.equal(true);
      expect(all.subarray(40000).toString("latin1")).to.equal("42 big ff\n");
      evbuffer_free(buf);
    });

    it("fills a large chunk up to its last byte, then goes on in a new chunk", function () {
      // 40000 + 25412 bytes leave 76 free of 65488. libevent 2.1.12:
      // outputs of 73..75 -> [65412 + out]; 76..78 -> [65412, out].
      for (let out = 73; out <= 78; out++) {
        const buf = evbuffer_new();
        evbuffer_add(buf, Buffer.alloc(40000, "a"));
        evbuffer_add(buf, Buffer.alloc(25412, "c"));
        const s = "x".repeat(out - 8);
        expect(evbuffer_add_printf(buf, "%s %d\n", s, -12345)).to.equal(out);
        expect(evbuffer_get_length(buf)).to.equal(65412 + out);
        expect(extents(buf)).to.deep.equal(out <= 75 ? [65412 + out] : [65412, out]);
        const all = bytes(buf);
        expect(all.subarray(65411).toString("latin1")).to.equal(`c${s} -12345\n`);
        evbuffer_free(buf);
      }
    });

    it("after a reference, prints into a new chunk and leaves the referenced bytes alone", function () {
      // libevent 2.1.12: [16, 6].
      const ref = latin1("referenced bytes");
      const buf = evbuffer_new();
      expect(evbuffer_add_reference(buf, ref, ref.length, null, null)).to.equal(0);
      expect(evbuffer_add_printf(buf, "%d-%s", 7, "tail")).to.equal(6);
      expect(extents(buf)).to.deep.equal([16, 6]);
      expect(bytes(buf).toString("latin1")).to.equal("referenced bytes7-tail");
      expect(ref.toString("latin1")).to.equal("referenced bytes");
      evbuffer_free(buf);
    });

    it("prints into a socket read's own Buffer, a view inside a larger one, once realigned", function () {
      // appendChunk (the socket read path) hands the buffer a Buffer that
      // starts 100 bytes into a larger one; after a drain and a small add
      // realign it, the printed bytes land in its free space.
      const outer = Buffer.alloc(4296, "o");
      const read = outer.subarray(100, 4196).fill("r");
      const buf = evbuffer_new();
      buf.appendChunk(ownedChunk(read));
      expect(evbuffer_drain(buf, 3096)).to.equal(0);
      expect(evbuffer_add(buf, latin1("+add"))).to.equal(0);
      expect(extents(buf)).to.deep.equal([1004]);
      expect(evbuffer_add_printf(buf, "%s=%d;", "n", 42)).to.equal(5);
      expect(extents(buf)).to.deep.equal([1009]);
      expect(bytes(buf).toString("latin1")).to.equal("r".repeat(1000) + "+addn=42;");
      expect(outer.subarray(0, 100).every((b) => b === 0x6f)).to.equal(true);
      expect(outer.subarray(4196).every((b) => b === 0x6f)).to.equal(true);
      evbuffer_free(buf);
    });
  });
});
