// One event: libevent's `struct event`. A timer, a signal, readiness of a
// descriptor, or a pure "virtual" event activated by library code.
import { Callback, CbState } from "./callback.js";
import { EV_PERSIST, EV_SIGNAL, EV_TIMEOUT } from "./flags.js";
import type { IoSource } from "./io_source.js";
import type { Timed } from "./timer_heap.js";
import type { EventBase } from "./event_base.js";

export type EventCb = (fd: number, what: number, arg: any) => void;
export type FinalizeCb = (ev: Event, arg: any) => void;

export class Event extends Callback implements Timed {
  declare base: EventBase;
  declare fd: number;
  declare events: number;
  declare cb: EventCb | null;
  declare arg: any;
  /** Result flags accumulated while active (what the callback receives). */
  declare res: number;
  /** Pending signal deliveries (ev_ncalls). */
  declare ncalls: number;
  /** Registered for I/O or a signal (EVLIST_INSERTED). */
  declare inserted: boolean;
  /** Not counted by the base (EVLIST_INTERNAL): the library's own bookkeeping events. */
  declare internal: boolean;
  /** EV_PERSIST timeout interval in µs, -1 when none. */
  declare interval: number;
  declare io: IoSource | null;
  declare finalizer: FinalizeCb | null;
  declare freed: boolean;
  declare deadline: number;
  declare seq: number;
  declare heapIndex: number;

  constructor(base: EventBase, fd: number, events: number, cb: EventCb | null, arg: any) {
    super();
    Event.init(this, base, fd, events, cb, arg);
  }

  /** (Re)initialises `ev` in place: event_assign turns a caller's `{}` into a working event. */
  static init(
    ev: Event,
    base: EventBase,
    fd: number,
    events: number,
    cb: EventCb | null,
    arg: any,
  ): Event {
    ev.state = CbState.Idle;
    ev.next = ev.prev = null;
    ev.priority = base.defaultPriority;
    ev.base = base;
    ev.fd = fd;
    ev.events = events;
    ev.cb = cb;
    ev.arg = arg;
    ev.res = 0;
    ev.ncalls = 0;
    ev.inserted = false;
    ev.internal = false;
    ev.interval = -1;
    ev.io = null;
    ev.finalizer = null;
    ev.freed = false;
    ev.deadline = 0;
    ev.seq = 0;
    ev.heapIndex = -1;
    return ev;
  }

  get timerPending(): boolean {
    return this.heapIndex >= 0;
  }

  run(): void {
    const base = this.base;
    const res = this.res;
    this.res = 0;
    if (this.finalizer) {
      const f = this.finalizer;
      this.finalizer = null;
      f(this, this.arg);
      return;
    }
    if (this.events & EV_PERSIST) {
      if (this.interval >= 0) base.rescheduleTimer(this, (res & EV_TIMEOUT) !== 0);
    } else {
      base.del(this);
    }
    const cb = this.cb;
    if (!cb) return;
    if (this.events & EV_SIGNAL && res & EV_SIGNAL) {
      // One call per delivery; stop early if the loop was told to break.
      while (this.ncalls > 0) {
        this.ncalls--;
        cb(this.fd, res, this.arg);
        if (base.gotBreak) {
          this.ncalls = 0;
          break;
        }
      }
      return;
    }
    cb(this.fd, res, this.arg);
  }
}
