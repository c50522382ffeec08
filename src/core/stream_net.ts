// The data path of a connected descriptor over a wire (wire.ts): the
// library's stand-in for the kernel's receive and send buffers.
//
// Receive: arrived chunks queue here up to a bound (SO_RCVBUF's share); at
// the bound the wire stops reading, so TCP backpressure reaches the peer,
// and reading below it resumes. Send: bytes go to the wire while what it
// has not yet handed to the kernel is under a bound (SO_SNDBUF's share),
// like a kernel send buffer; past it a write takes nothing (-EAGAIN) and
// room returning is reported as POLLOUT. So Node's own buffers never hold
// an unbounded copy.
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP } from "./descriptor.js";
import type { Wire, WireOwner } from "./wire.js";
import { EAGAIN, EINVAL, EPIPE } from "../libc/errno.js";
import { filledChunk, freeChunk, ownedChunk, splitFront, type Chunk } from "./chunk.js";

export interface ConduitOwner {
  /** Something happened on the stream (POLL* bits of what is new). */
  changed(edge: number): void;
}

/** How much the buffers hold (a socket's SO_RCVBUF and SO_SNDBUF shares). */
export interface Bounds {
  readonly rcvBound: number;
  readonly sndBound: number;
}

/**
 * Conduits a bufferevent wrote to more than once in this JavaScript turn,
 * corked until it ends. The loop runs pass after pass in one turn and
 * yields to Node for I/O, so the writes of a turn after its first leave in
 * one writev: the bytes were accepted at once, as a kernel send buffer
 * accepts them, and fewer, larger syscalls carry them. A lone write goes
 * out at once (corking it would only add Node's buffering). A program's own
 * write(2)/send(2) is never corked: its result must be the kernel's (EPIPE
 * to a closed peer comes from that very call).
 */
const corkedThisTurn: NetConduit[] = [];

/**
 * Hands what this turn's writes corked to the kernel: when the turn ends,
 * and before the process blocks (sleep) or ends (exit), where C's bytes
 * would already be in the kernel.
 */
export function flushWrites(): void {
  for (const c of corkedThisTurn) c.endTurn();
  corkedThisTurn.length = 0;
}

const READ_SIZE = 65536;
/** Where socket reads land (one at a time: Node reads on one thread). */
const READ_BUFFER = Buffer.allocUnsafe(READ_SIZE);
/** A read at least this large makes the socket's next read land in memory of its own, kept without a copy. */
const BULK_READ = 32768;

export class NetConduit implements WireOwner {
  private wire: Wire | null = null;
  /** What arrived, as evbuffer chunks full of data: a read hands the first over as it is. */
  private queue: Chunk[] = [];
  pending = 0;
  /** The peer shut down writing (or we shut down reading): reads end at the queue's end. */
  eof = false;
  /** After SHUT_RD, arrivals are dropped. */
  private discard = false;
  wrShut = false;
  /** The connection failed or was reset; the wire is gone. */
  dead = false;
  /** The pending socket error (SO_ERROR), consumed by the next read, write or getsockopt. */
  err = 0;
  /** `err` is for reads only (see WireOwner.fail). */
  private errReadsOnly = false;
  /** Writes accepted before a wire is attached (a connect still under way). */
  private early: Buffer[] = [];
  private earlyLen = 0;
  /** A write found the send buffer full: report POLLOUT when room returns. */
  private full = false;
  private paused = false;
  /** The last read was large: the next lands in ownReadBuf. */
  private bulk = false;
  private ownReadBuf: Buffer | null = null;
  /** Closed before a wire came, with bytes to send: attach sends them, then closes. */
  private closeOnAttach = false;
  /** 0: not written to this turn; 1: written once; 2: corked until the turn ends (see corkedThisTurn). */
  private turnWrites = 0;

  constructor(
    private readonly owner: ConduitOwner,
    private readonly bounds: Bounds,
  ) {}

  /**
   * Reads land in one shared buffer and are copied at once into a chunk
   * carved from a slab (filledChunk); while the socket reads in bulk, each
   * read lands in a buffer of its own that is kept as it is.
   */
  readBuffer(): Buffer {
    return this.bulk ? (this.ownReadBuf ??= Buffer.allocUnsafe(READ_SIZE)) : READ_BUFFER;
  }

  received(n: number, buf: Buffer): boolean {
    let c: Chunk;
    if (buf === this.ownReadBuf && n >= BULK_READ) {
      c = ownedChunk(n === buf.length ? buf : buf.subarray(0, n));
      this.ownReadBuf = null;
    } else c = filledChunk(buf, n);
    this.bulk = n >= BULK_READ;
    // An idle connection holds no read buffer of its own.
    if (!this.bulk) this.ownReadBuf = null;
    return this.queued(c);
  }

  /** Starts moving bytes over `wire` (made with this conduit as its owner). */
  attach(wire: Wire): void {
    this.wire = wire;
    for (const b of this.early) wire.write(b, false);
    // One report for them all, after the last.
    if (this.early.length) wire.notifyWhenFlushed();
    this.early = [];
    this.earlyLen = 0;
    if (this.wrShut) wire.end();
    if (this.closeOnAttach) {
      this.closeOnAttach = false;
      this.wire = null;
      wire.close(false);
    }
  }

  /**
   * close(2) before a wire came: true if bytes written meanwhile are kept
   * for attach to send (the caller keeps its handle until then).
   */
  closeWhenAttached(): boolean {
    if (this.wire || this.earlyLen === 0) return false;
    this.closeOnAttach = true;
    this.dead = true;
    this.dropQueue();
    return true;
  }

  /** Queues arrived bytes (the conduit's from now on); false once the receive buffer is full (the wire stops reading). */
  arrived(b: Buffer): boolean {
    return this.queued(ownedChunk(b));
  }

  private queued(c: Chunk): boolean {
    if (this.discard) {
      freeChunk(c);
      return true;
    }
    this.queue.push(c);
    this.pending += c.off;
    const full = this.pending >= this.bounds.rcvBound;
    if (full) this.paused = true;
    this.owner.changed(POLLIN);
    return !full;
  }

  ended(): void {
    this.eof = true;
    this.owner.changed(POLLIN | POLLRDHUP | (this.wrShut ? POLLHUP : 0));
  }

  /** The wire handed queued bytes to the kernel: report room if a write found none. */
  flushed(): void {
    if (!this.full || this.unflushed >= this.bounds.sndBound) return;
    this.full = false;
    this.owner.changed(POLLOUT);
  }

  /** The connection failed with errno `e` (refused, reset, broken pipe; 0: it is just gone). */
  fail(e: number, readsOnly = false): void {
    if (this.dead) return;
    this.dead = true;
    this.err = e;
    this.errReadsOnly = readsOnly;
    this.early = [];
    this.earlyLen = 0;
    this.wire = null;
    this.owner.changed(POLLERR | POLLHUP);
  }

  poll(): number {
    let m = 0;
    if (this.pending > 0 || this.eof) m |= POLLIN;
    if (this.eof) m |= POLLRDHUP;
    if (!this.dead && (this.wrShut || this.unflushed < this.bounds.sndBound)) m |= POLLOUT;
    if (this.err) m |= POLLERR;
    if (this.dead || (this.eof && this.wrShut)) m |= POLLHUP;
    return m;
  }

  /**
   * Nothing is queued: take what the kernel holds now, after this turn's
   * corked writes (another socket of the program may be the sender), as C's
   * read(2) would find it.
   */
  private readKernel(): void {
    if (this.eof || this.dead || this.err) return;
    flushWrites();
    this.wire?.readNow?.();
  }

  /** What a read finds with nothing queued: the pending error, end of stream, or -EAGAIN. */
  private nothing(): number {
    if (this.err) {
      const e = this.err;
      this.err = 0;
      return -e;
    }
    return this.eof || this.dead ? 0 : -EAGAIN;
  }

  /** Up to `max` (≥ 1) queued bytes, zero-copy (the first chunk or its head); 0 at EOF; or -errno. */
  read(max: number): Chunk | number {
    if (max < 1) return -EINVAL;
    if (this.pending === 0) this.readKernel();
    if (this.pending === 0) return this.nothing();
    const head = this.queue[0];
    let out = head;
    if (head.off <= max) this.queue.shift();
    else out = splitFront(head, max);
    this.consumed(out.off);
    return out;
  }

  /** Copies queued bytes into `dst` (consuming them unless `peek`): count, 0 at EOF, or -errno. */
  readInto(dst: Uint8Array, peek: boolean): number {
    if (this.pending === 0) this.readKernel();
    if (this.pending === 0) return this.nothing();
    let n = 0;
    let i = 0;
    while (n < dst.length && i < this.queue.length) {
      const c = this.queue[i];
      const k = Math.min(c.off, dst.length - n);
      c.copyTo(dst, n, 0, k);
      n += k;
      if (peek) i++;
      else if (k === c.off) freeChunk(this.queue.shift()!);
      else c.consume(k);
    }
    if (!peek) this.consumed(n);
    return n;
  }

  private dropQueue(): void {
    for (const c of this.queue) freeChunk(c);
    this.queue = [];
    this.pending = 0;
  }

  private consumed(n: number): void {
    this.pending -= n;
    this.boundsChanged();
  }

  /** Resumes a paused wire once the queue is under the receive bound (after a read or SO_RCVBUF). */
  boundsChanged(): void {
    if (this.paused && this.pending < this.bounds.rcvBound) {
      this.paused = false;
      this.wire?.resume();
    }
  }

  /** Bytes accepted and not yet handed to the kernel. */
  get unflushed(): number {
    return this.dead ? 0 : this.earlyLen + (this.wire?.queued ?? 0);
  }

  /**
   * write(2) semantics: the count accepted (up to the room left), -EAGAIN,
   * or -errno. `lent`: a bufferevent's bytes (its evbuffer's memory, lent
   * until sent), which may wait for the turn's end (corkedThisTurn). `all`:
   * a blocking socket's write, which C would block in until every byte is in
   * the kernel, takes every byte at once.
   */
  write(data: Uint8Array, lent = false, all = false): number {
    if (this.err && !this.errReadsOnly) {
      const e = this.err;
      this.err = 0;
      return -e;
    }
    if (this.wrShut || this.dead) return -EPIPE;
    if (data.length === 0) return 0;
    const unflushed = this.unflushed;
    const room = all ? data.length : this.bounds.sndBound - unflushed;
    if (room <= 0) {
      this.fill();
      return -EAGAIN;
    }
    const n = Math.min(room, data.length);
    const view = n === data.length ? data : data.subarray(0, n);
    const wire = this.wire;
    if (wire) {
      if (lent) this.batch(wire);
      // The program's own bytes may change once its call returns: they are copied.
      // Only the write that fills the send buffer asks to hear when it is flushed.
      const r = wire.write(lent ? view : Buffer.from(view), unflushed + n >= this.bounds.sndBound);
      if (r < 0) return this.refused(-r);
    } else {
      this.early.push(Buffer.from(view));
      this.earlyLen += n;
    }
    if (this.unflushed >= this.bounds.sndBound) this.fill();
    return n;
  }

  /** A bufferevent's write: from the turn's second on, corked until the turn ends (corkedThisTurn). */
  private batch(wire: Wire): void {
    if (this.turnWrites === 0) {
      this.turnWrites = 1;
      if (corkedThisTurn.push(this) === 1) process.nextTick(flushWrites);
    } else if (this.turnWrites === 1) {
      this.turnWrites = 2;
      wire.cork();
    }
  }

  /** The kernel refused a write with errno `e`: this call reports it, and the connection is gone. */
  private refused(e: number): number {
    this.fail(e);
    this.err = 0;
    return -e;
  }

  /** The turn ends: what it wrote goes to the kernel. */
  endTurn(): void {
    if (this.turnWrites === 2) this.uncork();
    this.turnWrites = 0;
  }

  /** Sends what corking held back; room the kernel then left is reported. */
  private uncork(): void {
    this.wire?.uncork();
    this.flushed();
  }

  /** The send buffer is full: POLLOUT is reported when what it holds has gone. */
  private fill(): void {
    this.full = true;
    this.wire?.notifyWhenFlushed();
  }

  /** Sends everything accepted so far with one writev where Node can (evbuffer_write's iovecs). */
  cork(on: boolean): void {
    if (on) this.wire?.cork();
    else this.uncork();
  }

  shutdownRead(): void {
    this.eof = true;
    this.discard = true;
  }

  /** SHUT_WR: FIN once everything accepted is sent. */
  shutdownWrite(): void {
    if (this.wrShut) return;
    this.wrShut = true;
    if (this.wire && !this.dead) this.wire.end();
  }

  /** close(2): with `reset`, an RST (a TCP socket only); otherwise queued bytes still go, then FIN. */
  close(reset: boolean): void {
    const wire = this.wire;
    this.wire = null;
    this.dead = true;
    this.dropQueue();
    this.early = [];
    wire?.close(reset);
  }
}
