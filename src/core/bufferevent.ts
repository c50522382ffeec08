// What every bufferevent kind shares: libevent's bufferevent.c.
//
// BufferEvent holds the bookkeeping (callbacks, enabled directions,
// watermarks, timeouts, references, suspensions, the deferred-callback run)
// and the rules built on it. Each kind (socket, pair, filter; later SSL)
// extends it and supplies the BufferEventOps half: how to arm and disarm a
// direction, flush, unlink and destruct — libevent's ops table as a type.
//
// Departures from libevent 2.1.12, on purpose:
// - The last reference releases everything at once (events, buffers, the
//   descriptor with CLOSE_ON_FREE) instead of in the next loop pass, and
//   bufferevent_free drops the reference a queued deferred run holds (that
//   run could only call the NULL callbacks free installs).
// - A read callback that leaves the input at or above the read high
//   watermark is re-run only if it consumed something (libevent #891 busy
//   loop); otherwise it waits until the application drains the input.
import type { CommonQueue } from "./common_timeout.js";
import { CbState, Deferred } from "./callback.js";
import { Evbuffer, type CbEntry, type CbInfo } from "./evbuffer.js";
import { CB_ENABLED, CB_NODEFER, clearEntryFlags, setEntryFlags } from "./evbuffer_cb.js";
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { EV_READ, EV_WRITE } from "./flags.js";
import { warn } from "./log.js";
import { errno, set_errno } from "../libc/errno.js";
import { evthreadEnabled } from "../event2/thread.js";

// Event codes (BEV_EVENT_*).
export const BEV_EVENT_READING = 0x01;
export const BEV_EVENT_WRITING = 0x02;
export const BEV_EVENT_EOF = 0x10;
export const BEV_EVENT_ERROR = 0x20;
export const BEV_EVENT_TIMEOUT = 0x40;
export const BEV_EVENT_CONNECTED = 0x80;

// Options (BEV_OPT_*).
export const BEV_OPT_CLOSE_ON_FREE = 1 << 0;
export const BEV_OPT_THREADSAFE = 1 << 1;
export const BEV_OPT_DEFER_CALLBACKS = 1 << 2;
export const BEV_OPT_UNLOCK_CALLBACKS = 1 << 3;

// Trigger options.
export const BEV_TRIG_IGNORE_WATERMARKS = 1 << 16;
export const BEV_TRIG_DEFER_CALLBACKS = BEV_OPT_DEFER_CALLBACKS;
const BEV_TRIG_ALL_OPTS = BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS;

// enum bufferevent_flush_mode
export const BEV_NORMAL = 0;
export const BEV_FLUSH = 1;
export const BEV_FINISHED = 2;

/** MAX_SINGLE_READ_DEFAULT / MAX_SINGLE_WRITE_DEFAULT */
export const MAX_SINGLE_DEFAULT = 16384;
/** EV_SSIZE_MAX as a double (2^63): the largest max_single_read/write accepted. */
const SSIZE_MAX = 2 ** 63;

/**
 * Why a direction is suspended (libevent's BEV_SUSPEND_*). A direction is
 * armed only while it is enabled and no reason holds; reasons never change
 * the enabled bits.
 */
export const enum Suspend {
  /** The read high watermark is reached. */
  WM = 0x01,
  /** The bufferevent's own rate limit is exhausted. */
  BW = 0x02,
  /** Its rate-limit group is exhausted. */
  BW_GROUP = 0x04,
  /** A connect_hostname lookup is under way. */
  LOOKUP = 0x08,
  /** A filter above this one is not reading. */
  FILT_READ = 0x10,
}

export type DataCb = (bev: BufferEvent, ctx: any) => void;
export type EventCb = (bev: BufferEvent, what: number, ctx: any) => void;

/**
 * How many bytes may move now, and what moved: what a rate limiter plugs in.
 * Without one, a bufferevent moves up to max_single_read/write per operation;
 * with one, the limiter's answer is final (libevent lets a bufferevent's own
 * bucket replace max_single, not just cap it).
 */
export interface ByteBudget {
  readLimit(bev: BufferEvent): number;
  writeLimit(bev: BufferEvent): number;
  chargeRead(bev: BufferEvent, n: number): void;
  chargeWrite(bev: BufferEvent, n: number): void;
  /** The bufferevent is being released. */
  release(bev: BufferEvent): void;
}

/** What each kind supplies: libevent's struct bufferevent_ops. */
export interface BufferEventOps {
  /** The kind's name ("socket", "pair", ...). */
  readonly kind: string;
  /** Starts moving bytes in `events` (enabled and not suspended): be_ops->enable. */
  arm(events: number): number;
  /** Stops moving bytes in `events`: be_ops->disable. */
  disarm(events: number): number;
  /** Runs when the last reference goes, before destruct: detach from partners. */
  unlink(): void;
  /** Releases the transport (with CLOSE_ON_FREE, the descriptor or underlying). */
  destruct(): void;
  /** Re-applies the timeouts after set_timeouts. */
  adjustTimeouts(): number;
  /** bufferevent_flush; -1 where the kind has none. */
  flush(iotype: number, mode: number): number;
  getFd(): number;
  /** 0, or -1 where the kind has no descriptor. */
  setFd(fd: number): number;
  getUnderlying(): BufferEvent | null;
  /** bufferevent_priority_set: -1 where the kind does not support it. */
  setPriority(pri: number): number;
  /** bufferevent_base_set: -1 where the kind does not support it. */
  setBase(base: EventBase): number;
  /** BEV_CTRL_CANCEL_ALL, from bufferevent_free. */
  cancelAll(): void;
}

/** Whether creation with these options must fail, as bufferevent_init_common_ fails. */
export function badOptions(options: number): boolean {
  if (options & BEV_OPT_THREADSAFE && !evthreadEnabled()) return true;
  if (
    (options & (BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS)) ===
    BEV_OPT_UNLOCK_CALLBACKS
  ) {
    warn("UNLOCK_CALLBACKS requires DEFER_CALLBACKS");
    return true;
  }
  return false;
}

/** A bufferevent's one deferred callback (libevent's bufev_private->deferred). */
class BevDeferred extends Deferred {
  constructor(readonly bev: BufferEvent) {
    super(runBev);
  }
  override run(): void {
    this.bev.runDeferred();
  }
}

function runBev(): void {}

const genericReadTimeout = (_fd: number, _what: number, bev: BufferEvent) =>
  bev.genericTimeout(EV_READ);
const genericWriteTimeout = (_fd: number, _what: number, bev: BufferEvent) =>
  bev.genericTimeout(EV_WRITE);

export abstract class BufferEvent implements BufferEventOps {
  abstract readonly kind: string;
  base: EventBase;
  readonly input = new Evbuffer();
  readonly output = new Evbuffer();
  readcb: DataCb | null = null;
  writecb: DataCb | null = null;
  eventcb: EventCb | null = null;
  cbarg: any = null;
  /** EV_READ / EV_WRITE bits the user enabled. */
  enabled = EV_WRITE;
  readonly options: number;
  wmReadLow = 0;
  wmReadHigh = 0;
  wmWriteLow = 0;
  wmWriteHigh = 0;
  /** Timeouts in µs; 0 = none. */
  timeoutRead = 0;
  timeoutWrite = 0;
  /** The queues of timeout_read/timeout_write when they are common timeouts of the base. */
  timeoutReadQ: CommonQueue | null = null;
  timeoutWriteQ: CommonQueue | null = null;
  maxSingleRead = MAX_SINGLE_DEFAULT;
  maxSingleWrite = MAX_SINGLE_DEFAULT;
  /** A rate limiter, once one is attached. */
  budget: ByteBudget | null = null;
  /** Suspend reasons per direction. */
  readSuspended = 0;
  writeSuspended = 0;
  /**
   * The read and write events: timers for generic timeouts, or the socket's
   * I/O events (each kind's constructor makes them). Not internal: like
   * libevent's, they keep dispatch running.
   */
  readEv!: Event;
  writeEv!: Event;
  /** Set by bufferevent_free: the user may not use this bufferevent again. */
  freed = false;
  /** Set when the last reference went and everything was released. */
  finalized = false;
  private refcnt = 1;
  private lockDepth = 0;
  private readonly deferred: BevDeferred;
  private readPending = false;
  private writePending = false;
  private eventPending = 0;
  private errnoPending = 0;
  private wmCb: CbEntry | null = null;
  /** Bytes drained from the input, counted while a read high watermark is set. */
  private inputDrained = 0;
  /** The last read callback left the input at the high watermark without consuming. */
  private readStalled = false;

  constructor(base: EventBase, options: number) {
    this.base = base;
    this.options = options;
    this.input.parent = this;
    this.output.parent = this;
    // libevent fixes the deferred run's priority at creation (npriorities/2).
    this.deferred = new BevDeferred(this);
    this.deferred.priority = base.deferredPriority;
  }

  /** For kinds whose timeouts are plain timers (bufferevent_init_generic_timeout_cbs_). */
  protected initGenericTimeouts(): void {
    this.readEv = new Event(this.base, -1, 0, genericReadTimeout, this);
    this.writeEv = new Event(this.base, -1, 0, genericWriteTimeout, this);
  }

  // ---- the ops half: defaults for kinds without the feature ----

  abstract arm(events: number): number;
  abstract disarm(events: number): number;
  unlink(): void {}
  destruct(): void {}
  adjustTimeouts(): number {
    return this.adjustGenericTimeouts();
  }
  flush(_iotype: number, _mode: number): number {
    return -1;
  }
  getFd(): number {
    return -1;
  }
  setFd(_fd: number): number {
    return -1;
  }
  getUnderlying(): BufferEvent | null {
    return null;
  }
  setPriority(_pri: number): number {
    return -1;
  }
  setBase(_base: EventBase): number {
    return -1;
  }
  cancelAll(): void {}

  // ---- callbacks ----

  setCallbacks(r: DataCb | null, w: DataCb | null, e: EventCb | null, arg: any): void {
    this.readcb = r;
    this.writecb = w;
    this.eventcb = e;
    this.cbarg = arg;
  }

  /** Deferred runs happen at this priority (bufferevent_priority_set changes it). */
  set deferredPriority(pri: number) {
    this.deferred.priority = pri;
  }

  private schedule(): void {
    const d = this.deferred;
    if (d.state !== CbState.Idle) return;
    this.base.scheduleDeferred(d);
    this.refcnt++;
  }

  /** bufferevent_run_readcb_: ignores watermarks. */
  runReadcb(opts: number): void {
    if (this.readcb === null) return;
    if ((this.options | opts) & BEV_OPT_DEFER_CALLBACKS) {
      this.readPending = true;
      this.schedule();
    } else this.callReadcb();
  }

  runWritecb(opts: number): void {
    if (this.writecb === null) return;
    if ((this.options | opts) & BEV_OPT_DEFER_CALLBACKS) {
      this.writePending = true;
      this.schedule();
    } else this.writecb(this, this.cbarg);
  }

  runEventcb(what: number, opts: number): void {
    if (this.eventcb === null) return;
    if ((this.options | opts) & BEV_OPT_DEFER_CALLBACKS) {
      this.eventPending |= what;
      this.errnoPending = errno;
      this.schedule();
    } else this.eventcb(this, what, this.cbarg);
  }

  /** bufferevent_trigger_nolock_: the watermark rules unless IGNORE_WATERMARKS. */
  triggerNolock(iotype: number, opts: number): void {
    const ignore = opts & BEV_TRIG_IGNORE_WATERMARKS;
    if (iotype & EV_READ && (ignore || this.input.totalLen >= this.wmReadLow)) this.runReadcb(opts);
    if (iotype & EV_WRITE && (ignore || this.output.totalLen <= this.wmWriteLow))
      this.runWritecb(opts);
  }

  /** bufferevent_trigger */
  trigger(iotype: number, opts: number): void {
    this.incref();
    this.triggerNolock(iotype, opts & BEV_TRIG_ALL_OPTS);
    this.decref();
  }

  /** bufferevent_trigger_event */
  triggerEvent(what: number, opts: number): void {
    this.incref();
    this.runEventcb(what, opts & BEV_TRIG_ALL_OPTS);
    this.decref();
  }

  private callReadcb(): void {
    const drained = this.inputDrained;
    this.readcb!(this, this.cbarg);
    this.inbufWmCheck(drained);
  }

  /**
   * After a read callback: input still at the high watermark with reading
   * enabled means nothing will read again, so re-run the callback — but only
   * if it made progress (the deliberate fix of libevent's #891 busy loop).
   */
  private inbufWmCheck(drainedBefore: number): void {
    if (!this.wmReadHigh || !(this.enabled & EV_READ)) return;
    if (this.input.totalLen < this.wmReadHigh) return;
    if (this.inputDrained === drainedBefore) this.readStalled = true;
    else this.triggerNolock(EV_READ, BEV_OPT_DEFER_CALLBACKS);
  }

  /** The deferred run: CONNECTED, read, write, then the other event bits (bufferevent.c's order). */
  runDeferred(): void {
    if (this.eventPending & BEV_EVENT_CONNECTED && this.eventcb) {
      this.eventPending &= ~BEV_EVENT_CONNECTED;
      this.eventcb(this, BEV_EVENT_CONNECTED, this.cbarg);
    }
    if (this.readPending && this.readcb) {
      this.readPending = false;
      this.callReadcb();
    }
    if (this.writePending && this.writecb) {
      this.writePending = false;
      this.writecb(this, this.cbarg);
    }
    if (this.eventPending && this.eventcb) {
      const what = this.eventPending;
      const err = this.errnoPending;
      this.eventPending = 0;
      this.errnoPending = 0;
      set_errno(err);
      this.eventcb(this, what, this.cbarg);
    }
    this.decref();
  }

  // ---- directions ----

  /** bufferevent_enable: sets the bits; arms those not suspended. */
  enable(events: number): number {
    let impl = events;
    if (this.readSuspended) impl &= ~EV_READ;
    if (this.writeSuspended) impl &= ~EV_WRITE;
    this.enabled |= events;
    if (!impl) return 0;
    this.incref();
    const r = this.arm(impl) < 0 ? -1 : 0;
    this.decref();
    return r;
  }

  /** bufferevent_disable */
  disable(events: number): number {
    this.enabled &= ~events;
    return this.disarm(events) < 0 ? -1 : 0;
  }

  suspendRead(why: Suspend): void {
    if (!this.readSuspended) this.disarm(EV_READ);
    this.readSuspended |= why;
  }

  unsuspendRead(why: Suspend): void {
    this.readSuspended &= ~why;
    if (!this.readSuspended && this.enabled & EV_READ) this.arm(EV_READ);
  }

  suspendWrite(why: Suspend): void {
    if (!this.writeSuspended) this.disarm(EV_WRITE);
    this.writeSuspended |= why;
  }

  unsuspendWrite(why: Suspend): void {
    this.writeSuspended &= ~why;
    if (!this.writeSuspended && this.enabled & EV_WRITE) this.arm(EV_WRITE);
  }

  // ---- how much may move (the one place rate limits plug into) ----

  maxToRead(): number {
    const n = this.budget ? this.budget.readLimit(this) : this.maxSingleRead;
    return n > 0 ? n : 0;
  }

  maxToWrite(): number {
    const n = this.budget ? this.budget.writeLimit(this) : this.maxSingleWrite;
    return n > 0 ? n : 0;
  }

  chargeRead(n: number): void {
    this.budget?.chargeRead(this, n);
  }

  chargeWrite(n: number): void {
    this.budget?.chargeWrite(this, n);
  }

  /** bufferevent_set_max_single_read/write: 0 or more than EV_SSIZE_MAX restores the default. */
  static clampMaxSingle(size: number): number {
    return size === 0 || size > SSIZE_MAX ? MAX_SINGLE_DEFAULT : size;
  }

  // ---- watermarks ----

  setWatermark(events: number, low: number, high: number): void {
    if (events & EV_WRITE) {
      this.wmWriteLow = low;
      this.wmWriteHigh = high;
    }
    if (!(events & EV_READ)) return;
    this.wmReadLow = low;
    this.wmReadHigh = high;
    if (high) {
      this.wmCb ??= this.input.addCb(
        (buf: Evbuffer, info: CbInfo) => this.inbufWmCb(buf, info),
        this,
      );
      setEntryFlags(this.wmCb, CB_ENABLED | CB_NODEFER);
      if (this.input.totalLen >= high) this.suspendRead(Suspend.WM);
      else this.unsuspendRead(Suspend.WM);
    } else {
      if (this.wmCb) clearEntryFlags(this.wmCb, CB_ENABLED);
      this.unsuspendRead(Suspend.WM);
    }
  }

  /** bufferevent_inbuf_wm_cb: every change of the input re-decides the WM suspension. */
  private inbufWmCb(buf: Evbuffer, info: CbInfo): void {
    if (info.n_deleted) {
      this.inputDrained += info.n_deleted;
      if (this.readStalled) {
        // The application made room outside the read callback: run it again,
        // as libevent's endlessly re-queued callback would.
        this.readStalled = false;
        if (this.enabled & EV_READ) this.runReadcb(BEV_OPT_DEFER_CALLBACKS);
      }
    }
    if (buf.totalLen >= this.wmReadHigh) this.suspendRead(Suspend.WM);
    else this.unsuspendRead(Suspend.WM);
  }

  // ---- timeouts ----

  /** A NULL timeout is 0 µs; a common timeout of the base (its queue given) is set even at 0 µs. */
  setTimeouts(
    readUs: number,
    writeUs: number,
    readQ: CommonQueue | null = null,
    writeQ: CommonQueue | null = null,
  ): number {
    this.timeoutRead = readUs;
    this.timeoutWrite = writeUs;
    this.timeoutReadQ = readQ;
    this.timeoutWriteQ = writeQ;
    return this.adjustTimeouts();
  }

  /** timeout_read is set (evutil_timerisset). */
  get readTimeoutSet(): boolean {
    return this.timeoutRead > 0 || this.timeoutReadQ !== null;
  }

  get writeTimeoutSet(): boolean {
    return this.timeoutWrite > 0 || this.timeoutWriteQ !== null;
  }

  /** event_add of the read event with timeout_read (none when unset), a common timeout's in its queue. */
  addReadEvent(): number {
    const q = this.timeoutReadQ;
    return this.base.add(this.readEv, this.readTimeoutSet ? this.timeoutRead : null, false, q);
  }

  addWriteEvent(): number {
    const q = this.timeoutWriteQ;
    return this.base.add(this.writeEv, this.writeTimeoutSet ? this.timeoutWrite : null, false, q);
  }

  /** bufferevent_generic_adj_timeouts_: timers run only while their direction is armed. */
  adjustGenericTimeouts(): number {
    const base = this.base;
    let r = 0;
    if (this.enabled & EV_READ && !this.readSuspended && this.readTimeoutSet)
      r |= this.addReadEvent();
    else base.del(this.readEv);
    if (
      this.enabled & EV_WRITE &&
      !this.writeSuspended &&
      this.writeTimeoutSet &&
      this.output.totalLen
    )
      r |= this.addWriteEvent();
    else base.del(this.writeEv);
    return r < 0 ? -1 : 0;
  }

  /** BEV_RESET_GENERIC_READ_TIMEOUT */
  resetReadTimeout(): void {
    if (this.readTimeoutSet) this.addReadEvent();
  }

  resetWriteTimeout(): void {
    if (this.writeTimeoutSet) this.addWriteEvent();
  }

  /** A generic timer fired: the direction is disabled first, then the eventcb learns. */
  genericTimeout(dir: number): void {
    this.incref();
    this.disable(dir);
    this.runEventcb(
      BEV_EVENT_TIMEOUT | (dir === EV_READ ? BEV_EVENT_READING : BEV_EVENT_WRITING),
      0,
    );
    this.decref();
  }

  // ---- data ----

  /** bufferevent_write of the first n bytes of data. */
  write(data: Uint8Array, n = data.length): number {
    return this.output.add(data, n) === -1 ? -1 : 0;
  }

  writeBuffer(buf: Evbuffer): number {
    return this.output.addBuffer(buf) === -1 ? -1 : 0;
  }

  read(out: Uint8Array, n: number): number {
    return this.input.remove(out, n);
  }

  readBuffer(buf: Evbuffer): number {
    return buf.addBuffer(this.input);
  }

  // ---- references and life ----

  incref(): void {
    this.refcnt++;
  }

  /** The reference count (a filter frees its underlying only if someone else holds it too). */
  get references(): number {
    return this.refcnt;
  }

  /** Drops a reference; returns 1 if that released the bufferevent. */
  decref(): number {
    if (--this.refcnt > 0) return 0;
    this.finalize();
    return 1;
  }

  /** bufferevent_lock: a reference and a (recursive, balanced) lock level. */
  lock(): void {
    this.refcnt++;
    this.lockDepth++;
  }

  /** False when there is no matching lock() (the caller reports the misuse). */
  unlock(): boolean {
    if (this.lockDepth === 0) return false;
    this.lockDepth--;
    this.decref();
    return true;
  }

  /** bufferevent_free: no user callback runs after this. */
  free(): void {
    this.freed = true;
    this.setCallbacks(null, null, null, null);
    this.cancelAll();
    if (this.deferred.state !== CbState.Idle) {
      this.base.cancelDeferred(this.deferred);
      this.refcnt--;
    }
    this.decref();
  }

  private finalize(): void {
    this.freed = true;
    this.unlink();
    const underlying = this.getUnderlying();
    this.finalized = true;
    this.base.del(this.readEv);
    this.base.del(this.writeEv);
    this.base.cancelDeferred(this.deferred);
    this.destruct();
    this.input.free();
    this.output.free();
    this.budget?.release(this);
    this.budget = null;
    underlying?.decref();
  }
}
