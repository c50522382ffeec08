// Chunk storage for Evbuffer: libevent's `struct evbuffer_chain`.
//
// A chunk is `bufferLen` bytes of memory with `misalign` unused bytes at the
// front, then `off` bytes of data, then free space. Chunks are sized exactly
// as libevent sizes its chains (the 48-byte chain header counted in
// 1024-byte, power-of-two allocations), so chain boundaries, and with them
// `evbuffer_peek` counts and `evbuffer_reserve_space` extents, match
// libevent's.
//
// The bytes of ordinary chunks live in shared slabs (one ArrayBuffer carved
// into many chunks), not one Buffer per chunk: that keeps allocation and
// garbage collection per chunk down to one small object, and a slab whose
// chunks are all freed is reused, as malloc reuses freed chains — unless a
// view of it was ever handed out (peek, pullup, reserve, chunkViews for a
// socket write): such a view then keeps its bytes for as long as it is
// referenced. Everything that touches the bytes goes through the methods
// below (allocate, view, append, consume, copy), so where the bytes live
// can change (a native addon) without touching Evbuffer.

/** sizeof(struct evbuffer_chain) on LP64: counted in every allocation. */
export const CHAIN_HEADER = 48;
/** MIN_BUFFER_SIZE on 64-bit platforms. */
export const MIN_BUFFER_SIZE = 1024;
/** EVBUFFER_CHAIN_MAX (= EV_SSIZE_MAX where off_t and size_t are 64-bit). */
export const CHAIN_MAX = 2 ** 63;
/** Above this many bytes an allocation fails the way malloc would (returns null). */
const MAX_ALLOC = 2 ** 32;

// Chain flags (evbuffer-internal.h).
export const CHUNK_FILESEGMENT = 0x0001;
export const CHUNK_SENDFILE = 0x0002;
export const CHUNK_REFERENCE = 0x0004;
export const CHUNK_IMMUTABLE = 0x0008;
export const CHUNK_MULTICAST = 0x0080;

/** MAX_TO_REALIGN_IN_EXPAND */
const MAX_TO_REALIGN = 2048;

const SLAB_SIZE = 256 * 1024;
/** Chunks up to this size come from slabs; bigger ones get their own memory. */
const SLAB_MAX_CHUNK = 32 * 1024;
/** Freed slabs kept for reuse (at most this many bytes retained). */
const MAX_FREE_SLABS = 16;
/** Beyond those, freed slabs the garbage collector has not yet taken back. */
const MAX_SPARE_SLABS = 1024;

/** Releases what a special chunk holds when its last reference goes. */
export interface ChunkOwner {
  release(chunk: Chunk): void;
}

class Slab {
  readonly mem = Buffer.allocUnsafeSlow(SLAB_SIZE);
  /** The same memory as a plain Uint8Array: its subarray() is the cheapest view to copy through. */
  readonly raw = new Uint8Array(this.mem.buffer, this.mem.byteOffset, SLAB_SIZE);
  /** And as a DataView, to write several bytes at a time. */
  readonly dv = new DataView(this.mem.buffer, this.mem.byteOffset, SLAB_SIZE);
  top = 0;
  live = 0;
  /**
   * A view of its memory was handed out (peek, pullup, reserve, a socket
   * write): the slab is never reused, so such a view never sees other data,
   * however long it is kept (the GC frees the slab once all views are gone).
   */
  exposed = false;
}

let current: Slab | null = null;
const freeSlabs: Slab[] = [];
// Memory handed back and asked for again soon (a buffer drained and filled
// in a loop) is reused, as malloc reuses freed chains, instead of faulting
// in fresh pages; the GC still frees what stays unused.
const spareSlabs: WeakRef<Slab>[] = [];

function recycle(s: Slab): void {
  s.top = 0;
  if (freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(s);
  else if (spareSlabs.length < MAX_SPARE_SLABS) spareSlabs.push(new WeakRef(s));
}

const EMPTY = Buffer.alloc(0);
// Typed-array methods called through these references: looked up on the
// array at each call, they cost an inline-cache call even in optimized code.
const setBytes = Uint8Array.prototype.set;
const subarray = Uint8Array.prototype.subarray;
const indexOf = Buffer.prototype.indexOf;

export class Chunk {
  next: Chunk | null = null;
  // Fields set by the constructor are declared only: a default would be
  // stored first, and V8 would then give the field a looser representation.
  /** The memory holding this chunk: its bytes are mem[base, base + bufferLen). */
  declare mem: Buffer;
  declare base: number;
  /** libevent's buffer_len: the allocation (for reference/file chunks, their length). */
  declare bufferLen: number;
  misalign = 0;
  off = 0;
  flags = 0;
  refcnt = 1;
  /** For reference, file-segment and multicast chunks: what to release on free. */
  owner: ChunkOwner | null = null;
  /** The slab the memory was carved from, if any. */
  declare slab: Slab | null;
  /** A Buffer over exactly this chunk's memory, made when first needed. */
  private local: Buffer | null = null;
  /** A DataView over mem (same indices) when not in a slab, made when first needed. */
  private ownView: DataView | null = null;

  /** mem as a plain Uint8Array (same indices). */
  declare raw: Uint8Array;

  constructor(mem: Buffer, base: number, bufferLen: number, slab: Slab | null = null) {
    this.mem = mem;
    this.base = base;
    this.bufferLen = bufferLen;
    this.slab = slab;
    this.raw = slab !== null ? slab.raw : new Uint8Array(mem.buffer, mem.byteOffset, mem.length);
  }

  /** mem as a DataView (same indices as raw). */
  dataView(): DataView {
    if (this.slab !== null) return this.slab.dv;
    return (this.ownView ??= new DataView(this.mem.buffer, this.mem.byteOffset, this.mem.length));
  }

  /** Free space after the data (CHAIN_SPACE_LEN): 0 for immutable chunks. */
  space(): number {
    return this.flags & CHUNK_IMMUTABLE ? 0 : this.bufferLen - this.misalign - this.off;
  }

  /** Bytes of memory from the start of the chunk (bufferLen, except for sendfile chunks). */
  capacity(): number {
    return this.mem.length - this.base < this.bufferLen
      ? this.mem.length - this.base
      : this.bufferLen;
  }

  /** Copies src[srcOff, srcOff + n) to the end of the data. The caller made room. */
  append(src: Uint8Array, srcOff: number, n: number): void {
    const at = this.base + this.misalign + this.off;
    if (srcOff === 0 && n === src.length) setBytes.call(this.raw, src, at);
    else setBytes.call(this.raw, slice(src, srcOff, n), at);
    this.off += n;
  }

  /** Copies n data bytes of chunk `c` (from data offset `from`) to the end of the data. */
  appendFrom(c: Chunk, from: number, n: number): void {
    const s = c.base + c.misalign + from;
    setBytes.call(this.raw, subarray.call(c.raw, s, s + n), this.base + this.misalign + this.off);
    this.off += n;
  }

  /** Copies src[srcOff, srcOff + n) in front of the data. The caller checked misalign >= n. */
  prependBytes(src: Uint8Array, srcOff: number, n: number): void {
    const at = this.misalign - n;
    if (srcOff === 0 && n === src.length) setBytes.call(this.raw, src, this.base + at);
    else setBytes.call(this.raw, slice(src, srcOff, n), this.base + at);
    this.misalign = at;
    this.off += n;
  }

  /** Forgets the first n bytes of data. */
  consume(n: number): void {
    this.misalign += n;
    this.off -= n;
  }

  /** Copies n data bytes starting at data offset `from` into dst at dstOff. */
  copyTo(dst: Uint8Array, dstOff: number, from: number, n: number): void {
    copyBytes(this.raw, this.base + this.misalign + from, dst, dstOff, n);
  }

  /** A new Buffer holding a copy of n data bytes from `from`. */
  copyOut(from: number, n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    copyBytes(this.raw, this.base + this.misalign + from, b, 0, n);
    return b;
  }

  /** A Buffer over this chunk's memory; data is at [misalign, misalign + off). */
  region(): Buffer {
    if (this.local === null) {
      this.local =
        this.base === 0 && this.mem.length === this.bufferLen
          ? this.mem
          : this.mem.subarray(this.base, this.base + this.capacity());
    }
    return this.local;
  }

  /** A view of data bytes [from, to) of this chunk, sharing its memory. */
  view(from: number, to: number): Buffer {
    if (this.slab !== null) this.slab.exposed = true;
    const s = this.base + this.misalign;
    return this.mem.subarray(s + from, s + to);
  }

  /** A plain view of n data bytes from `from` (cheaper than view()). */
  dataSlice(from: number, n: number): Uint8Array {
    const s = this.base + this.misalign + from;
    return subarray.call(this.raw, s, s + n);
  }

  /** A view of the free space after the data, `n` bytes long. */
  spaceView(n: number): Buffer {
    if (this.slab !== null) this.slab.exposed = true;
    const s = this.base + this.misalign + this.off;
    return this.mem.subarray(s, s + n);
  }

  /** Moves the data to the front of the memory (evbuffer_chain_align). */
  align(): void {
    if (this.misalign) {
      const b = this.base;
      this.mem.copyWithin(b, b + this.misalign, b + this.misalign + this.off);
    }
    this.misalign = 0;
  }

  /** True iff `p` views this chunk's memory starting at its first free byte. */
  isSpacePointer(p: Uint8Array): boolean {
    return (
      p.buffer === this.mem.buffer &&
      p.byteOffset === this.mem.byteOffset + this.base + this.misalign + this.off
    );
  }

  /** The data byte at data offset i. */
  byteAt(i: number): number {
    return this.mem[this.base + this.misalign + i];
  }

  /** Index (data offset) of the first `byte` in data [from, off), or -1. */
  indexOfByte(byte: number, from: number): number {
    const start = this.misalign + from;
    const end = this.misalign + this.off;
    if (end - start <= 0) return -1;
    const i = indexOf.call(this.region(), byte, start);
    return i < 0 || i >= end ? -1 : i - this.misalign;
  }

  /** Moves the data into memory of its own (same layout). False if none can be had. */
  privatize(): boolean {
    const fresh = allocMem(this.bufferLen);
    if (fresh === null) return false;
    const s = this.base + this.misalign;
    setBytes.call(fresh.mem, subarray.call(this.raw, s, s + this.off), fresh.base + this.misalign);
    this.mem = fresh.mem;
    this.base = fresh.base;
    this.slab = fresh.slab;
    this.raw =
      fresh.slab !== null
        ? fresh.slab.raw
        : new Uint8Array(fresh.mem.buffer, fresh.mem.byteOffset, fresh.mem.length);
    this.local = null;
    this.ownView = null;
    return true;
  }

  /** evbuffer_chain_should_realign: moving the data to the front would make room for n bytes cheaply. */
  shouldRealign(n: number): boolean {
    return (
      this.bufferLen - this.off >= n &&
      this.off < Math.floor(this.bufferLen / 2) &&
      this.off <= MAX_TO_REALIGN
    );
  }

  /** Gives the memory back (the last reference is gone). */
  release(): void {
    const s = this.slab;
    if (s !== null) {
      this.slab = null;
      if (--s.live === 0 && !s.exposed) {
        if (s === current) s.top = 0;
        else recycle(s);
      }
    }
  }
}

/** evbuffer_chain_free: drops one reference; the last runs the chunk's release. */
export function freeChunk(c: Chunk): void {
  if (--c.refcnt > 0) return;
  const owner = c.owner;
  if (owner) {
    c.owner = null;
    owner.release(c);
  }
  c.release();
}

/**
 * The chunk a slot points at: `first` for the null slot (libevent's
 * &buf->first), else slot.next. Callers pass `first` loaded either way: a
 * load only in the rarer case would get no type feedback from V8 in a run's
 * first calls, and code compiled then would be thrown away when it comes.
 */
export function atSlot(slot: Chunk | null, first: Chunk | null): Chunk | null {
  return slot === null ? first : slot.next;
}

/** Frees a list of chunks from `c` on. */
export function freeChunks(c: Chunk | null): void {
  while (c) {
    const next: Chunk | null = c.next;
    freeChunk(c);
    c = next;
  }
}

/** Copies src[s, s + n) into dst at dstOff. */
function copyBytes(src: Uint8Array, s: number, dst: Uint8Array, dstOff: number, n: number): void {
  if (n <= 16) for (let i = 0; i < n; i++) dst[dstOff + i] = src[s + i];
  else setBytes.call(dst, subarray.call(src, s, s + n), dstOff);
}

/** Copies n data bytes of the chain, from data offset `from` of chunk c on, into dst at dstOff. */
export function copyChain(
  c: Chunk,
  from: number,
  dst: Uint8Array,
  dstOff: number,
  n: number,
): void {
  // The common case, kept small for V8 to compile quickly: one chunk holds them all.
  if (c.off - from >= n) copyBytes(c.raw, c.base + c.misalign + from, dst, dstOff, n);
  else copyRuns(c, from, dst, dstOff, n);
}

/**
 * copyChain across chunks. Chunks carved one after another from a slab hold
 * their data back to back; such a run is copied as one range.
 */
function copyRuns(c: Chunk, from: number, dst: Uint8Array, dstOff: number, n: number): void {
  while (n > 0) {
    const raw = c.raw;
    const s = c.base + c.misalign + from;
    let len = c.off - from < n ? c.off - from : n;
    let next = c.next;
    while (len < n && next !== null && next.raw === raw && next.base + next.misalign === s + len) {
      len += next.off < n - len ? next.off : n - len;
      next = next.next;
    }
    copyBytes(raw, s, dst, dstOff, len);
    dstOff += len;
    n -= len;
    c = next!;
    from = 0;
  }
}

/** A plain view of src[off, off + n): cheaper to make than Buffer#subarray. */
function slice(src: Uint8Array, off: number, n: number): Uint8Array {
  return new Uint8Array(src.buffer, src.byteOffset + off, n);
}

function spareSlab(): Slab | undefined {
  while (spareSlabs.length > 0) {
    const s = spareSlabs.pop()!.deref();
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Chunks are carved back to back, so consecutive ones can be copied from as one range. */
function carve(len: number): Chunk {
  let s = current;
  if (s === null || s.top + len > SLAB_SIZE) {
    if (s !== null && s.live === 0 && !s.exposed) recycle(s);
    s = current = freeSlabs.pop() ?? spareSlab() ?? new Slab();
  }
  const c = new Chunk(s.mem, s.top, len, s);
  s.top += len;
  s.live++;
  return c;
}

/** Memory for `len` bytes: a slab piece, or a Buffer of its own. */
function allocMem(len: number): { mem: Buffer; base: number; slab: Slab | null } | null {
  if (len <= SLAB_MAX_CHUNK) {
    const c = carve(len);
    return { mem: c.mem, base: c.base, slab: c.slab };
  }
  if (len > MAX_ALLOC) return null;
  try {
    return { mem: Buffer.allocUnsafeSlow(len), base: 0, slab: null };
  } catch {
    return null;
  }
}

/**
 * A new writable chunk able to hold `size` bytes (evbuffer_chain_new): the
 * allocation is the header plus `size`, rounded up to a power of two of at
 * least 1024. Returns null where libevent's allocation would fail.
 */
export function allocChunk(size: number): Chunk | null {
  if (size > CHAIN_MAX - CHAIN_HEADER) return null;
  size += CHAIN_HEADER;
  let toAlloc: number;
  if (size < CHAIN_MAX / 2) {
    toAlloc = MIN_BUFFER_SIZE;
    while (toAlloc < size) toAlloc *= 2;
  } else toAlloc = size;
  const len = toAlloc - CHAIN_HEADER;
  if (len <= SLAB_MAX_CHUNK) return carve(len);
  if (len > MAX_ALLOC) return null;
  let mem: Buffer;
  try {
    mem = Buffer.allocUnsafeSlow(len);
  } catch {
    return null;
  }
  return new Chunk(mem, 0, len);
}

/** A chunk over memory it does not own (references, file data, multicast views). */
export function foreignChunk(mem: Buffer, base: number, bufferLen: number, flags: number): Chunk {
  const c = new Chunk(mem, base, bufferLen);
  c.flags = flags;
  return c;
}

/** A chunk taking ownership of `mem`, full of data (no copy). */
export function ownedChunk(mem: Buffer): Chunk {
  const c = new Chunk(mem, 0, mem.length);
  c.off = mem.length;
  return c;
}

/**
 * A chunk of exactly n bytes, full of a copy of src[0, n): a socket's small
 * read, carved from a slab. One object per read, where a Buffer of its own
 * would take three (the Buffer, the chunk, its plain view), and thousands of
 * connections' reads wait in memory at once between two passes of the loop.
 */
export function filledChunk(src: Uint8Array, n: number): Chunk {
  if (n > SLAB_MAX_CHUNK) return ownedChunk(Buffer.from(subarray.call(src, 0, n)));
  const c = carve(n);
  copyBytes(src, 0, c.raw, c.base, n);
  c.off = n;
  return c;
}

/** Splits off the first n (< c.off) data bytes of c as a chunk of their own over the same memory. */
export function splitFront(c: Chunk, n: number): Chunk {
  const head = new Chunk(c.mem, c.base + c.misalign, n, c.slab);
  head.off = n;
  if (c.slab !== null) c.slab.live++;
  c.consume(n);
  return head;
}

/** A Buffer viewing the same memory as `u` (no copy). */
export function asBuffer(u: Uint8Array): Buffer {
  if (Buffer.isBuffer(u)) return u;
  if (u.length === 0) return EMPTY;
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * Settles an object's shape: V8 compiles loads of a field no object has
 * changed yet as constants, and throws that code away when one first does.
 * Chunks and buffers change some fields only when drained, freed or shared,
 * often after the hot code of a run was compiled; changing every field once,
 * at load, on an object never used, keeps that code.
 */
export function settleShape(o: object): void {
  Object.assign(o, o);
}

settleShape(new Chunk(EMPTY, 0, 0));
