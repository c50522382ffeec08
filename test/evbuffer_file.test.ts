// File segments, evbuffer_add_file and evbuffer_read/write on real OS
// descriptors (reference §3.2 "File segments", §3.7; regress 'add_file*',
// 'file_segment_add_cleanup_cb').
import { expect } from "chai";
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "../src/event2/buffer.js";
import type { Evbuffer, evbuffer_iovec } from "../src/event2/buffer.js";
import { errno } from "../src/libc/errno.js";

function content(b: Evbuffer): Buffer {
  const v: evbuffer_iovec[] = [];
  const n = E.evbuffer_peek(b, -1, null, v, 1000);
  return Buffer.concat(v.slice(0, n).map((x) => Buffer.from(x.iov_base!.subarray(0, x.iov_len))));
}
function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}
function chunkCount(b: Evbuffer): number {
  return E.evbuffer_peek(b, -1, null, null, 0);
}

describe("evbuffer files and descriptors", function () {
  let dir: string;
  let path: string;
  const data = Buffer.from("Some text that is in the file\n123", "latin1"); // 33 bytes
  let big: Buffer;
  let bigPath: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "evbuffer-file-"));
    path = join(dir, "small");
    writeFileSync(path, data);
    let x = 1;
    big = Buffer.alloc(512 * 1024);
    for (let i = 0; i < big.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      big[i] = x >>> 24;
    }
    bigPath = join(dir, "big");
    writeFileSync(bigPath, big);
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("evbuffer_add_file", function () {
    it("adds the file, owns the descriptor and closes it when drained", function () {
      const b = E.evbuffer_new();
      const fd = openSync(path, "r");
      expect(E.evbuffer_add_file(b, fd, 0, data.length)).to.equal(0);
      expect(content(b)).to.deep.equal(data);
      expect(isOpen(fd)).to.equal(true);
      E.evbuffer_drain(b, 10);
      expect(isOpen(fd)).to.equal(true);
      E.evbuffer_drain(b, 100);
      expect(isOpen(fd)).to.equal(false);
    });

    it("offset and length select a range; -1 means to the end of the file", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_add_file(b, openSync(path, "r"), 5, 4)).to.equal(0);
      expect(E.evbuffer_add_file(b, openSync(path, "r"), 0, -1)).to.equal(0);
      expect(content(b).toString("latin1")).to.equal("text" + data.toString("latin1"));
      E.evbuffer_free(b);
    });

    it("a frozen end or a bad offset gives -1 (the fd is closed once a segment existed)", function () {
      const b = E.evbuffer_new();
      E.evbuffer_freeze(b, 0);
      const fd = openSync(path, "r");
      expect(E.evbuffer_add_file(b, fd, 0, 10)).to.equal(-1);
      expect(isOpen(fd)).to.equal(false);
      E.evbuffer_unfreeze(b, 0);
      const fd2 = openSync(path, "r");
      expect(E.evbuffer_add_file(b, fd2, -1, 10)).to.equal(-1);
      expect(isOpen(fd2)).to.equal(true); // no segment was made
      closeSync(fd2);
      const fd3 = openSync(path, "r");
      expect(E.evbuffer_add_file(b, fd3, 0, 0)).to.equal(-1); // like libevent: nothing to map
      closeSync(fd3);
      expect(E.evbuffer_get_length(b)).to.equal(0);
    });

    it("big files go through evbuffer_write and evbuffer_read intact (regress 'add_big_file')", function () {
      const src = E.evbuffer_new();
      expect(E.evbuffer_add_file(src, openSync(bigPath, "r"), 0, big.length)).to.equal(0);
      const outPath = join(dir, "copy");
      const w = openSync(outPath, "w");
      let written = 0;
      while (E.evbuffer_get_length(src) > 0) {
        const n = E.evbuffer_write(src, w);
        expect(n).to.be.greaterThan(0);
        written += n;
      }
      closeSync(w);
      expect(written).to.equal(big.length);
      const r = openSync(outPath, "r");
      const dst = E.evbuffer_new();
      let n: number;
      let reads = 0;
      while ((n = E.evbuffer_read(dst, r, -1)) > 0) {
        expect(n).to.be.at.most(4096);
        reads++;
      }
      expect(n).to.equal(0);
      closeSync(r);
      expect(reads).to.equal(128);
      expect(content(dst).equals(big)).to.equal(true);
    });

    it("with EVBUFFER_FLAG_DRAINS_TO_FD the segment is written chunk by chunk (sendfile)", function () {
      const b = E.evbuffer_new();
      E.evbuffer_set_flags(b, E.EVBUFFER_FLAG_DRAINS_TO_FD);
      E.evbuffer_add(b, "head:");
      expect(E.evbuffer_add_file(b, openSync(path, "r"), 0, -1)).to.equal(0);
      E.evbuffer_add(b, ":tail");
      const outPath = join(dir, "sendfile");
      const w = openSync(outPath, "w");
      expect(E.evbuffer_write(b, w)).to.equal(5); // writev stops before the sendfile chunk
      expect(E.evbuffer_write(b, w)).to.equal(data.length); // sendfile writes that chunk alone
      expect(E.evbuffer_write(b, w)).to.equal(5);
      expect(E.evbuffer_write(b, w)).to.equal(-1); // nothing left
      closeSync(w);
      expect(readFileSync(outPath).toString("latin1")).to.equal(
        "head:" + data.toString("latin1") + ":tail",
      );
    });
  });

  describe("file segments", function () {
    it("is_mapping and can_sendfile tell the backend libevent picks, at creation and once added", function () {
      const fd = openSync(path, "r");
      const got = [
        0,
        E.EVBUF_FS_DISABLE_MMAP,
        E.EVBUF_FS_DISABLE_SENDFILE,
        E.EVBUF_FS_DISABLE_MMAP | E.EVBUF_FS_DISABLE_SENDFILE,
      ].map((flags) => {
        const seg = E.evbuffer_file_segment_new(fd, 0, -1, flags)!;
        const atNew = [seg.is_mapping, seg.can_sendfile];
        const b = E.evbuffer_new();
        expect(E.evbuffer_add_file_segment(b, seg, 0, -1)).to.equal(0);
        const added = [seg.is_mapping, seg.can_sendfile];
        E.evbuffer_free(b);
        E.evbuffer_file_segment_free(seg);
        return [atNew, added];
      });
      // Added to a buffer that does not drain to a descriptor, a sendfile segment is read (mapped).
      expect(got).to.deep.equal([
        [
          [0, 1],
          [1, 1],
        ],
        [
          [0, 1],
          [0, 1],
        ],
        [
          [1, 0],
          [1, 0],
        ],
        [
          [0, 0],
          [0, 0],
        ],
      ]);
      closeSync(fd);
    });

    it("segment_new checks offset and length; -1 takes the file size", function () {
      const fd = openSync(path, "r");
      expect(E.evbuffer_file_segment_new(fd, -1, 10, 0)).to.equal(null);
      expect(E.evbuffer_file_segment_new(fd, 0, -2, 0)).to.equal(null);
      const seg = E.evbuffer_file_segment_new(fd, 0, -1, 0)!;
      expect(seg.length).to.equal(data.length);
      const b = E.evbuffer_new();
      expect(E.evbuffer_add_file_segment(b, seg, 3, 5)).to.equal(0);
      expect(E.evbuffer_add_file_segment(b, seg, 30, -1)).to.equal(0);
      expect(content(b).toString("latin1")).to.equal("e tex" + "123");
      expect(E.evbuffer_add_file_segment(b, seg, 30, 4)).to.equal(-1); // past the segment: drops a reference
      E.evbuffer_free(b);
      closeSync(fd);
    });

    it("the cleanup runs once, when the last reference goes (regress 'file_segment_add_cleanup_cb')", function () {
      const fd = openSync(path, "r");
      const seg = E.evbuffer_file_segment_new(fd, 0, data.length, 0)!;
      const calls: unknown[][] = [];
      E.evbuffer_file_segment_add_cleanup_cb(
        seg,
        (s, flags, arg) => calls.push([s === seg, flags, arg]),
        "token",
      );
      const b = E.evbuffer_new();
      expect(E.evbuffer_add_file_segment(b, seg, 0, data.length)).to.equal(0);
      E.evbuffer_file_segment_free(seg);
      expect(calls).to.deep.equal([]);
      E.evbuffer_free(b);
      expect(calls).to.deep.equal([[true, 0, "token"]]);
      expect(isOpen(fd)).to.equal(true); // no EVBUF_FS_CLOSE_ON_FREE
      closeSync(fd);
      expect(() => E.evbuffer_file_segment_free(seg)).to.throw(TypeError, /already freed/);
    });

    it("EVBUF_FS_CLOSE_ON_FREE closes the descriptor before the cleanup runs", function () {
      const fd = openSync(path, "r");
      const seg = E.evbuffer_file_segment_new(fd, 0, 10, E.EVBUF_FS_CLOSE_ON_FREE)!;
      let openAtCleanup = true;
      E.evbuffer_file_segment_add_cleanup_cb(seg, () => (openAtCleanup = isOpen(fd)), null);
      const b1 = E.evbuffer_new();
      const b2 = E.evbuffer_new();
      E.evbuffer_add_file_segment(b1, seg, 0, 10);
      E.evbuffer_add_file_segment(b2, seg, 2, 2);
      E.evbuffer_file_segment_free(seg);
      E.evbuffer_free(b1);
      expect(isOpen(fd)).to.equal(true);
      E.evbuffer_drain(b2, 2);
      expect(isOpen(fd)).to.equal(false);
      expect(openAtCleanup).to.equal(false);
    });

    it("a failed add_file_segment drops the caller's reference, as in libevent", function () {
      const fd = openSync(path, "r");
      const seg = E.evbuffer_file_segment_new(fd, 0, 10, E.EVBUF_FS_CLOSE_ON_FREE)!;
      let cleaned = 0;
      E.evbuffer_file_segment_add_cleanup_cb(seg, () => cleaned++, null);
      const b = E.evbuffer_new();
      E.evbuffer_freeze(b, 0);
      expect(E.evbuffer_add_file_segment(b, seg, 0, 10)).to.equal(-1);
      expect(cleaned).to.equal(1);
      expect(isOpen(fd)).to.equal(false);
    });

    it("segments cannot be the source of add_buffer_reference", function () {
      const fd = openSync(path, "r");
      const a = E.evbuffer_new();
      E.evbuffer_add_file(a, fd, 0, 10);
      expect(E.evbuffer_add_buffer_reference(E.evbuffer_new(), a)).to.equal(-1);
      E.evbuffer_free(a);
    });

    it("plain reads (DISABLE_SENDFILE|DISABLE_MMAP) happen at creation; mapped and sendfile segments later", function () {
      const p = join(dir, "changing");
      writeFileSync(p, "aaaaaaaaaa");
      const fd = openSync(p, "r");
      const mapped = E.evbuffer_file_segment_new(fd, 0, 10, E.EVBUF_FS_DISABLE_SENDFILE)!;
      const read = E.evbuffer_file_segment_new(
        fd,
        0,
        10,
        E.EVBUF_FS_DISABLE_SENDFILE | E.EVBUF_FS_DISABLE_MMAP,
      )!;
      const lazy = E.evbuffer_file_segment_new(fd, 0, 10, 0)!;
      writeFileSync(p, "bbbbbbbbbb");
      const b = E.evbuffer_new();
      E.evbuffer_add_file_segment(b, mapped, 0, 3);
      E.evbuffer_add_file_segment(b, read, 0, 3);
      E.evbuffer_add_file_segment(b, lazy, 0, 3);
      expect(content(b).toString()).to.equal("bbbaaabbb"); // what libevent 2.1.12 gives
      E.evbuffer_free(b);
      for (const s of [mapped, read, lazy]) E.evbuffer_file_segment_free(s);
      closeSync(fd);
    });

    it("an empty segment: fine for sendfile, refused when it must be read or mapped", function () {
      const fd = openSync(path, "r");
      expect(E.evbuffer_file_segment_new(fd, 0, 0, 0)).to.not.equal(null);
      expect(E.evbuffer_file_segment_new(fd, 0, 0, E.EVBUF_FS_DISABLE_SENDFILE)).to.equal(null);
      const y = E.evbuffer_new();
      E.evbuffer_set_flags(y, E.EVBUFFER_FLAG_DRAINS_TO_FD);
      expect(E.evbuffer_add_file(y, openSync(path, "r"), 0, 0)).to.equal(0);
      closeSync(fd);
    });

    it("a range past the end of the file reads as zeros there, as a mapping does", function () {
      const b = E.evbuffer_new();
      expect(E.evbuffer_add_file(b, openSync(path, "r"), 10, -1)).to.equal(0);
      expect(content(b)).to.deep.equal(Buffer.concat([data.subarray(10), Buffer.alloc(10)]));
    });
  });

  describe("evbuffer_read / evbuffer_write / evbuffer_write_atmost", function () {
    it("write_atmost writes and drains; -1 when there is nothing to write", function () {
      const p = join(dir, "w1");
      const w = openSync(p, "w");
      const b = E.evbuffer_new();
      expect(E.evbuffer_write(b, w)).to.equal(-1);
      E.evbuffer_add(b, "0123456789");
      expect(E.evbuffer_write_atmost(b, w, 0)).to.equal(-1);
      expect(E.evbuffer_write_atmost(b, w, 4)).to.equal(4);
      expect(E.evbuffer_get_length(b)).to.equal(6);
      expect(E.evbuffer_write_atmost(b, w, 100)).to.equal(6);
      closeSync(w);
      expect(readFileSync(p).toString()).to.equal("0123456789");
    });

    it("read: at most howmuch and 4096 per call, 0 at end of file", function () {
      const r = openSync(bigPath, "r");
      const b = E.evbuffer_new();
      expect(E.evbuffer_read(b, r, 10)).to.equal(10);
      expect(E.evbuffer_read(b, r, 100000)).to.equal(4096);
      expect(E.evbuffer_read(b, r, 0)).to.equal(0);
      expect(content(b).equals(big.subarray(0, 4106))).to.equal(true);
      closeSync(r);
    });

    it("reads land in the free space of the last chunks (up to 4 of them)", function () {
      const r = openSync(bigPath, "r");
      const b = E.evbuffer_new();
      E.evbuffer_add(b, "x");
      expect(E.evbuffer_read(b, r, 100)).to.equal(100);
      expect(chunkCount(b)).to.equal(1);
      closeSync(r);
    });

    it("frozen ends: read needs the end, write needs the start", function () {
      const p = join(dir, "w2");
      const w = openSync(p, "w");
      const r = openSync(bigPath, "r");
      const b = E.evbuffer_new();
      E.evbuffer_add(b, "abc");
      E.evbuffer_freeze(b, 1);
      expect(E.evbuffer_write(b, w)).to.equal(-1);
      expect(E.evbuffer_write_atmost(b, w, -1)).to.equal(-1);
      expect(E.evbuffer_read(b, r, 10)).to.equal(10);
      E.evbuffer_unfreeze(b, 1);
      E.evbuffer_freeze(b, 0);
      expect(E.evbuffer_read(b, r, 10)).to.equal(-1);
      expect(E.evbuffer_write(b, w)).to.equal(13);
      closeSync(w);
      closeSync(r);
    });

    it("an error gives -1 and sets errno", function () {
      const p = join(dir, "w3");
      writeFileSync(p, "xyz");
      const w = openSync(p, "r+");
      const ro = openSync(p, "r");
      const b = E.evbuffer_new();
      E.evbuffer_add(b, "data");
      expect(E.evbuffer_write(b, ro)).to.equal(-1);
      expect(errno).to.equal(9); // EBADF
      expect(E.evbuffer_get_length(b)).to.equal(4);
      const wo = openSync(join(dir, "w4"), "w");
      expect(E.evbuffer_read(b, wo, 10)).to.equal(-1);
      expect(errno).to.equal(9);
      for (const fd of [w, ro, wo]) closeSync(fd);
    });
  });
});
