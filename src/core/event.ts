// One event: libevent's `struct event`. A timer, a signal, readiness of a
// descriptor, or a pure "user" event activated by code. What happens when it
// runs depends on its kind, as libevent's closures do: a signal event calls
// back once per delivery, a persistent one re-arms its timeout first, any
// other is deleted before its callback.
import { Callback, CbState } from "./callback.js";
import { EV_ET, EV_PERSIST, EV_SIGNAL } from "./flags.js";
import type { IoSource } from "./io_source.js";
import type { Timed } from "./timer_heap.js";
import type { EventBase } from "./event_base.js";
import type { CommonQueue } from "./common_timeout.js";

export type EventCb = (fd: number, what: number, arg: any) => void;
export type FinalizeCb = (ev: Event, arg: any) => void;

export class Event extends Callback implements Timed {
  /** null for an event set up without a base (event_set before event_init, until event_base_set). */
  declare base: EventBase | null;
  declare fd: number;
  declare events: number;
  declare cb: EventCb | null;
  declare arg: any;
  /** Result flags accumulated while active (what the callback receives). */
  declare res: number;
  /** Signal deliveries to call back for (ev_ncalls). */
  declare ncalls: number;
  /** While a signal event calls back: the calls left (libevent's local `ncalls`)... */
  declare sigCallsLeft: number;
  /** ...and whether event_del may still cut them short (ev_pncalls set). */
  declare sigAbortable: boolean;
  /** Registered for I/O or a signal (EVLIST_INSERTED). */
  declare inserted: boolean;
  /** EV_PERSIST timeout interval in µs (ev_io_timeout), 0 when none. */
  declare interval: number;
  declare io: IoSource | null;
  /**
   * event_finalize was called (EVLIST_FINALIZING): only the finalizer, now
   * held in `cb` (libevent keeps both in one union, so event_get_callback
   * returns it), will run.
   */
  declare finalizing: boolean;
  declare freeOnFinalize: boolean;
  /** event_free (or event_debug_unassign) happened: the object is no event any more. */
  declare freed: boolean;
  declare deadline: number;
  declare heapIndex: number;
  /** The common-timeout queue holding this event's timeout (instead of the heap), and its links there. */
  declare commonQueue: CommonQueue | null;
  declare ctPrev: Event | null;
  declare ctNext: Event | null;
  /** The common timeout a persistent event re-arms with (its ev_io_timeout was one). */
  declare intervalQueue: CommonQueue | null;
  /** On its base's list of events for the next poll to recheck. */
  declare pollQueued: boolean;
  /** Links of the base's list of inserted events (oldest first). */
  declare insPrev: Event | null;
  declare insNext: Event | null;

  constructor(base: EventBase | null, fd: number, events: number, cb: EventCb | null, arg: any) {
    super();
    Event.init(this, base, fd, events, cb, arg);
  }

  /** (Re)initialises `ev` in place: event_assign turns a caller's `{}` into a working event. */
  static init(
    ev: Event,
    base: EventBase | null,
    fd: number,
    events: number,
    cb: EventCb | null,
    arg: any,
  ): Event {
    ev.state = CbState.Idle;
    ev.next = ev.prev = null;
    ev.queue = null;
    // New events go to the middle priority; a base-less one keeps what it had.
    if (base) ev.priority = base.defaultPriority;
    else if (typeof ev.priority !== "number") ev.priority = 0;
    ev.internal = false;
    ev.base = base;
    ev.fd = fd;
    ev.events = events;
    ev.cb = cb;
    ev.arg = arg;
    ev.res = 0;
    ev.ncalls = 0;
    ev.sigCallsLeft = 0;
    ev.sigAbortable = false;
    ev.inserted = false;
    ev.interval = 0;
    ev.io = null;
    ev.finalizing = false;
    ev.freeOnFinalize = false;
    ev.freed = false;
    // libevent leaves ev_timeout as it was: event_pending can still report it.
    if (typeof ev.deadline !== "number") ev.deadline = 0;
    ev.heapIndex = -1;
    ev.commonQueue = ev.intervalQueue = null;
    ev.ctPrev = ev.ctNext = null;
    ev.pollQueued = false;
    ev.insPrev = ev.insNext = null;
    return ev;
  }

  /** A timeout is pending (EVLIST_TIMEOUT): in the heap or in a common-timeout queue. */
  get timerPending(): boolean {
    return this.heapIndex >= 0 || this.commonQueue !== null;
  }

  /** Called by the base with the event already out of its active queue. */
  run(): void {
    const base = this.base!;
    if (this.finalizing) {
      base.runningEvent = null;
      // Whether to free is decided before the call: an event_free_finalize from the finalizer has no effect.
      return this.runFinalizer(this.freeOnFinalize);
    }
    if (!(this.events & EV_PERSIST)) base.del(this);
    if (this.events & EV_SIGNAL) return this.runSignal(base);
    if (this.events & EV_PERSIST && this.interval > 0) base.rescheduleTimer(this);
    const cb = this.cb;
    if (cb) cb(this.fd, this.res, this.arg);
    // Level-triggered: a descriptor still ready is reported again by the next poll.
    if (this.io !== null && this.inserted && !(this.events & EV_ET)) base.pollSoon(this);
  }

  /** Calls the finalizer, then frees the event if `free` (by default: as event_free_finalize asked by then). */
  runFinalizer(free?: boolean): void {
    (this.cb as unknown as FinalizeCb)(this, this.arg);
    if (free ?? this.freeOnFinalize) this.freed = true;
  }

  /** One call per delivery; event_del or a loopbreak cuts the series short. */
  private runSignal(base: EventBase): void {
    this.sigCallsLeft = this.ncalls;
    this.sigAbortable = this.ncalls !== 0;
    while (this.sigCallsLeft > 0) {
      this.ncalls = --this.sigCallsLeft;
      if (this.sigCallsLeft === 0) this.sigAbortable = false;
      const cb = this.cb;
      if (cb) cb(this.fd, this.res, this.arg);
      if (base.gotBreak) {
        this.sigAbortable = false;
        return;
      }
    }
  }
}
