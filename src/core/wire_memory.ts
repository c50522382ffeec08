// A wire to another conduit of this process: the two ends of an
// evutil_socketpair. Node has no socketpair(2), and a pair made through a
// listener only connects a few Node turns later; here a write lands in the
// other end's receive queue within the call, as the kernel moves bytes
// between the two sockets of a pair, so the other end is readable at once
// (a send followed by a recv, or by a non-blocking loop, finds the bytes).
//
// What the other end's receive queue has no room for waits here (this end's
// send buffer: `queued`) and moves as that end reads. Closing follows
// Linux's AF_UNIX pairs: the other end reads what was sent, then EOF, or
// ECONNRESET if this end left bytes unread; writing to a closed end is EPIPE.
import type { Wire, WireOwner } from "./wire.js";
import { ECONNRESET, EPIPE } from "../libc/errno.js";

export class MemoryWire implements Wire {
  private peer: MemoryWire | null = null;
  /** Bytes written that the peer's receive queue had no room for yet. */
  private held: Buffer[] = [];
  private heldLen = 0;
  /** Our owner's receive queue is full: the peer holds what it writes. */
  private stopped = false;
  /** A FIN (shutdown or close) follows the held bytes. */
  private ending = false;
  private closed = false;
  /** Report flushed() when the held bytes have moved. */
  private notify = false;

  private constructor(private readonly owner: WireOwner) {}

  /** Two wires joined to each other, for the two ends' owners. */
  static pair(a: WireOwner, b: WireOwner): [MemoryWire, MemoryWire] {
    const x = new MemoryWire(a);
    const y = new MemoryWire(b);
    x.peer = y;
    y.peer = x;
    return [x, y];
  }

  get queued(): number {
    return this.heldLen;
  }

  write(b: Uint8Array, _notify: boolean): number {
    const p = this.peer;
    if (this.closed || this.ending) return 0;
    if (!p || p.closed) return -EPIPE;
    // The writer may reuse its memory once the call returns (a bufferevent's chunk).
    const copy = Buffer.from(b);
    if (this.heldLen > 0 || p.stopped) {
      this.held.push(copy);
      this.heldLen += copy.length;
    } else if (!p.owner.arrived(copy)) p.stopped = true;
    return 0;
  }

  notifyWhenFlushed(): void {
    if (this.heldLen > 0) this.notify = true;
  }

  /** Bytes move at once: nothing to gather. */
  cork(): void {}

  uncork(): void {}

  /** Our owner has room again: the peer's held bytes move in. */
  resume(): void {
    this.stopped = false;
    this.peer?.deliver();
  }

  /** Moves held bytes into the peer while it has room; then the FIN, if one waits. */
  private deliver(): void {
    const p = this.peer;
    if (!p || p.closed) return;
    while (this.heldLen > 0 && !p.stopped) {
      const b = this.held.shift()!;
      this.heldLen -= b.length;
      if (!p.owner.arrived(b)) p.stopped = true;
    }
    if (this.heldLen > 0) return;
    if (this.notify) {
      this.notify = false;
      if (!this.closed) this.owner.flushed();
    }
    if (this.ending) {
      this.ending = false;
      p.owner.ended();
    }
  }

  end(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.deliver();
  }

  /** `reset`: this end leaves bytes unread, so the peer gets ECONNRESET instead of EOF. */
  close(reset: boolean): void {
    if (this.closed) return;
    const p = this.peer;
    if (reset) {
      this.held = [];
      this.heldLen = 0;
      this.ending = false;
      p?.owner.fail(ECONNRESET, true);
    } else if (!this.ending) {
      this.ending = true;
      this.deliver();
    }
    // Held bytes still move as the peer reads (its resume pulls them); then the FIN.
    this.closed = true;
  }
}
