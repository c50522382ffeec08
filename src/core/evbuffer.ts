// Evbuffer: libevent's evbuffer, a chain of chunks (buffer.c).
//
// The chain is managed exactly as libevent 2.1.12 manages it (same chunk
// sizes, same decisions about filling, realigning, replacing or adding a
// chunk), so every observable that depends on chain boundaries — peek counts,
// contiguous space, reserve extents, pullup results — matches the C library.
// Moving data between buffers moves chunks; references and owned Buffers are
// chunks over foreign memory; bytes are copied only where libevent copies.
//
// Return conventions are libevent's: 0 / -1, counts, null. Arguments are
// assumed checked by the face (src/event2/buffer.ts).
import {
  allocChunk,
  asBuffer,
  atSlot,
  Chunk,
  CHAIN_MAX,
  CHUNK_FILESEGMENT,
  CHUNK_IMMUTABLE,
  CHUNK_MULTICAST,
  CHUNK_REFERENCE,
  CHUNK_SENDFILE,
  copyChain,
  foreignChunk,
  freeChunk,
  freeChunks,
  settleShape,
} from "./chunk.js";
import type { ChunkOwner } from "./chunk.js";
import type { Deferred } from "./callback.js";
import {
  addEntry,
  CB_ENABLED,
  CbEntry,
  deferCallbacks,
  invokeCallbacks,
  removeAllEntries,
  unlinkEntry,
} from "./evbuffer_cb.js";
import type { CbFunc, DeferredQueue, EvbufferParent, ObsoleteCbFunc } from "./evbuffer_cb.js";
import { cformat, cformatInto } from "./printf.js";
import * as search from "./evbuffer_search.js";
import * as space from "./evbuffer_space.js";
import type { EolStyle, Iovec, Pos } from "./evbuffer_search.js";

export type {
  CbInfo,
  CbFunc,
  ObsoleteCbFunc,
  EvbufferParent,
  DeferredQueue,
} from "./evbuffer_cb.js";
export { CbEntry } from "./evbuffer_cb.js";
export type { Iovec, Pos, EolStyle } from "./evbuffer_search.js";

/** EVBUFFER_FLAG_DRAINS_TO_FD */
export const FLAG_DRAINS_TO_FD = 1;
/** EVBUFFER_CHAIN_MAX_AUTO_SIZE */
const CHAIN_MAX_AUTO_SIZE = 4096;

type RefCleanup = (data: any, len: number, arg: any) => void;

/** What a reference chunk releases: the user's cleanup, run once. */
class ReferenceOwner implements ChunkOwner {
  constructor(
    readonly data: unknown,
    readonly cleanup: RefCleanup | null,
    readonly arg: unknown,
  ) {}
  release(chunk: Chunk): void {
    if (this.cleanup) this.cleanup(this.data, chunk.bufferLen, this.arg);
  }
}

/** What a multicast chunk releases: its parent chunk and the parent's buffer. */
class MulticastOwner implements ChunkOwner {
  constructor(
    readonly source: Evbuffer,
    readonly parent: Chunk,
  ) {}
  release(): void {
    freeChunk(this.parent);
    this.source.decref();
  }
}

export class Evbuffer {
  first: Chunk | null = null;
  last: Chunk | null = null;
  /**
   * libevent's last_with_datap: the chunk whose `next` points at the last
   * chunk with data, or null when that pointer is `&first`.
   */
  lwdPrev: Chunk | null = null;
  totalLen = 0;
  /** Bytes added / removed since the callbacks last ran. */
  nAdd = 0;
  nDel = 0;
  /** Freezes (evbuffer_freeze). The library's own I/O clears them around its work, as libevent does. */
  freezeStart = false;
  freezeEnd = false;
  /** EVBUFFER_FLAG_* bits. */
  flags = 0;
  deferredCbs = false;
  base: DeferredQueue | null = null;
  deferred: Deferred | null = null;
  refcnt = 1;
  cbHead: CbEntry | null = null;
  /** The bufferevent this buffer belongs to, if any. */
  parent: EvbufferParent | null = null;
  /** Set by evbuffer_free: the user may not touch the buffer again. */
  freed = false;
  /** The lock given to evbuffer_enable_locking (locking is a no-op on Node). */
  lock: unknown = null;
  /** Bumped by every change of the chain; evbuffer_ptrs remember it. */
  gen = 0;

  get length(): number {
    return this.totalLen;
  }

  /** The last chunk with data (C: *last_with_datap). */
  lastWithData(): Chunk | null {
    return atSlot(this.lwdPrev, this.first);
  }

  // ---- chain primitives ----

  /** Frees the empty chunks at the end; returns the slot a new chunk goes into. */
  freeTrailingEmpty(): Chunk | null {
    let slot = this.lwdPrev;
    let c = atSlot(slot, this.first);
    while (c && c.off !== 0) {
      slot = c;
      c = c.next;
    }
    if (c) {
      freeChunks(c);
      if (slot === null) this.first = null;
      else slot.next = null;
    }
    return slot;
  }

  /**
   * evbuffer_chain_insert: appends a chunk, replacing trailing empty chunks.
   * (libevent treats an empty buffer apart; the general case does the same
   * there, and one path keeps V8's compiled code valid for both.)
   */
  insert(c: Chunk): void {
    const slot = this.freeTrailingEmpty();
    const first = this.first;
    this.first = slot === null ? c : first; // stored either way: see atSlot
    if (slot !== null) slot.next = c;
    if (c.off) this.lwdPrev = slot;
    this.last = c;
    this.totalLen += c.off;
  }

  insertNew(n: number): Chunk | null {
    const c = allocChunk(n);
    if (c) this.insert(c);
    return c;
  }

  /** advance_last_with_data */
  advanceLastWithData(): void {
    let slot = this.lwdPrev;
    let c = atSlot(slot, this.first);
    if (!c) return;
    while (c.next) {
      slot = c;
      c = c.next;
      if (c.off) this.lwdPrev = slot;
    }
  }

  zeroChain(): void {
    this.first = this.last = this.lwdPrev = null;
    this.totalLen = 0;
  }

  // ---- life cycle ----

  /** Drops a reference; the last one frees the chunks and the callbacks. */
  decref(): void {
    if (--this.refcnt > 0) return;
    const first = this.first;
    this.first = this.last = this.lwdPrev = null;
    this.totalLen = 0;
    this.gen++;
    freeChunks(first);
    removeAllEntries(this);
    if (this.deferredCbs && this.deferred) this.base!.cancelDeferred(this.deferred);
  }

  /** evbuffer_free */
  free(): void {
    this.freed = true;
    this.decref();
  }

  // ---- adding ----

  /** evbuffer_add: copies data[0, n). 0, or -1 when the end is frozen. */
  add(data: Uint8Array, n: number = data.length): number {
    if (this.freezeEnd) return -1;
    this.gen++;
    const lwd = this.lastWithData();
    const last = this.last;
    const c = lwd === null ? last : lwd;
    if (c !== null && (c.flags & CHUNK_IMMUTABLE) === 0 && c.bufferLen - c.misalign - c.off >= n) {
      // The hot path: the bytes fit in the last chunk with data.
      c.append(data, 0, n);
      this.totalLen += n;
      if (this.cbHead !== null) {
        this.nAdd += n;
        invokeCallbacks(this);
      }
      return 0;
    }
    return this.addSlow(data, n, c);
  }

  /**
   * add() when the bytes do not fit the last chunk: realign it, or fill it
   * and put the rest in a new chunk (the only chunk, when there is none).
   */
  private addSlow(data: Uint8Array, n: number, c: Chunk | null): number {
    let remain = 0;
    let size = n;
    if (c !== null) {
      if ((c.flags & CHUNK_IMMUTABLE) === 0) {
        if (c.shouldRealign(n)) {
          c.align();
          c.append(data, 0, n);
          this.totalLen += n;
          this.nAdd += n;
          invokeCallbacks(this);
          return 0;
        }
        remain = c.bufferLen - c.misalign - c.off;
      }
      // Doubled up to CHAIN_MAX_AUTO_SIZE (computed either way: see atSlot).
      const len = c.bufferLen;
      const doubled = len * 2;
      size = len <= CHAIN_MAX_AUTO_SIZE / 2 ? doubled : len;
      if (n > size) size = n;
    }
    const tmp = allocChunk(size);
    if (!tmp) return -1;
    if (remain) {
      c!.append(data, 0, remain);
      this.totalLen += remain;
    }
    tmp.append(data, remain, n - remain);
    this.insert(tmp);
    this.nAdd += n;
    invokeCallbacks(this);
    return 0;
  }

  /** evbuffer_prepend. 0; -1 when the start is frozen. */
  prepend(data: Uint8Array, n: number = data.length): number {
    if (n === 0) return 0;
    if (this.freezeStart) return -1;
    this.gen++;
    let c = this.first;
    if (c === null) {
      c = allocChunk(n);
      if (!c) return -1;
      this.insert(c);
    }
    if ((c.flags & CHUNK_IMMUTABLE) === 0) {
      if (c.off === 0) c.misalign = c.bufferLen;
      if (c.misalign >= n) {
        c.prependBytes(data, 0, n);
        this.totalLen += n;
        this.nAdd += n;
        invokeCallbacks(this);
        return 0;
      }
      if (c.misalign) {
        const m = c.misalign;
        c.prependBytes(data, n - m, m);
        this.totalLen += m;
        this.nAdd += m;
        n -= m;
      }
    }
    const tmp = allocChunk(n);
    if (!tmp) return -1;
    this.first = tmp;
    if (this.lwdPrev === null && c.off) this.lwdPrev = tmp;
    tmp.next = c;
    tmp.misalign = tmp.bufferLen;
    tmp.prependBytes(data, 0, n);
    this.totalLen += n;
    this.nAdd += n;
    invokeCallbacks(this);
    return 0;
  }

  /**
   * Appends `buf` without copying, taking ownership of its memory (for the
   * library's socket reads). Ignores freezes.
   */
  /** Links a chunk full of data (the buffer's from now on) at the end, ignoring a frozen end (the library's reads). */
  appendChunk(c: Chunk): void {
    this.gen++;
    this.insert(c);
    this.nAdd += c.off;
    invokeCallbacks(this);
  }

  /** The library's own I/O: add() ignoring a frozen end (libevent unfreezes around its I/O). */
  ioAdd(data: Uint8Array, n: number = data.length): number {
    const f = this.freezeEnd;
    this.freezeEnd = false;
    try {
      return this.add(data, n);
    } finally {
      this.freezeEnd = f;
    }
  }

  /**
   * The library's own I/O: moves up to n bytes (all for n >= length) from
   * src to the end of this buffer ignoring both buffers' freezes, as
   * libevent's pairs and filters do between their buffers. The count moved.
   */
  ioMoveFrom(src: Evbuffer, n: number): number {
    const fs = src.freezeStart;
    const fe = this.freezeEnd;
    src.freezeStart = false;
    this.freezeEnd = false;
    try {
      if (n >= src.totalLen) {
        n = src.totalLen;
        this.addBuffer(src);
        return n;
      }
      return src.removeBuffer(this, n);
    } finally {
      src.freezeStart = fs;
      this.freezeEnd = fe;
    }
  }

  /** evbuffer_add_reference: appends `mem` without copying; cleanup(data, n, arg) once when released. */
  addReference(data: unknown, mem: Uint8Array, cleanup: RefCleanup | null, arg: unknown): number {
    if (this.freezeEnd) return -1;
    this.gen++;
    const n = mem.length;
    const c = foreignChunk(asBuffer(mem), 0, n, CHUNK_REFERENCE | CHUNK_IMMUTABLE);
    c.off = n;
    c.owner = new ReferenceOwner(data, cleanup, arg);
    this.insert(c);
    this.nAdd += n;
    invokeCallbacks(this);
    return 0;
  }

  /** evbuffer_add_iovec: one add per vector; returns the bytes added. */
  addIovec(vecs: readonly Uint8Array[]): number {
    let total = 0;
    for (let i = 0; i < vecs.length; i++) total += vecs[i].length;
    if (this.expandFast(total, 2) < 0) return 0;
    let res = 0;
    for (let i = 0; i < vecs.length; i++) {
      if (this.add(vecs[i]) < 0) break;
      res += vecs[i].length;
    }
    return res;
  }

  /**
   * evbuffer_add_vprintf: formats into the free space of the last chunk
   * (made at least 64 bytes first, as libevent does), or, when the output
   * does not fit there, into a chunk made big enough. The count, or -1
   * (a frozen end, a format C's vsnprintf rejects, no memory).
   */
  addPrintf(fmt: string | Uint8Array, args: readonly unknown[]): number {
    if (this.freezeEnd) return -1;
    this.gen++;
    const lwd = this.lastWithData();
    let c: Chunk | null = lwd;
    if (c === null || c.space() < 64) {
      c = this.expandSinglechain(64);
      if (!c) return -1;
    }
    // vsnprintf's output must leave room for its NUL.
    const sz = cformatInto(c.dataView(), c.base + c.misalign + c.off, c.space() - 1, fmt, args);
    if (sz < 0) return this.printfGeneral(c, lwd, fmt, args);
    c.off += sz;
    return this.printed(c, lwd, sz);
  }

  /** addPrintf's general case: cformat's output, in a chunk made big enough if need be. */
  private printfGeneral(
    c: Chunk,
    lwd: Chunk | null,
    fmt: string | Uint8Array,
    args: readonly unknown[],
  ): number {
    const out = cformat(fmt, args);
    if (out === null) return -1;
    const sz = out.length;
    if (sz >= c.space()) {
      const big = this.expandSinglechain(sz + 1);
      if (!big) return -1;
      c = big;
    }
    c.append(out, 0, sz);
    return this.printed(c, lwd, sz);
  }

  /** Accounts sz bytes printed into c (lwd: the last chunk with data before). */
  private printed(c: Chunk, lwd: Chunk | null, sz: number): number {
    this.totalLen += sz;
    if (c !== lwd || c.next !== null) this.advanceLastWithData();
    if (this.cbHead !== null) {
      this.nAdd += sz;
      invokeCallbacks(this);
    }
    return sz;
  }

  // ---- removing ----

  /** evbuffer_drain. 0; -1 when the start is frozen and there is data. */
  drain(len: number): number {
    const old = this.totalLen;
    if (old === 0) return 0;
    if (this.freezeStart) return -1;
    this.consume(len);
    return 0;
  }

  /** Drains up to `len` bytes ignoring freezes (the library's writes). */
  consume(len: number): void {
    const old = this.totalLen;
    if (old === 0) return;
    this.gen++;
    const c = this.first!;
    if (len < c.off) {
      // The common case, kept small for V8 to compile quickly: no chunk is freed.
      this.totalLen = old - len;
      c.consume(len);
    } else len = this.consumeChunks(len < old ? len : old);
    this.nDel += len;
    invokeCallbacks(this);
  }

  /**
   * consume() past the first chunk: chunks drained whole are freed; draining
   * all frees the empty ones after the data too, as libevent frees the whole
   * chain. One loop does both, so that emptying a buffer, which a loop does
   * once at its end, takes no path of its own (V8 would throw away the
   * loop's compiled code to run it). Returns len.
   */
  private consumeChunks(len: number): number {
    this.totalLen -= len;
    let remaining = len;
    let c = this.first;
    let lwdPrev = this.lwdPrev;
    const lwd = atSlot(lwdPrev, c);
    const last = this.last;
    while (c !== null && remaining >= c.off) {
      const next: Chunk | null = c.next;
      remaining -= c.off;
      if (c === lwd || c === lwdPrev) lwdPrev = null;
      freeChunk(c);
      c = next;
    }
    this.first = c;
    this.last = c === null ? null : last;
    this.lwdPrev = lwdPrev;
    if (c !== null) c.consume(remaining);
    return len;
  }

  /** evbuffer_copyout_from: copies up to n bytes from `pos` (or the start) into out. */
  copyout(out: Uint8Array, n: number, pos: Pos | null = null): number {
    let c: Chunk | null;
    let inChain: number;
    if (pos) {
      if (n > CHAIN_MAX - pos.pos) return -1;
      c = pos.chain;
      inChain = pos.inChain;
      if (n + pos.pos > this.totalLen) n = this.totalLen - pos.pos;
    } else {
      c = this.first;
      inChain = 0;
      const total = this.totalLen;
      if (n > total) n = total;
    }
    if (n <= 0) return 0;
    if (this.freezeStart) return -1;
    copyChain(c!, inChain, out, 0, n);
    return n;
  }

  /** evbuffer_remove: copy out then drain. Returns the count, or -1. */
  remove(out: Uint8Array, n: number): number {
    const got = this.copyout(out, n);
    if (got > 0 && this.drain(got) < 0) return -1;
    return got;
  }

  // ---- moving between buffers ----

  /** evbuffer_add_buffer: moves all of src to the end of this buffer. */
  addBuffer(src: Evbuffer): number {
    const inTotal = src.totalLen;
    if (inTotal === 0 || src === this) return 0;
    if (this.freezeEnd || src.freezeStart) return -1;
    this.gen++;
    src.gen++;
    if (this.totalLen === 0) {
      freeChunks(this.first);
      this.copyChainFrom(src);
    } else this.appendChainFrom(src);
    src.zeroChain();
    src.nDel += inTotal;
    this.nAdd += inTotal;
    invokeCallbacks(src);
    invokeCallbacks(this);
    return 0;
  }

  /** COPY_CHAIN */
  private copyChainFrom(src: Evbuffer): void {
    this.first = src.first;
    this.lwdPrev = src.lwdPrev;
    this.last = src.last;
    this.totalLen = src.totalLen;
  }

  /** APPEND_CHAIN */
  private appendChainFrom(src: Evbuffer): void {
    const slot = this.freeTrailingEmpty();
    if (slot === null) this.first = src.first;
    else slot.next = src.first;
    this.lwdPrev = src.lwdPrev === null ? slot : src.lwdPrev;
    this.last = src.last;
    this.totalLen += src.totalLen;
  }

  /** evbuffer_prepend_buffer: moves all of src in front of this buffer. */
  prependBuffer(src: Evbuffer): number {
    const inTotal = src.totalLen;
    if (inTotal === 0 || src === this) return 0;
    if (this.freezeStart || src.freezeStart) return -1;
    this.gen++;
    src.gen++;
    if (this.totalLen === 0) {
      freeChunks(this.first);
      this.copyChainFrom(src);
    } else {
      // PREPEND_CHAIN
      src.last!.next = this.first;
      this.first = src.first;
      this.totalLen += src.totalLen;
      if (this.lastWithData() === null) this.lwdPrev = src.lwdPrev;
      else if (this.lwdPrev === null) this.lwdPrev = src.last;
    }
    src.zeroChain();
    src.nDel += inTotal;
    this.nAdd += inTotal;
    invokeCallbacks(src);
    invokeCallbacks(this);
    return 0;
  }

  /** evbuffer_remove_buffer: moves up to n bytes from this buffer to dst. */
  removeBuffer(dst: Evbuffer, n: number): number {
    if (n === 0 || dst === this) return 0;
    if (dst.freezeEnd || this.freezeStart) return -1;
    if (n >= this.totalLen) {
      n = this.totalLen;
      dst.addBuffer(this);
      return n;
    }
    this.gen++;
    dst.gen++;
    let nread = 0;
    let c = this.first!;
    let previous = c;
    while (c.off <= n) {
      nread += c.off;
      n -= c.off;
      previous = c;
      if (this.lwdPrev === c) this.lwdPrev = null;
      c = c.next!;
    }
    if (c !== this.first) {
      const slot = dst.freeTrailingEmpty();
      if (dst.first === null) dst.first = this.first;
      else if (slot === null) dst.first = this.first;
      else slot.next = this.first;
      dst.last = previous;
      previous.next = null;
      this.first = c;
      dst.advanceLastWithData();
      dst.totalLen += nread;
      dst.nAdd += nread;
    }
    // The rest is copied out of the first remaining chunk.
    dst.add(c.dataSlice(0, n), n);
    c.consume(n);
    nread += n;
    this.totalLen -= nread;
    this.nDel += nread;
    if (nread) {
      invokeCallbacks(dst);
      invokeCallbacks(this);
    }
    return nread;
  }

  /** evbuffer_add_buffer_reference: appends read-only views of src's chunks. */
  addBufferReference(src: Evbuffer): number {
    if (src.totalLen === 0) return 0;
    if (this.freezeEnd || this === src) return -1;
    for (let c = src.first; c; c = c.next) {
      if (c.flags & (CHUNK_FILESEGMENT | CHUNK_SENDFILE | CHUNK_MULTICAST)) return -1;
    }
    this.gen++;
    src.gen++;
    if (this.totalLen === 0) {
      const first = this.first;
      this.zeroChain();
      freeChunks(first);
    }
    for (let c = src.first; c; c = c.next) {
      if (!c.off) continue;
      const tmp = foreignChunk(c.mem, c.base, c.bufferLen, CHUNK_MULTICAST | CHUNK_IMMUTABLE);
      src.refcnt++;
      c.refcnt++;
      c.flags |= CHUNK_IMMUTABLE;
      tmp.misalign = c.misalign;
      tmp.off = c.off;
      tmp.owner = new MulticastOwner(src, c);
      this.insert(tmp);
    }
    this.nAdd += src.totalLen;
    invokeCallbacks(this);
    return 0;
  }

  // ---- space (evbuffer_space.ts) ----

  /** evbuffer_expand_singlechain: one chunk with at least n free bytes, or null. */
  expandSinglechain(n: number): Chunk | null {
    return space.expandSinglechain(this, n);
  }

  /** evbuffer_expand_fast_: n bytes of space within the last `nChunks` chunks. 0 or -1. */
  expandFast(n: number, nChunks: number): number {
    return space.expandFast(this, n, nChunks);
  }

  /** evbuffer_expand: 0, or -1 when n bytes cannot be made available in one chunk. */
  expand(n: number): number {
    this.gen++;
    return space.expandSinglechain(this, n) ? 0 : -1;
  }

  /** evbuffer_reserve_space: extents of free space; the count or -1. */
  reserveSpace(size: number, vecs: Iovec[], nVecs: number): number {
    return space.reserveSpace(this, size, vecs, nVecs);
  }

  /** evbuffer_commit_space: 0, or -1 when an extent is not the reserved space. */
  commitSpace(vecs: readonly Iovec[], nVecs: number): number {
    return space.commitSpace(this, vecs, nVecs);
  }

  /** evbuffer_pullup: the first `size` bytes (all if < 0) made contiguous, or null. */
  pullup(size: number): Buffer | null {
    return space.pullup(this, size);
  }

  /** Slot of the first chunk the last setupVecs used (for commitRead). */
  readSlot: Chunk | null = null;

  get contiguousSpace(): number {
    return this.first ? this.first.off : 0;
  }

  // ---- freezing ----

  freeze(atFront: boolean): number {
    if (atFront) this.freezeStart = true;
    else this.freezeEnd = true;
    return 0;
  }

  unfreeze(atFront: boolean): number {
    if (atFront) this.freezeStart = false;
    else this.freezeEnd = false;
    return 0;
  }

  // ---- callbacks ----

  /** evbuffer_add_cb: the new entry runs before the older ones. */
  addCb(cb: CbFunc, arg: unknown): CbEntry {
    return addEntry(this, new CbEntry(this, cb, arg, CB_ENABLED, false));
  }

  /** evbuffer_setcb: removes every callback, then installs an old-style one if cb is given. */
  setObsoleteCb(cb: ObsoleteCbFunc | null, arg: unknown): number {
    removeAllEntries(this);
    if (cb) addEntry(this, new CbEntry(this, cb, arg, CB_ENABLED, true));
    return 0;
  }

  removeCbEntry(e: CbEntry): number {
    unlinkEntry(this, e);
    return 0;
  }

  /** evbuffer_remove_cb: 0 if an entry with this exact cb and arg was removed, else -1. */
  removeCb(cb: CbFunc, arg: unknown): number {
    for (let e = this.cbHead; e; e = e.next) {
      if (!e.obsolete && e.cb === cb && e.cbarg === arg) {
        unlinkEntry(this, e);
        return 0;
      }
    }
    return -1;
  }

  deferCallbacks(base: DeferredQueue): number {
    deferCallbacks(this, base);
    return 0;
  }

  // ---- positions, search, lines, peek (evbuffer_search.ts) ----

  ptrSet(p: Pos, position: number, add: boolean): number {
    return search.ptrSet(this, p, position, add);
  }

  search(what: Uint8Array, start: Pos | null, end: Pos | null): Pos {
    return search.searchRange(this, what, start, end);
  }

  searchEol(start: Pos | null, style: EolStyle, eolLenOut: { value: number } | null): Pos {
    return search.searchEol(this, start, style, eolLenOut);
  }

  /** evbuffer_readln: the line without its EOL (a new Buffer), drained with the EOL; or null. */
  readln(style: EolStyle, nReadOut: { value: number } | null): Buffer | null {
    return search.readln(this, style, nReadOut);
  }

  peek(len: number, start: Pos | null, vecs: Iovec[] | null, nVec: number): number {
    return search.peek(this, len, start, vecs, nVec);
  }

  /**
   * Views of the first chunks, up to `max` bytes and `maxVecs` views, for
   * handing to a socket write without copying. Returns the number filled.
   */
  chunkViews(max: number, out: Uint8Array[], maxVecs: number): number {
    let n = 0;
    for (let c = this.first; c && n < maxVecs && max > 0; c = c.next) {
      if (!c.off) continue;
      const len = c.off < max ? c.off : max;
      out[n++] = c.view(0, len);
      max -= len;
    }
    return n;
  }
}

settleShape(new Evbuffer());
