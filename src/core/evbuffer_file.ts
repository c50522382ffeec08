// File segments (evbuffer_file_segment_new/free/add_cleanup_cb,
// evbuffer_add_file_segment, evbuffer_add_file) on real OS descriptors.
//
// libevent maps the file (mmap) or reads it; here the segment's bytes are
// read with pread when first needed ("materialized"): at creation where
// libevent reads it there (EVBUF_FS_DISABLE_SENDFILE with
// EVBUF_FS_DISABLE_MMAP, or a descriptor that cannot be mapped), otherwise
// when the segment is first added to a buffer (a mapping, or sendfile,
// would see the file as it is then; later changes to the file are not
// seen, unlike through a live mapping). Like mmap, a
// segment reaching past the end of the file reads as zeros there, unless
// EVBUF_FS_DISABLE_MMAP asks for plain reads, which then fail. Chunks made
// from a segment hold a reference to it; the last reference closes the
// descriptor (EVBUF_FS_CLOSE_ON_FREE) and then runs the cleanup callback.
import { closeSync, fstatSync, readSync } from "node:fs";
import {
  CHAIN_MAX,
  CHUNK_FILESEGMENT,
  CHUNK_IMMUTABLE,
  CHUNK_SENDFILE,
  foreignChunk,
} from "./chunk.js";
import type { Chunk, ChunkOwner } from "./chunk.js";
import { invokeCallbacks } from "./evbuffer_cb.js";
import type { Evbuffer } from "./evbuffer.js";

export const FS_CLOSE_ON_FREE = 0x01;
export const FS_DISABLE_MMAP = 0x02;
export const FS_DISABLE_SENDFILE = 0x04;
export const FS_DISABLE_LOCKING = 0x08;

/** EVBUFFER_FLAG_DRAINS_TO_FD */
const FLAG_DRAINS_TO_FD = 1;

export type SegmentCleanup = (seg: FileSegment, flags: number, arg: any) => void;

/** struct evbuffer_file_segment */
export class FileSegment implements ChunkOwner {
  refcnt = 1;
  contents: Buffer | null = null;
  cleanupCb: SegmentCleanup | null = null;
  cleanupArg: unknown = null;
  /** Set when the last reference is gone. */
  freed = false;
  /** Could go out through sendfile (libevent: unless EVBUF_FS_DISABLE_SENDFILE). */
  readonly canSendfile: boolean;

  private constructor(
    readonly fd: number,
    readonly fileOffset: number,
    readonly length: number,
    readonly flags: number,
  ) {
    this.canSendfile = (flags & FS_DISABLE_SENDFILE) === 0;
  }

  /** evbuffer_file_segment_new: null on a bad offset or length, or when the file cannot be read. */
  static create(fd: number, offset: number, length: number, flags: number): FileSegment | null {
    if (length === -1) {
      try {
        length = fstatSync(fd).size;
      } catch {
        return null;
      }
    }
    if (offset < 0 || length < 0 || length > CHAIN_MAX || offset > CHAIN_MAX - length) return null;
    const seg = new FileSegment(fd, offset, length, flags);
    if (
      !seg.canSendfile &&
      !(seg.mappable() && (flags & FS_DISABLE_MMAP) === 0) &&
      seg.materialize() < 0
    )
      return null;
    return seg;
  }

  /**
   * Whether libevent would have mapped the segment: when it reads it (at
   * creation unless sendfile may carry it, or at a later materialize), unless
   * EVBUF_FS_DISABLE_MMAP or the mmap would fail.
   */
  get isMapping(): boolean {
    if (this.flags & FS_DISABLE_MMAP || (this.canSendfile && !this.contents)) return false;
    return this.mappable();
  }

  /**
   * Whether libevent's mmap of this segment would succeed (a regular file, a
   * non-empty range). A mapping shows the file as it is when read, so such a
   * segment is read at its first use rather than now.
   */
  private mappable(): boolean {
    if (this.length === 0) return false;
    try {
      return fstatSync(this.fd).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Reads the segment's bytes if not done yet. 0 or -1. Like libevent's
   * (whose mmap and malloc both refuse a size of 0), an empty segment fails
   * unless `allowEmpty` (libevent's sendfile path never reads it).
   */
  materialize(allowEmpty = false): number {
    if (this.contents) return 0;
    if (this.length === 0 && !allowEmpty) return -1;
    let mem: Buffer;
    try {
      mem = Buffer.alloc(this.length);
    } catch {
      return -1;
    }
    let got = 0;
    try {
      while (got < this.length) {
        const n = readSync(this.fd, mem, got, this.length - got, this.fileOffset + got);
        if (n <= 0) break;
        got += n;
      }
    } catch {
      return -1;
    }
    // A mapping reads zeros past the end of the file; plain reads fail there.
    if (got < this.length && this.flags & FS_DISABLE_MMAP) return -1;
    this.contents = mem;
    return 0;
  }

  /** evbuffer_file_segment_add_cleanup_cb */
  setCleanup(cb: SegmentCleanup | null, arg: unknown): void {
    this.cleanupCb = cb;
    this.cleanupArg = arg;
  }

  /** evbuffer_file_segment_free: drops a reference; the last one releases the segment. */
  decref(): void {
    if (--this.refcnt > 0) return;
    this.freed = true;
    this.contents = null;
    if (this.flags & FS_CLOSE_ON_FREE && this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed: nothing to do, as close(2)'s error is ignored in C
      }
    }
    const cb = this.cleanupCb;
    if (cb) {
      this.cleanupCb = null;
      const arg = this.cleanupArg;
      this.cleanupArg = null;
      cb(this, this.flags, arg);
    }
  }

  /** A chunk made from this segment is released. */
  release(_chunk: Chunk): void {
    this.decref();
  }
}

/**
 * evbuffer_add_file_segment: appends [offset, offset+length) of the segment
 * (length -1: to its end). 0, or -1 — and, as in libevent, a failure after
 * the segment's bytes are available drops the caller's reference.
 */
export function addFileSegment(
  buf: Evbuffer,
  seg: FileSegment,
  offset: number,
  length: number,
): number {
  const drainsToFd = (buf.flags & FLAG_DRAINS_TO_FD) !== 0;
  // Our writes need the bytes even where libevent would use sendfile.
  if (seg.materialize(drainsToFd && seg.canSendfile) < 0) return -1;
  fail: {
    if (buf.freezeEnd) break fail;
    if (length < 0) {
      if (offset > seg.length) break fail;
      length = seg.length - offset;
    }
    if (offset + length > seg.length) break fail;
    buf.gen++;
    const mem = seg.contents!.subarray(offset, offset + length);
    let c: Chunk;
    if (drainsToFd && seg.canSendfile) {
      // libevent keeps the file position as misalign; its buffer_len counts it.
      c = foreignChunk(
        mem,
        0,
        seg.fileOffset + offset + length,
        CHUNK_IMMUTABLE | CHUNK_FILESEGMENT | CHUNK_SENDFILE,
      );
    } else c = foreignChunk(mem, 0, length, CHUNK_IMMUTABLE | CHUNK_FILESEGMENT);
    c.off = length;
    c.owner = seg;
    seg.refcnt++;
    buf.nAdd += length;
    buf.insert(c);
    invokeCallbacks(buf);
    return 0;
  }
  seg.decref();
  return -1;
}

/** evbuffer_add_file: the buffer owns and closes fd. 0 or -1. */
export function addFile(buf: Evbuffer, fd: number, offset: number, length: number): number {
  const seg = FileSegment.create(fd, offset, length, FS_CLOSE_ON_FREE);
  if (!seg) return -1;
  const r = addFileSegment(buf, seg, 0, length);
  if (r === 0) seg.decref();
  return r;
}
