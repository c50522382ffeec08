// Free space in an Evbuffer: making room (evbuffer_expand_singlechain,
// evbuffer_expand_fast_), handing it out and taking it back
// (reserve_space / commit_space, and the read path's setup_vecs /
// commit), and making the front contiguous (pullup) — buffer.c's
// decisions, so the resulting chain has libevent's layout.
import {
  allocChunk,
  atSlot,
  CHAIN_MAX,
  CHUNK_IMMUTABLE,
  CHUNK_MULTICAST,
  freeChunk,
  freeChunks,
} from "./chunk.js";
import type { Chunk } from "./chunk.js";
import { invokeCallbacks } from "./evbuffer_cb.js";
import type { Evbuffer } from "./evbuffer.js";
import type { Iovec } from "./evbuffer_search.js";

/** MAX_TO_COPY_IN_EXPAND */
const MAX_TO_COPY_IN_EXPAND = 4096;

/** roomIn's answer when a new chunk must be added (libevent's insert_new). */
const INSERT_NEW = 0;

/**
 * evbuffer_expand_singlechain: one chunk with at least n free bytes, or
 * null. New chunks are added in one place, as libevent's insert_new label
 * does, so that a first call on an empty buffer takes no path of its own.
 */
export function expandSinglechain(buf: Evbuffer, n: number): Chunk | null {
  let slot = buf.lwdPrev;
  let c = atSlot(slot, buf.first);
  if (c && c.space() === 0) {
    slot = c;
    c = c.next;
  }
  const room = c === null || c.flags & CHUNK_IMMUTABLE ? INSERT_NEW : roomIn(buf, slot, c, n);
  return room === INSERT_NEW ? buf.insertNew(n) : room;
}

/** expandSinglechain with a mutable last chunk c (after `slot`): the chunk to use, INSERT_NEW, or null. */
function roomIn(
  buf: Evbuffer,
  slot: Chunk | null,
  c: Chunk,
  n: number,
): Chunk | null | typeof INSERT_NEW {
  if (c.space() >= n) return c;
  if (c.off === 0) return INSERT_NEW;
  if (c.shouldRealign(n)) {
    c.align();
    return c;
  }
  if (
    c.space() < Math.floor(c.bufferLen / 8) ||
    c.off > MAX_TO_COPY_IN_EXPAND ||
    n >= CHAIN_MAX - c.off
  ) {
    return c.next && c.next.space() >= n ? c.next : INSERT_NEW;
  }
  // Replace the chunk by a bigger one holding its data.
  const tmp = allocChunk(c.off + n);
  if (!tmp) return null;
  tmp.appendFrom(c, 0, c.off);
  if (slot === null) buf.first = tmp;
  else slot.next = tmp;
  if (buf.last === c) buf.last = tmp;
  tmp.next = c.next;
  freeChunk(c);
  return tmp;
}

/** evbuffer_expand_fast_: n bytes of space within the last `nChunks` chunks. 0 or -1. */
export function expandFast(buf: Evbuffer, n: number, nChunks: number): number {
  let c = buf.last;
  if (c === null || c.flags & CHUNK_IMMUTABLE) {
    c = allocChunk(n);
    if (!c) return -1;
    buf.insert(c);
    return 0;
  }
  let used = 0;
  let avail = 0;
  for (c = buf.lastWithData(); c; c = c.next) {
    if (c.off) {
      const space = c.space();
      if (space) {
        avail += space;
        used++;
      }
    } else {
      c.misalign = 0;
      avail += c.bufferLen;
      used++;
    }
    if (avail >= n) return 0;
    if (used === nChunks) break;
  }
  if (used < nChunks) {
    const tmp = allocChunk(n - avail);
    if (!tmp) return -1;
    buf.last!.next = tmp;
    buf.last = tmp;
    return 0;
  }
  // Replace all the empty chunks by one big enough.
  let rmvAll = false;
  const lwd = buf.lastWithData()!;
  let victim: Chunk | null;
  if (!lwd.off) {
    rmvAll = true;
    avail = 0;
    victim = lwd;
  } else {
    avail = lwd.space();
    victim = lwd.next;
  }
  freeChunks(victim);
  const tmp = allocChunk(n - avail);
  if (!tmp) {
    if (rmvAll) buf.zeroChain();
    else {
      buf.last = lwd;
      lwd.next = null;
    }
    return -1;
  }
  if (rmvAll) {
    buf.first = buf.last = tmp;
    buf.lwdPrev = null;
  } else {
    lwd.next = tmp;
    buf.last = tmp;
  }
  return 0;
}

/**
 * evbuffer_read_setup_vecs_: views of the free space from the first chunk
 * with space, at most `howmuch` in total if `exact`. Returns the count and
 * the slot of the first chunk used (for commitRead).
 */
export function setupVecs(
  buf: Evbuffer,
  howmuch: number,
  vecs: Iovec[],
  nAvail: number,
  exact: boolean,
): number {
  let slot = buf.lwdPrev;
  if (atSlot(slot, buf.first)!.space() === 0) slot = atSlot(slot, buf.first);
  buf.readSlot = slot;
  let c = atSlot(slot, buf.first);
  let soFar = 0;
  let i = 0;
  for (; i < nAvail && soFar < howmuch; i++) {
    let avail = c!.space();
    if (exact && avail > howmuch - soFar) avail = howmuch - soFar;
    const v = vecs[i] ?? (vecs[i] = { iov_base: null, iov_len: 0 });
    v.iov_base = c!.spaceView(avail);
    v.iov_len = avail;
    soFar += avail;
    c = c!.next;
  }
  return i;
}

/** Accounts n bytes read into the vectors of the last setupVecs (evbuffer_read's tail). */
export function commitRead(buf: Evbuffer, n: number, nvecs: number): void {
  let slot = buf.readSlot;
  let remaining = n;
  for (let i = 0; i < nvecs; i++) {
    const c = atSlot(slot, buf.first)!;
    const space = c.space();
    if (space < remaining) {
      c.off += space;
      remaining -= space;
    } else {
      c.off += remaining;
      buf.lwdPrev = slot;
      break;
    }
    slot = c;
  }
  buf.totalLen += n;
  buf.nAdd += n;
  invokeCallbacks(buf);
}

/** evbuffer_reserve_space: extents of free space; the count or -1. */
export function reserveSpace(buf: Evbuffer, size: number, vecs: Iovec[], nVecs: number): number {
  if (buf.freezeEnd || nVecs < 1) return -1;
  buf.gen++;
  if (nVecs === 1) {
    const c = expandSinglechain(buf, size);
    if (!c) return -1;
    const v = vecs[0] ?? (vecs[0] = { iov_base: null, iov_len: 0 });
    const len = c.space();
    v.iov_base = c.spaceView(len);
    v.iov_len = len;
    return 1;
  }
  if (expandFast(buf, size, nVecs) < 0) return -1;
  return setupVecs(buf, size, vecs, nVecs, false);
}

/** evbuffer_commit_space: 0, or -1 when an extent is not the reserved space. */
export function commitSpace(buf: Evbuffer, vecs: readonly Iovec[], nVecs: number): number {
  if (buf.freezeEnd) return -1;
  if (nVecs === 0) return 0;
  let added = 0;
  const last = buf.last;
  const v0 = vecs[0];
  if (nVecs === 1 && last && v0.iov_base && last.isSpacePointer(v0.iov_base)) {
    if (v0.iov_len > last.space()) return -1;
    buf.gen++;
    last.off += v0.iov_len;
    added = v0.iov_len;
    if (added) buf.advanceLastWithData();
  } else {
    let firstSlot = buf.lwdPrev;
    const lwd = atSlot(firstSlot, buf.first);
    if (!lwd) return -1;
    if (lwd.space() === 0) firstSlot = lwd;
    let c = atSlot(firstSlot, buf.first);
    for (let i = 0; i < nVecs; i++) {
      const v = vecs[i];
      if (!c) return -1;
      if (!v.iov_base || !c.isSpacePointer(v.iov_base) || v.iov_len > c.space()) return -1;
      c = c.next;
    }
    buf.gen++;
    let slot = firstSlot;
    for (let i = 0; i < nVecs; i++) {
      const ch = atSlot(slot, buf.first)!;
      ch.off += vecs[i].iov_len;
      added += vecs[i].iov_len;
      if (vecs[i].iov_len) buf.lwdPrev = slot;
      slot = ch;
    }
  }
  buf.totalLen += added;
  buf.nAdd += added;
  invokeCallbacks(buf);
  return 0;
}

/** evbuffer_pullup: the first `size` bytes (all if < 0) made contiguous, or null. */
export function pullup(buf: Evbuffer, size: number): Buffer | null {
  let c = buf.first;
  if (size < 0) size = buf.totalLen;
  if (size === 0 || size > buf.totalLen) return null;
  if (c!.off >= size) return c!.view(0, size);
  buf.gen++;
  const want = size;
  let tmp: Chunk;
  if (c!.capacity() - c!.misalign >= size) {
    // Enough room after the data of the first chunk. libevent writes there
    // even when the chunk is a view of another buffer's (multicast);
    // giving the view its own memory first keeps the layout and spares
    // the other buffers' bytes.
    if (c!.flags & CHUNK_MULTICAST && c!.owner) {
      const owner = c!.owner;
      if (!c!.privatize()) return null;
      c!.owner = null;
      owner.release(c!);
    }
    tmp = c!;
    size -= c!.off;
    c = c!.next;
  } else {
    const t = allocChunk(size);
    if (!t) return null;
    tmp = t;
    buf.first = tmp;
  }
  const lwd = buf.lastWithData();
  let removedLwd = false;
  let removedLwdp = false;
  const dst = tmp.mem;
  let at = tmp.base + tmp.misalign + tmp.off;
  while (c !== null && size >= c.off) {
    const next: Chunk | null = c.next;
    c.copyTo(dst, at, 0, c.off);
    size -= c.off;
    at += c.off;
    if (c === lwd) removedLwd = true;
    if (buf.lwdPrev === c) removedLwdp = true;
    freeChunk(c);
    c = next;
  }
  if (c !== null) {
    c.copyTo(dst, at, 0, size);
    c.consume(size);
  } else buf.last = tmp;
  tmp.off = want;
  tmp.next = c;
  if (removedLwd) buf.lwdPrev = null;
  else if (removedLwdp) {
    const f = buf.first!;
    buf.lwdPrev = f.next && f.next.off ? f : null;
  }
  return tmp.view(0, want);
}
