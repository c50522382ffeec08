// The filter kind: a bufferevent over another one, whose bytes pass through
// a filter function in each direction (libevent's bufferevent_filter.c).
//
// The filter owns the underlying bufferevent's callbacks: its readcb runs the
// input filter (underlying input → filter input), its writecb and every add
// to the filter's output run the output filter (filter output → underlying
// output), its events are passed on unchanged. The underlying reads only
// while the filter does (Suspend.FILT_READ); when the filter's input is full
// with bytes left behind, draining the input resumes the filtering, so no
// byte is stranded below (libevent #362).
import {
  BEV_NORMAL,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_THREADSAFE,
  BufferEvent,
  Suspend,
  badOptions,
  type DataCb,
  type EventCb,
} from "./bufferevent.js";
import type { CbEntry, CbInfo, Evbuffer } from "./evbuffer.js";
import { CB_ENABLED, clearEntryFlags, setEntryFlags } from "./evbuffer_cb.js";
import { EV_READ, EV_WRITE } from "./flags.js";
import { warn } from "./log.js";

// enum bufferevent_filter_result
export const BEV_OK = 0;
export const BEV_NEED_MORE = 1;
export const BEV_ERROR = 2;

/** bufferevent_filter_cb: moves bytes from src to dst, at most dst_limit (-1: no limit). */
export type FilterCb = (
  src: Evbuffer,
  dst: Evbuffer,
  dst_limit: number,
  mode: number,
  ctx: any,
) => number;

/**
 * What run() reports for a BEV_OK call that changed neither buffer: it
 * counts as success, but ends the loop, which libevent would spin in forever.
 */
const OK_IDLE = -1;

/** A NULL filter: moves up to the limit unchanged. */
const passThrough: FilterCb = (src, dst, limit) =>
  src.removeBuffer(dst, limit < 0 ? src.totalLen : limit) >= 0 ? BEV_OK : BEV_ERROR;

// The callbacks the filter installs on its underlying bufferevent (arg = the filter).
const underlyingRead: DataCb = (_u, f: FilterBufferEvent) => f.readFromUnderlying();
const underlyingWrite: DataCb = (_u, f: FilterBufferEvent) => f.writeToUnderlying();
const underlyingEvent: EventCb = (_u, what, f: FilterBufferEvent) => f.underlyingEvent(what);
const filterOutbufCb = (_b: Evbuffer, info: CbInfo, f: FilterBufferEvent) => f.outbufCb(info);
const filterInbufCb = (_b: Evbuffer, _info: CbInfo, f: FilterBufferEvent) => f.inbufCb();

export class FilterBufferEvent extends BufferEvent {
  readonly kind = "filter";
  private readonly inbufEntry: CbEntry;
  private readonly outbufEntry: CbEntry;

  private constructor(
    readonly underlying: BufferEvent,
    private readonly processIn: FilterCb,
    private readonly processOut: FilterCb,
    options: number,
    private readonly freeContext: ((ctx: any) => void) | null,
    private readonly context: any,
  ) {
    super(underlying.base, options);
    underlying.setCallbacks(underlyingRead, underlyingWrite, underlyingEvent, this);
    // Runs only while bytes wait below a full input (see readFromUnderlying).
    this.inbufEntry = this.input.addCb(filterInbufCb, this);
    clearEntryFlags(this.inbufEntry, CB_ENABLED);
    this.outbufEntry = this.output.addCb(filterOutbufCb, this);
    this.initGenericTimeouts();
    underlying.incref();
    underlying.enable(EV_READ | EV_WRITE);
    underlying.suspendRead(Suspend.FILT_READ);
  }

  /**
   * bufferevent_filter_new: null where libevent fails. THREADSAFE is the
   * filter's own lock, so it does not need lock callbacks to be installed.
   */
  static create(
    underlying: BufferEvent,
    inFilter: FilterCb | null,
    outFilter: FilterCb | null,
    options: number,
    freeContext: ((ctx: any) => void) | null,
    ctx: any,
  ): FilterBufferEvent | null {
    if (badOptions(options & ~BEV_OPT_THREADSAFE)) return null;
    return new FilterBufferEvent(
      underlying,
      inFilter ?? passThrough,
      outFilter ?? passThrough,
      options,
      freeContext,
      ctx,
    );
  }

  /** Runs a filter function (a JS filter must return a bufferevent_filter_result); OK_IDLE for BEV_OK with neither buffer changed. */
  private run(f: FilterCb, src: Evbuffer, dst: Evbuffer, limit: number, mode: number): number {
    // Generations, not lengths: a pair below takes what is added to its output at once.
    const srcGen = src.gen;
    const dstGen = dst.gen;
    const r = f(src, dst, limit, mode, this.context);
    if (typeof r !== "number")
      throw new TypeError(
        `bufferevent_filter_new: the ${f === this.processIn ? "input" : "output"}_filter returned ${String(r)}; it must return BEV_OK, BEV_NEED_MORE or BEV_ERROR`,
      );
    return r === BEV_OK && src.gen === srcGen && dst.gen === dstGen ? OK_IDLE : r;
  }

  /** be_readbuf_full: the filter's input is at its read high watermark (NORMAL mode only). */
  private readbufFull(mode: number): boolean {
    return mode === BEV_NORMAL && this.wmReadHigh !== 0 && this.input.totalLen >= this.wmReadHigh;
  }

  /** be_underlying_writebuf_full */
  private underlyingFull(mode: number): boolean {
    const u = this.underlying;
    return mode === BEV_NORMAL && u.wmWriteHigh !== 0 && u.output.totalLen >= u.wmWriteHigh;
  }

  /** be_filter_process_input: whether any filter call returned BEV_OK (or `processed` already). */
  private processInput(mode: number, processed: boolean): boolean {
    if (mode === BEV_NORMAL && (!(this.enabled & EV_READ) || this.readbufFull(mode)))
      return processed;
    const src = this.underlying.input;
    let res: number;
    do {
      const limit =
        mode === BEV_NORMAL && this.wmReadHigh ? this.wmReadHigh - this.input.totalLen : -1;
      res = this.run(this.processIn, src, this.input, limit, mode);
      if (res === BEV_OK || res === OK_IDLE) processed = true;
    } while (
      res === BEV_OK &&
      this.enabled & EV_READ &&
      src.totalLen > 0 &&
      !this.readbufFull(mode)
    );
    if (processed) this.resetReadTimeout();
    return processed;
  }

  /**
   * be_filter_process_output: rounds of output filter calls, each followed
   * by the writecb when the output is at or below its low watermark. The
   * output callback is off meanwhile, so a write from inside the filter or
   * the writecb is taken by the round under way, not by a nested one.
   */
  private processOutput(mode: number, processed: boolean): boolean {
    const out = this.output;
    const more = (res: number): boolean =>
      res === BEV_OK &&
      (this.enabled & EV_WRITE) !== 0 &&
      out.totalLen > 0 &&
      !this.underlyingFull(mode);
    if (
      mode === BEV_NORMAL &&
      (!(this.enabled & EV_WRITE) || this.underlyingFull(mode) || !out.totalLen)
    )
      return processed;
    const u = this.underlying;
    clearEntryFlags(this.outbufEntry, CB_ENABLED);
    try {
      let again: boolean;
      do {
        let round = false;
        let res: number;
        again = false;
        do {
          const limit =
            mode === BEV_NORMAL && u.wmWriteHigh ? u.wmWriteHigh - u.output.totalLen : -1;
          res = this.run(this.processOut, out, u.output, limit, mode);
          if (res === BEV_OK || res === OK_IDLE) round = processed = true;
        } while (more(res));
        if (round && out.totalLen <= this.wmWriteLow) {
          this.runWritecb(0);
          again = more(res);
        }
      } while (again);
    } finally {
      setEntryFlags(this.outbufEntry, CB_ENABLED);
    }
    if (processed) this.resetWriteTimeout();
    return processed;
  }

  // ---- what drives the filters ----

  /** The underlying read something (be_filter_read_nolock_). */
  readFromUnderlying(): void {
    if (this.finalized) return;
    this.incref();
    if (this.processInput(BEV_NORMAL, false)) {
      this.triggerNolock(EV_READ, 0);
      // Bytes left below a full input: filter them once the application drains.
      if (this.underlying.input.totalLen > 0 && this.readbufFull(BEV_NORMAL))
        setEntryFlags(this.inbufEntry, CB_ENABLED);
    }
    this.decref();
  }

  /** bufferevent_filtered_inbuf_cb: the input changed while bytes wait below. */
  inbufCb(): void {
    if (this.readbufFull(BEV_NORMAL)) return;
    clearEntryFlags(this.inbufEntry, CB_ENABLED);
    if (this.underlying.input.totalLen > 0) this.readFromUnderlying();
  }

  /** The underlying's writecb: room below, so filter more output. */
  writeToUnderlying(): void {
    if (this.finalized) return;
    this.incref();
    this.processOutput(BEV_NORMAL, false);
    this.decref();
  }

  /** The application added to the filter's output. */
  outbufCb(info: CbInfo): void {
    if (!info.n_added) return;
    this.incref();
    this.processOutput(BEV_NORMAL, false);
    this.decref();
  }

  /** Events of the underlying reach the filter's eventcb unchanged. */
  underlyingEvent(what: number): void {
    if (this.finalized) return;
    this.incref();
    this.runEventcb(what, 0);
    this.decref();
  }

  // ---- the ops ----

  /** be_filter_enable: starts the timers (the write timer even with an empty output). */
  arm(events: number): number {
    if (events & EV_WRITE) this.resetWriteTimeout();
    if (events & EV_READ) {
      this.resetReadTimeout();
      this.underlying.unsuspendRead(Suspend.FILT_READ);
    }
    return 0;
  }

  disarm(events: number): number {
    if (events & EV_WRITE) this.base.del(this.writeEv);
    if (events & EV_READ) {
      this.base.del(this.readEv);
      this.underlying.suspendRead(Suspend.FILT_READ);
    }
    return 0;
  }

  /** be_filter_flush: 1 if a filter call returned BEV_OK; the underlying is flushed too. */
  override flush(iotype: number, mode: number): number {
    this.incref();
    let processed = false;
    if (iotype & EV_READ) processed = this.processInput(mode, processed);
    if (iotype & EV_WRITE) processed = this.processOutput(mode, processed);
    this.underlying.flush(iotype, mode);
    this.decref();
    return processed ? 1 : 0;
  }

  /**
   * be_filter_unlink: with CLOSE_ON_FREE the underlying is freed (if
   * someone but the filter still holds it); otherwise it gets its
   * callbacks back as NULL and may read again.
   */
  override unlink(): void {
    const u = this.underlying;
    if (this.options & BEV_OPT_CLOSE_ON_FREE) {
      // Already freed by the program: a second free would drop a reference not ours.
      if (u.freed) return;
      if (u.references < 2)
        warn("BEV_OPT_CLOSE_ON_FREE set on an bufferevent with too few references");
      else u.free();
    } else {
      if (u.eventcb === underlyingEvent) u.setCallbacks(null, null, null, null);
      u.unsuspendRead(Suspend.FILT_READ);
    }
  }

  override destruct(): void {
    this.freeContext?.(this.context);
  }

  override getUnderlying(): BufferEvent {
    return this.underlying;
  }

  override getFd(): number {
    return this.underlying.getFd();
  }

  override setFd(fd: number): number {
    return this.underlying.setFd(fd);
  }
}
