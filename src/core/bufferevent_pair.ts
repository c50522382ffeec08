// The pair kind: two bufferevents whose outputs feed each other's inputs
// (libevent's bufferevent_pair.c). Every callback is deferred; timeouts are
// the generic ones; only BEV_FINISHED flushes produce EOF.
import {
  BEV_EVENT_EOF,
  BEV_EVENT_READING,
  BEV_EVENT_WRITING,
  BEV_FINISHED,
  BEV_NORMAL,
  BEV_OPT_DEFER_CALLBACKS,
  BEV_OPT_THREADSAFE,
  BufferEvent,
  badOptions,
} from "./bufferevent.js";
import type { CbInfo } from "./evbuffer.js";
import type { EventBase } from "./event_base.js";
import { EV_READ, EV_WRITE } from "./flags.js";

const pairOutbufCb = (_buf: unknown, info: CbInfo, bev: PairBufferEvent) => bev.outbufCb(info);

export class PairBufferEvent extends BufferEvent {
  readonly kind = "pair";
  partner: PairBufferEvent | null = null;

  private constructor(base: EventBase, options: number) {
    super(base, options);
    this.initGenericTimeouts();
    this.output.addCb(pairOutbufCb, this);
  }

  /** bufferevent_pair_new: both ends, or null where libevent fails. DEFER is forced. */
  static create(base: EventBase, options: number): [PairBufferEvent, PairBufferEvent] | null {
    options |= BEV_OPT_DEFER_CALLBACKS;
    if (badOptions(options)) return null;
    // As in libevent, only the first end is THREADSAFE; the second shares its lock.
    const a = new PairBufferEvent(base, options);
    const b = new PairBufferEvent(base, options & ~BEV_OPT_THREADSAFE);
    a.partner = b;
    b.partner = a;
    for (const e of [a, b]) {
      e.input.freeze(false);
      e.output.freeze(true);
    }
    return [a, b];
  }

  /** Holds both ends while bytes move (libevent's incref_and_lock). */
  private hold(): PairBufferEvent | null {
    const p = this.partner;
    this.incref();
    p?.incref();
    return p;
  }

  private release(p: PairBufferEvent | null): void {
    p?.decref();
    this.decref();
  }

  /** be_pair_wants_to_talk */
  private static wantsToTalk(src: PairBufferEvent, dst: PairBufferEvent): boolean {
    return (
      (src.enabled & EV_WRITE) !== 0 &&
      (dst.enabled & EV_READ) !== 0 &&
      !dst.readSuspended &&
      src.output.totalLen > 0
    );
  }

  /**
   * be_pair_transfer: moves src's output into dst's input, up to dst's read
   * high watermark unless ignoring it; then dst's readcb and src's writecb
   * are triggered (watermarks apply), even when nothing moved.
   */
  private static transfer(src: PairBufferEvent, dst: PairBufferEvent, ignoreWm: boolean): void {
    const out = src.output;
    const inp = dst.input;
    out.unfreeze(true);
    inp.unfreeze(false);
    try {
      let n: number;
      const high = dst.wmReadHigh;
      if (high && inp.totalLen < high) {
        n = high - inp.totalLen;
        out.removeBuffer(inp, n);
      } else if (high && !ignoreWm) {
        return;
      } else {
        n = out.totalLen;
        inp.addBuffer(out);
      }
      if (n) {
        dst.resetReadTimeout();
        if (dst.output.totalLen) dst.resetWriteTimeout();
        else dst.base.del(dst.writeEv);
      }
      dst.triggerNolock(EV_READ, 0);
      src.triggerNolock(EV_WRITE, 0);
    } finally {
      out.freeze(true);
      inp.freeze(false);
    }
  }

  /** More data in this output: hand it over if the partner reads. */
  outbufCb(info: CbInfo): void {
    if (info.n_added <= info.n_deleted || !this.partner) return;
    const p = this.hold();
    if (p && PairBufferEvent.wantsToTalk(this, p)) PairBufferEvent.transfer(this, p, false);
    this.release(p);
  }

  arm(events: number): number {
    const p = this.hold();
    if (events & EV_READ) this.resetReadTimeout();
    if (events & EV_WRITE && this.output.totalLen) this.resetWriteTimeout();
    // Starting to read: does the partner have something to write? And the converse.
    if (events & EV_READ && p && PairBufferEvent.wantsToTalk(p, this))
      PairBufferEvent.transfer(p, this, false);
    if (events & EV_WRITE && p && PairBufferEvent.wantsToTalk(this, p))
      PairBufferEvent.transfer(this, p, false);
    this.release(p);
    return 0;
  }

  disarm(events: number): number {
    if (events & EV_READ) this.base.del(this.readEv);
    if (events & EV_WRITE) this.base.del(this.writeEv);
    return 0;
  }

  override unlink(): void {
    if (this.partner) {
      this.partner.partner = null;
      this.partner = null;
    }
  }

  /** be_pair_flush: NORMAL does nothing; FLUSH/FINISHED move ignoring watermarks. */
  override flush(iotype: number, mode: number): number {
    if (!this.partner) return -1;
    if (mode === BEV_NORMAL) return 0;
    const p = this.hold()!;
    if (iotype & EV_READ) PairBufferEvent.transfer(p, this, true);
    if (iotype & EV_WRITE) PairBufferEvent.transfer(this, p, true);
    if (mode === BEV_FINISHED) {
      let what = BEV_EVENT_EOF;
      if (iotype & EV_READ) what |= BEV_EVENT_WRITING;
      if (iotype & EV_WRITE) what |= BEV_EVENT_READING;
      p.runEventcb(what, 0);
    }
    this.release(p);
    return 0;
  }
}
