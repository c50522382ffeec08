// Positions in an Evbuffer, searching, end-of-line scanning, readln, peek
// (buffer.c: evbuffer_ptr_set, evbuffer_search_range, evbuffer_search_eol,
// evbuffer_readln, evbuffer_peek). Results match libevent 2.1.12's, including
// its edge cases (an empty needle is found at the start, CRLF backs up over a
// CR only after the start, EOL_ANY swallows a whole run of CR/LF bytes).
import type { Chunk } from "./chunk.js";
import type { Evbuffer } from "./evbuffer.js";

/** struct evbuffer_iovec */
export interface Iovec {
  iov_base: Uint8Array | null;
  iov_len: number;
}

/** enum evbuffer_eol_style */
export type EolStyle = number;
export const EOL_ANY = 0;
export const EOL_CRLF = 1;
export const EOL_CRLF_STRICT = 2;
export const EOL_LF = 3;
export const EOL_NUL = 4;

const CR = 13;
const LF = 10;
const CRLF_BYTES = Buffer.from("\r\n");
// Called through a reference: looked up on a Buffer at each call, the method
// costs an inline-cache call even in optimized code.
const indexOf = Buffer.prototype.indexOf;

/**
 * The inside of a struct evbuffer_ptr: the position, the chunk it falls in
 * (null at the end) and the offset in that chunk. `buf`/`gen` say which
 * buffer state it was computed for.
 */
export class Pos {
  constructor(
    public pos: number,
    public chain: Chunk | null,
    public inChain: number,
    public buf: Evbuffer | null = null,
    public gen = 0,
  ) {}
}

function notFound(): Pos {
  return new Pos(-1, null, 0);
}

/** A Pos for byte `pos` (0 <= pos <= length) of buf, by walking the chain. */
export function posAt(buf: Evbuffer, pos: number): Pos {
  const p = new Pos(0, null, 0);
  ptrSet(buf, p, pos, false);
  return p;
}

/** evbuffer_ptr_set: 0, or -1 (and pos -1) when the position is out of the buffer. */
export function ptrSet(buf: Evbuffer, p: Pos, position: number, add: boolean): number {
  let left = position;
  let c: Chunk | null;
  if (!add) {
    c = buf.first;
    p.pos = position;
    position = 0;
  } else {
    if (p.pos < 0 || 2 ** 64 - position < p.pos) return -1;
    c = p.chain;
    p.pos += position;
    position = p.inChain;
  }
  while (c && position + left >= c.off) {
    left -= c.off - position;
    c = c.next;
    position = 0;
  }
  p.buf = buf;
  p.gen = buf.gen;
  if (c) {
    p.chain = c;
    p.inChain = position + left;
  } else if (left === 0) {
    p.chain = null;
    p.inChain = 0;
  } else {
    p.pos = -1;
    p.chain = null;
    p.inChain = 0;
    return -1;
  }
  return 0;
}

/** True iff `what` occurs at data offset `at` of chunk c (possibly running into later chunks). */
function matchesAt(c: Chunk, at: number, what: Uint8Array): boolean {
  let k = 0;
  const len = what.length;
  let ch: Chunk | null = c;
  let i = at;
  while (ch && k < len) {
    const mem = ch.region();
    const base = ch.misalign;
    const off = ch.off;
    for (; i < off && k < len; i++, k++) if (mem[base + i] !== what[k]) return false;
    ch = ch.next;
    i = 0;
  }
  return k === len;
}

// Byte classes by how often they occur in text and typical binary data,
// most common first: the search looks for the needle's rarest byte
// (memchr speed), then compares the whole needle around each hit.
const COMMON_FIRST =
  " etaoinsrhldcu\n\0mfpgwybv,.\r\tkETAOINSRHLDCUMFPGWYBV0123456789-_/:=\"'xjqzKXJQZ()";
const RARITY = new Uint8Array(256).fill(255);
for (let i = 0; i < COMMON_FIRST.length; i++) RARITY[COMMON_FIRST.charCodeAt(i)] = i;
RARITY[0xff] = 16;

/** Index in `what` of its rarest byte (the last of equally rare ones). */
function rareIndex(what: Uint8Array): number {
  let best = 0;
  for (let i = 1; i < what.length; i++) if (RARITY[what[i]] >= RARITY[what[best]]) best = i;
  return best;
}

/** True iff mem[at, at + what.length) holds `what`. */
function equalAt(mem: Uint8Array, at: number, what: Uint8Array): boolean {
  for (let k = 0; k < what.length; k++) if (mem[at + k] !== what[k]) return false;
  return true;
}

/**
 * Data offset of the first full match of `what` inside chunk c at or after
 * `from`, or -1. `rare` is rareIndex(what). Hits of the rare byte that are
 * not matches are counted; when they are too many for their distance (the
 * byte is common in this data), the rest of the chunk is left to indexOf.
 */
function indexInChunk(c: Chunk, what: Uint8Array, rare: number, from: number): number {
  const len = what.length;
  if (len === 1) return c.indexOfByte(what[0], from);
  const start = c.misalign + from;
  const end = c.misalign + c.off;
  if (end - start < len) return -1;
  const mem = c.region();
  const byte = what[rare];
  let misses = 0;
  for (let h = start + rare; ; h++) {
    h = indexOf.call(mem, byte, h);
    const at = h - rare;
    if (h < 0 || at + len > end) return -1;
    if (equalAt(mem, at, what)) return at - c.misalign;
    if (++misses > 8 + ((h - start) >> 8)) return indexOfFrom(c, mem, what, at + 1, end);
  }
}

/** indexInChunk's fallback: indexOf on the data from `start` (a memory index). */
function indexOfFrom(c: Chunk, mem: Buffer, what: Uint8Array, start: number, end: number): number {
  let i: number;
  // Scanning a little past the data is cheaper than making a view.
  if (mem.length - end <= 256) i = indexOf.call(mem, what, start);
  else {
    i = indexOf.call(mem.subarray(start, end), what);
    if (i >= 0) i += start;
  }
  return i < 0 || i + what.length > end ? -1 : i - c.misalign;
}

/** evbuffer_search_range: the first match at or after start that ends by `end`. */
export function searchRange(
  buf: Evbuffer,
  what: Uint8Array,
  start: Pos | null,
  end: Pos | null,
): Pos {
  let pos: number, c: Chunk | null, inChain: number;
  if (start) {
    pos = start.pos;
    c = start.chain;
    inChain = start.inChain;
  } else {
    pos = 0;
    c = buf.first;
    inChain = 0;
  }
  const len = what.length;
  if (len === 0) return new Pos(pos, c, inChain, buf, buf.gen);
  const first = what[0];
  const rare = rareIndex(what);
  while (c) {
    if (end && pos + len > end.pos) return notFound();
    const i = indexInChunk(c, what, rare, inChain);
    if (i >= 0) return found(buf, pos + (i - inChain), c, i, len, end);
    // A match straddling the end of this chunk starts in its last len-1 bytes.
    const off = c.off;
    let j = off - len + 1;
    if (j < inChain) j = inChain;
    for (; j < off; j++) {
      if (c.byteAt(j) === first && matchesAt(c, j, what))
        return found(buf, pos + (j - inChain), c, j, len, end);
    }
    pos += off - inChain;
    c = c.next;
    inChain = 0;
  }
  return notFound();
}

function found(
  buf: Evbuffer,
  pos: number,
  c: Chunk,
  inChain: number,
  len: number,
  end: Pos | null,
): Pos {
  if (end && pos + len > end.pos) return notFound();
  return new Pos(pos, c, inChain, buf, buf.gen);
}

/** evbuffer_strchr: moves `it` to the next `byte`; false if none. */
function strchr(it: Pos, byte: number): boolean {
  let c = it.chain;
  let i = it.inChain;
  while (c) {
    const j = c.indexOfByte(byte, i);
    if (j >= 0) {
      it.chain = c;
      it.inChain = j;
      it.pos += j - i;
      return true;
    }
    it.pos += c.off - i;
    i = 0;
    c = c.next;
  }
  return false;
}

/** Data offset of the first CR or LF in chunk c from `from`, or -1. */
function eolCharInChunk(c: Chunk, from: number): number {
  const lf = c.indexOfByte(LF, from);
  const limit = lf >= 0 ? lf : c.off;
  if (limit - from <= 256) {
    const mem = c.region();
    const base = c.misalign;
    for (let k = from; k < limit; k++) if (mem[base + k] === CR) return k;
    return lf;
  }
  const cr = c.indexOfByte(CR, from);
  return cr >= 0 && cr < limit ? cr : lf;
}

/** evbuffer_find_eol_char: moves `it` to the next CR or LF; false if none. */
function findEolChar(it: Pos): boolean {
  let c = it.chain;
  let i = it.inChain;
  while (c) {
    const j = eolCharInChunk(c, i);
    if (j >= 0) {
      it.chain = c;
      it.inChain = j;
      it.pos += j - i;
      return true;
    }
    it.pos += c.off - i;
    i = 0;
    c = c.next;
  }
  return false;
}

/** How many CR/LF bytes follow from `it` (inclusive), across chunks. */
function crlfRun(it: Pos): number {
  let c = it.chain;
  let i = it.inChain;
  let count = 0;
  while (c) {
    const mem = c.region();
    const base = c.misalign;
    for (; i < c.off; i++) {
      const b = mem[base + i];
      if (b !== CR && b !== LF) return count;
      count++;
    }
    i = 0;
    c = c.next;
  }
  return count;
}

/** evbuffer_search_eol: the first EOL at or after start; its length goes to eolLenOut. */
export function searchEol(
  buf: Evbuffer,
  start: Pos | null,
  style: EolStyle,
  eolLenOut: { value: number } | null,
): Pos {
  let extra = 0;
  if (start && start.chain === null) {
    if (eolLenOut) eolLenOut.value = 0;
    return notFound();
  }
  let it = start ? new Pos(start.pos, start.chain, start.inChain) : new Pos(0, buf.first, 0);
  let ok = false;
  switch (style) {
    case EOL_ANY:
      if (!findEolChar(it)) break;
      extra = crlfRun(it);
      ok = true;
      break;
    case EOL_CRLF_STRICT:
      it = searchRange(buf, CRLF_BYTES, it, null);
      if (it.pos < 0) break;
      extra = 2;
      ok = true;
      break;
    case EOL_CRLF: {
      const startPos = it.pos;
      if (!strchr(it, LF)) break;
      extra = 1;
      ok = true;
      if (it.pos === startPos) break;
      const prev = new Pos(it.pos, it.chain, it.inChain);
      if (prev.chain && prev.inChain >= 1) {
        prev.inChain--;
        prev.pos--;
      } else if (ptrSet(buf, prev, it.pos - 1, false) < 0) break;
      if (prev.chain && prev.chain.byteAt(prev.inChain) === CR) {
        it = prev;
        extra = 2;
      }
      break;
    }
    case EOL_LF:
      if (!strchr(it, LF)) break;
      extra = 1;
      ok = true;
      break;
    case EOL_NUL:
      if (!strchr(it, 0)) break;
      extra = 1;
      ok = true;
      break;
  }
  if (eolLenOut) eolLenOut.value = extra;
  if (!ok) return notFound();
  it.buf = buf;
  it.gen = buf.gen;
  return it;
}

const scratchLen = { value: 0 };
/**
 * By style, the byte ending a line when readln may look for it alone (-1:
 * the style needs searchEol). A table rather than comparisons, so that V8's
 * code compiled for one style stays valid for another.
 */
const LINE_END = new Int16Array(EOL_NUL + 1).fill(-1);
LINE_END[EOL_CRLF] = LINE_END[EOL_LF] = LF;
LINE_END[EOL_NUL] = 0;

/**
 * evbuffer_readln: the line (a new Buffer) without its EOL; both drained.
 * null if none. Every outcome leaves by the same statements, so that the
 * last call of a reading loop (on an empty buffer) takes no path of its own
 * (V8 would throw away the loop's compiled code to run it).
 */
export function readln(
  buf: Evbuffer,
  style: EolStyle,
  nReadOut: { value: number } | null,
): Buffer | null {
  let line: Buffer | null = null;
  if (!buf.freezeStart && buf.totalLen > 0) line = lineIn(buf, style);
  if (nReadOut) nReadOut.value = line === null ? 0 : line.length;
  return line;
}

/** readln on a buffer with data: the line, drained with its EOL, or null. */
function lineIn(buf: Evbuffer, style: EolStyle): Buffer | null {
  const c = buf.first!;
  const eol = style >= 0 && style < LINE_END.length ? LINE_END[style] : -1;
  if (eol >= 0) {
    // The common case: the line ends in the first chunk.
    const j = c.indexOfByte(eol, 0);
    if (j >= 0) {
      // A CR before the LF ends a CRLF line (compared in every style: see LINE_END).
      const prev = j > 0 ? c.byteAt(j - 1) : 0;
      const cr = (style === EOL_CRLF ? 1 : 0) & (prev === CR ? 1 : 0);
      const line = c.copyOut(0, j - cr);
      if (buf.cbHead === null) buf.consume(j + 1);
      else {
        // libevent removes the line, then drains the EOL: two callback runs.
        if (j > cr) buf.consume(j - cr);
        buf.consume(1 + cr);
      }
      return line;
    }
  }
  const it = searchEol(buf, null, style, scratchLen);
  if (it.pos < 0) return null;
  const n = it.pos;
  const line = Buffer.allocUnsafe(n);
  buf.remove(line, n);
  buf.drain(scratchLen.value);
  return line;
}

function fill(vecs: Iovec[], i: number, base: Buffer, len: number): void {
  const v = vecs[i] ?? (vecs[i] = { iov_base: null, iov_len: 0 });
  v.iov_base = base;
  v.iov_len = len;
}

/** evbuffer_peek: the number of extents covering len bytes (all if < 0) from start. */
export function peek(
  buf: Evbuffer,
  len: number,
  start: Pos | null,
  vecs: Iovec[] | null,
  nVec: number,
): number {
  if (start && start.chain === null) return 0;
  let c: Chunk | null;
  let idx = 0;
  let soFar = 0;
  if (start) {
    c = start.chain!;
    soFar = c.off - start.inChain;
    idx = 1;
    if (nVec > 0) fill(vecs!, 0, c.view(start.inChain, c.off), soFar);
    c = c.next;
  } else c = buf.first;
  if (nVec === 0 && len < 0) {
    len = buf.totalLen;
    if (start) len -= start.pos;
  }
  while (c) {
    if (len >= 0 && soFar >= len) break;
    if (idx < nVec) fill(vecs!, idx, c.view(0, c.off), c.off);
    else if (len < 0) break;
    idx++;
    soFar += c.off;
    c = c.next;
  }
  return idx;
}
