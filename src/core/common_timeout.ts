// Common timeouts (event_base_init_common_timeout). libevent hands out a
// timeval whose tv_usec carries a magic tag and the timeout's index on top of
// the microseconds; event_add recognises such a timeval by its bits (a copy
// works too) and uses the duration below them; the same duration gives back
// the same object, as C gets the same pointer.
//
// As in libevent, the events added with one common timeout wait in a queue of
// their own, in deadline order (first come first served among equal ones),
// and only one internal timer of priority 0 per queue is in the heap, due at
// the queue head's deadline. When it runs it activates every event of its
// queue that is due, after the heap's timers that expired in the same pass:
// that is the order a program observes.
import { warn } from "./log.js";
import type { Event } from "./event.js";
import type { Timeval } from "./time.js";

/** The events waiting on one common timeout, and the internal timer due at the first one's deadline. */
export class CommonQueue {
  head: Event | null = null;
  tail: Event | null = null;

  constructor(
    /** Its duration, as the tagged timeval gives it. */
    readonly tv: Timeval,
    /** The internal timer standing for the queue in the heap (made by the base). */
    public timer: Event | null = null,
  ) {}

  /** Inserts `ev` after the last event due no later (libevent walks from the tail). */
  insert(ev: Event): void {
    let e = this.tail;
    while (e && e.deadline > ev.deadline) e = e.ctPrev;
    ev.ctPrev = e;
    ev.ctNext = e ? e.ctNext : this.head;
    if (ev.ctNext) ev.ctNext.ctPrev = ev;
    else this.tail = ev;
    if (e) e.ctNext = ev;
    else this.head = ev;
    ev.commonQueue = this;
  }

  remove(ev: Event): void {
    if (ev.ctPrev) ev.ctPrev.ctNext = ev.ctNext;
    else this.head = ev.ctNext;
    if (ev.ctNext) ev.ctNext.ctPrev = ev.ctPrev;
    else this.tail = ev.ctPrev;
    ev.ctPrev = ev.ctNext = null;
    ev.commonQueue = null;
  }

  /** The events in queue order. */
  *[Symbol.iterator](): IterableIterator<Event> {
    for (let e = this.head; e; e = e.ctNext) yield e;
  }
}

const MICROSECONDS_MASK = 0x000fffff;
const IDX_MASK = 0x0ff00000;
const IDX_SHIFT = 20;
const MAGIC_MASK = 0xf0000000;
const MAGIC = 0x50000000;
const MAX_COMMON_TIMEOUTS = 256;

export class CommonTimeouts {
  private readonly list: Timeval[] = [];
  /** The queues, by index. */
  readonly queues: CommonQueue[] = [];

  /** `makeTimer` gives each new queue its internal timer. */
  constructor(private readonly makeTimer: (q: CommonQueue) => Event) {}

  /** The index of a common-timeout timeval of this base, or -1. */
  private indexOf(tv: Timeval): number {
    const u = tv.tv_usec;
    if (!Number.isInteger(u) || (u & MAGIC_MASK) !== MAGIC) return -1;
    const i = (u & IDX_MASK) >>> IDX_SHIFT;
    return i < this.list.length ? i : -1;
  }

  /** event_base_init_common_timeout: the timeval for `duration`; null once 256 are in use. */
  get(duration: Timeval): Timeval | null {
    let sec = duration.tv_sec;
    let usec = duration.tv_usec;
    if (this.indexOf(duration) >= 0) usec &= MICROSECONDS_MASK;
    if (usec > 1_000_000) {
      sec += Math.floor(usec / 1_000_000);
      usec %= 1_000_000;
    }
    for (const c of this.list)
      if (c.tv_sec === sec && (c.tv_usec & MICROSECONDS_MASK) === usec) return c;
    if (this.list.length === MAX_COMMON_TIMEOUTS) {
      warn(
        `event_base_init_common_timeout: Too many common timeouts already in use; we only support ${MAX_COMMON_TIMEOUTS} per event_base`,
      );
      return null;
    }
    const c = { tv_sec: sec, tv_usec: usec | MAGIC | (this.list.length << IDX_SHIFT) };
    this.list.push(c);
    const q = new CommonQueue(c);
    q.timer = this.makeTimer(q);
    this.queues.push(q);
    return c;
  }

  /** The queue a common-timeout timeval of this base names; null for any other timeval. */
  queueOf(tv: Timeval): CommonQueue | null {
    const i = this.indexOf(tv);
    return i < 0 ? null : this.queues[i];
  }

  /** The duration in µs a common-timeout timeval of this base stands for; null for any other timeval. */
  durationUs(tv: Timeval): number | null {
    return this.indexOf(tv) < 0 ? null : tv.tv_sec * 1_000_000 + (tv.tv_usec & MICROSECONDS_MASK);
  }
}
