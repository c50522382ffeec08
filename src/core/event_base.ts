// The scheduler: libevent's event_base on top of Node's libuv loop.
//
// Node-side happenings (socket data, timer expiry, signals) only *activate*
// callbacks; user code runs only inside loop(). Active callbacks wait in one
// FIFO per priority; each pass runs the highest non-empty priority's queue
// (including what callbacks add to it meanwhile), as event_process_active
// does. Waiting for I/O is a Promise settled by the next activation or the
// next timer deadline; a ref'd Node timer keeps the process alive only while
// a loop is waiting with something pending (contract item 9).
import { Callback, CallbackQueue, CbState, Deferred } from "./callback.js";
import { Event } from "./event.js";
import {
  EVLOOP_NONBLOCK,
  EVLOOP_NO_EXIT_ON_EMPTY,
  EVLOOP_ONCE,
  EVENT_MAX_PRIORITIES,
  EV_CLOSED,
  EV_PERSIST,
  EV_READ,
  EV_SIGNAL,
  EV_TIMEOUT,
  EV_WRITE,
} from "./flags.js";
import { lookupFd } from "./io_source.js";
import { signalSource } from "./signals.js";
import { monotonicUs, wallUs } from "./time.js";
import { TimerHeap } from "./timer_heap.js";

/** More deferred callbacks than this in one pass wait for the next (MAX_DEFERREDS_QUEUED). */
const MAX_DEFERREDS_QUEUED = 32;
/** Longest Node setTimeout delay; longer waits are re-armed. */
const MAX_NODE_DELAY_MS = 0x7fffffff;
/** While callbacks keep coming, let Node poll its I/O at least this often (µs). */
const NODE_TURN_INTERVAL_US = 2000;

export interface BaseOptions {
  /** event_config_set_max_dispatch_interval: µs, or -1 for none. */
  maxDispatchUs?: number;
  maxCallbacks?: number;
  limitAfterPriority?: number;
  noCacheTime?: boolean;
}

export class EventBase {
  freed = false;
  private queues: CallbackQueue[] = [new CallbackQueue()];
  private later = new CallbackQueue();
  /** Active plus active-later callbacks (N_ACTIVE_CALLBACKS). */
  private nActive = 0;
  private timers = new TimerHeap<Event>();
  /** Inserted + timer-pending counts of non-internal events, as libevent counts them. */
  eventCount = 0;
  eventCountActive = 0;
  eventCountMax = 0;
  eventCountActiveMax = 0;
  virtualCount = 0;
  /** Every non-internal event currently added (for event_base_foreach_event). */
  readonly added = new Set<Event>();

  running = false;
  gotExit = false;
  gotBreak = false;
  private continueFlag = false;
  private nDeferredsQueued = 0;
  runningEvent: Callback | null = null;

  private cacheMono = 0;
  private cacheWall = 0;

  private readonly maxDispatchUs: number;
  private readonly maxCallbacks: number;
  private readonly limitAfterPriority: number;
  private readonly noCacheTime: boolean;

  // Waiting for Node: the resolver of the pending wait, and its timer.
  private wakeUp: (() => void) | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  private lastNodeTurn = 0;

  constructor(opts: BaseOptions = {}) {
    this.maxDispatchUs = opts.maxDispatchUs ?? -1;
    this.maxCallbacks = opts.maxCallbacks ?? 0x7fffffff;
    this.limitAfterPriority = opts.limitAfterPriority ?? 0x7fffffff;
    this.noCacheTime = opts.noCacheTime ?? false;
  }

  get npriorities(): number {
    return this.queues.length;
  }

  /** Priority of new events: the middle queue, as libevent assigns. */
  get defaultPriority(): number {
    return this.queues.length >> 1;
  }

  /** Priority of deferred callbacks (bufferevents, evbuffers): npriorities/2. */
  get deferredPriority(): number {
    return this.queues.length >> 1;
  }

  /** event_base_priority_init: -1 while callbacks are active or n out of range. */
  setPriorities(n: number): number {
    if (this.nActive > 0 || n < 1 || n >= EVENT_MAX_PRIORITIES) return -1;
    if (n === this.queues.length) return 0;
    this.queues = Array.from({ length: n }, () => new CallbackQueue());
    return 0;
  }

  // ---- time ----

  /** Monotonic now in µs, cached while callbacks run (like libevent's tv_cache). */
  now(): number {
    return this.cacheMono || monotonicUs();
  }

  wallNow(): number {
    return this.cacheWall || wallUs();
  }

  updateCacheTime(): void {
    if (this.running) this.setCache();
  }

  private setCache(): void {
    if (this.noCacheTime) return;
    this.cacheMono = monotonicUs();
    this.cacheWall = wallUs();
  }

  private clearCache(): void {
    this.cacheMono = this.cacheWall = 0;
  }

  // ---- adding and deleting events ----

  /** event_add: `timeoutUs` null for no timeout. Returns 0 or -1. */
  add(ev: Event, timeoutUs: number | null): number {
    if (ev.events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL) && !ev.inserted) {
      const src = ev.io ?? (ev.events & EV_SIGNAL ? signalSource : lookupFd(ev.fd));
      if (!src || !src.watch(ev)) return -1;
      ev.io = src;
      ev.inserted = true;
      this.count(ev, 1);
    }
    if (timeoutUs !== null) {
      ev.interval = ev.events & EV_PERSIST ? timeoutUs : -1;
      // Re-adding a timer whose timeout already fired cancels that activation.
      if (ev.state === CbState.Active && ev.res & EV_TIMEOUT) {
        if (ev.events & EV_SIGNAL) ev.ncalls = 0;
        this.dequeue(ev);
      }
      const wasPending = ev.heapIndex >= 0;
      if (wasPending) this.timers.remove(ev);
      this.timers.push(ev, this.now() + timeoutUs);
      if (!wasPending) this.count(ev, 1);
      this.wakeForTimers();
    }
    return 0;
  }

  /** event_del: not pending, not active. Always 0. */
  del(ev: Event): number {
    if (ev.heapIndex >= 0) {
      this.timers.remove(ev);
      this.count(ev, -1);
    }
    if (ev.state !== CbState.Idle) this.dequeue(ev);
    if (ev.inserted) {
      ev.inserted = false;
      ev.io?.unwatch(ev);
      if (!(ev.events & EV_SIGNAL) && ev.io === lookupFd(ev.fd)) ev.io = null;
      this.count(ev, -1);
    }
    return 0;
  }

  /** event_remove_timer: drops the timeout only. */
  removeTimer(ev: Event): number {
    if (ev.heapIndex >= 0) {
      this.timers.remove(ev);
      this.count(ev, -1);
    }
    ev.interval = -1;
    return 0;
  }

  private count(ev: Event, d: number): void {
    if (ev.internal) return;
    this.eventCount += d;
    if (this.eventCount > this.eventCountMax) this.eventCountMax = this.eventCount;
    if (ev.inserted || ev.heapIndex >= 0) this.added.add(ev);
    else this.added.delete(ev);
  }

  /** EV_PERSIST with a timeout: schedule the next expiry after a run. */
  rescheduleTimer(ev: Event, fromTimeout: boolean): void {
    const now = this.now();
    let at = (fromTimeout ? ev.deadline : now) + ev.interval;
    if (at < now) at = now + ev.interval;
    const wasPending = ev.heapIndex >= 0;
    if (wasPending) this.timers.remove(ev);
    this.timers.push(ev, at);
    if (!wasPending) this.count(ev, 1);
  }

  // ---- activation ----

  /** event_active: ORs `res` into an already-active event. Wakes a waiting loop. */
  activate(ev: Event, res: number, ncalls = 0): void {
    if (ev.events & EV_SIGNAL) ev.ncalls += ncalls;
    if (ev.state !== CbState.Idle) {
      ev.res |= res;
      return;
    }
    ev.res = res;
    this.enqueue(ev);
  }

  /** Queues a deferred callback, in this pass unless too many were already queued. */
  scheduleDeferred(cb: Deferred): void {
    if (cb.state !== CbState.Idle) return;
    cb.priority = this.deferredPriority;
    if (this.nDeferredsQueued > MAX_DEFERREDS_QUEUED) {
      cb.state = CbState.ActiveLater;
      this.later.push(cb);
      this.nActive++;
      this.wake();
    } else {
      this.nDeferredsQueued++;
      this.enqueue(cb);
    }
  }

  cancelDeferred(cb: Deferred): void {
    if (cb.state !== CbState.Idle) this.dequeue(cb);
  }

  /** Runs `ev`'s finalizer from the loop (event_finalize). */
  finalize(ev: Event, fcb: (ev: Event, arg: any) => void): void {
    this.del(ev);
    ev.finalizer = fcb;
    ev.res = 0;
    this.enqueue(ev);
  }

  isActive(cb: Callback): boolean {
    return cb.state !== CbState.Idle;
  }

  private enqueue(cb: Callback): void {
    cb.state = CbState.Active;
    this.queues[cb.priority].push(cb);
    this.nActive++;
    if (cb instanceof Event && !cb.internal) this.bumpActiveCount(1);
    this.wake();
  }

  private dequeue(cb: Callback): void {
    if (cb.state === CbState.Active) this.queues[cb.priority].remove(cb);
    else this.later.remove(cb);
    cb.state = CbState.Idle;
    this.nActive--;
    if (cb instanceof Event && !cb.internal) this.bumpActiveCount(-1);
  }

  private bumpActiveCount(d: number): void {
    this.eventCountActive += d;
    if (this.eventCountActive > this.eventCountActiveMax)
      this.eventCountActiveMax = this.eventCountActive;
  }

  /** Events and virtual events that keep the loop from exiting (event_haveevents). */
  hasEvents(): boolean {
    return this.eventCount > 0 || this.virtualCount > 0;
  }

  get activeCount(): number {
    return this.nActive;
  }

  // ---- loop control ----

  loopExit(afterUs: number | null): number {
    const ev = new Event(
      this,
      -1,
      EV_TIMEOUT,
      () => {
        this.gotExit = true;
      },
      null,
    );
    ev.internal = true;
    if (afterUs === null || afterUs === 0) this.activate(ev, EV_TIMEOUT);
    else this.add(ev, afterUs);
    return 0;
  }

  loopBreak(): number {
    this.gotBreak = true;
    this.wake();
    return 0;
  }

  loopContinue(): number {
    this.continueFlag = true;
    return 0;
  }

  /** event_base_loop. Resolves libevent's code: 0 done, 1 nothing pending, -1 reentrant/error. */
  async loop(flags: number): Promise<number> {
    if (this.running) return -1;
    this.running = true;
    this.clearCache();
    this.gotExit = this.gotBreak = false;
    try {
      for (;;) {
        this.continueFlag = false;
        this.nDeferredsQueued = 0;
        if (this.gotExit || this.gotBreak) return 0;
        if (!(flags & EVLOOP_NO_EXIT_ON_EMPTY) && !this.hasEvents() && this.nActive === 0) return 1;
        this.promoteLater();
        this.clearCache();
        await this.poll(flags);
        if (this.freed) return -1;
        this.setCache();
        this.expireTimers();
        if (this.nActive > 0) {
          const n = this.processActive();
          if (flags & EVLOOP_ONCE && this.nActive === 0 && n !== 0) return 0;
        } else if (flags & EVLOOP_NONBLOCK) return 0;
      }
    } finally {
      this.clearCache();
      this.running = false;
      this.runningEvent = null;
      this.stopWaiting();
    }
  }

  /** The backend's dispatch: give Node a turn to deliver I/O, blocking until a deadline or activation. */
  private poll(flags: number): Promise<void> | void {
    const nonblock = this.nActive > 0 || (flags & EVLOOP_NONBLOCK) !== 0;
    if (nonblock) {
      // A zero-timeout poll. Callbacks that keep re-activating each other would
      // starve Node's I/O, so hand Node a turn at least every few milliseconds.
      if (this.nActive > 0 && monotonicUs() - this.lastNodeTurn < NODE_TURN_INTERVAL_US) return;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          this.lastNodeTurn = monotonicUs();
          resolve();
        }),
      );
    }
    return new Promise<void>((resolve) => {
      this.wakeUp = () => {
        this.stopWaiting();
        this.lastNodeTurn = monotonicUs();
        resolve();
      };
      this.armWaitTimer();
    });
  }

  private armWaitTimer(): void {
    const next = this.timers.peek();
    let ms = MAX_NODE_DELAY_MS;
    if (next) ms = Math.min(ms, Math.max(0, Math.ceil((next.deadline - monotonicUs()) / 1000)));
    if (this.waitTimer) clearTimeout(this.waitTimer);
    // The wait timer is ref'd: it is what keeps Node alive while this loop waits.
    this.waitTimer = setTimeout(() => {
      this.waitTimer = null;
      if (next) this.wake();
      else this.armWaitTimer();
    }, ms);
  }

  private stopWaiting(): void {
    this.wakeUp = null;
    if (this.waitTimer) {
      clearTimeout(this.waitTimer);
      this.waitTimer = null;
    }
  }

  /** Ends a pending wait (called on every activation). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
  }

  /** A timer added while the loop waits may be due before the armed wait timer. */
  private wakeForTimers(): void {
    if (this.wakeUp) this.armWaitTimer();
  }

  private promoteLater(): void {
    let cb: Callback | null;
    while ((cb = this.later.shift())) {
      cb.state = CbState.Active;
      this.queues[cb.priority].push(cb);
    }
  }

  private expireTimers(): void {
    const now = this.now();
    let ev: Event | undefined;
    while ((ev = this.timers.peek()) && ev.deadline <= now) {
      this.timers.remove(ev);
      this.count(ev, -1);
      // A non-persistent event that times out is no longer pending for I/O either.
      if (!(ev.events & EV_PERSIST) && ev.inserted) this.del(ev);
      this.activate(ev, EV_TIMEOUT);
    }
  }

  /** Runs the highest-priority non-empty queue; returns callbacks run, as event_process_active. */
  private processActive(): number {
    const endAt = this.maxDispatchUs >= 0 ? monotonicUs() + this.maxDispatchUs : -1;
    for (let p = 0; p < this.queues.length; p++) {
      const q = this.queues[p];
      if (q.length === 0) continue;
      const limited = p >= this.limitAfterPriority;
      const c = this.runQueue(q, limited ? this.maxCallbacks : 0x7fffffff, limited ? endAt : -1);
      if (c !== 0) return c < 0 ? 0 : c;
    }
    return 0;
  }

  private runQueue(q: CallbackQueue, maxToRun: number, endAt: number): number {
    let n = 0;
    let cb: Callback | null;
    while ((cb = q.head)) {
      q.remove(cb);
      cb.state = CbState.Idle;
      this.nActive--;
      if (cb instanceof Event && !cb.internal) this.bumpActiveCount(-1);
      this.runningEvent = cb;
      cb.run();
      this.runningEvent = null;
      n++;
      if (this.gotBreak) return -1;
      if (n >= maxToRun) return n;
      if (this.continueFlag) break;
      if (endAt >= 0) {
        this.updateCacheTime();
        if (monotonicUs() >= endAt) return n;
      }
    }
    return n;
  }

  /** event_base_free: every event stops being pending; the base is unusable. */
  free(): void {
    for (const ev of [...this.added]) this.del(ev);
    for (const q of this.queues) while (q.head) this.dequeue(q.head);
    while (this.later.head) this.dequeue(this.later.head);
    this.freed = true;
    this.stopWaiting();
  }

  /** Visits every added or active user event (event_base_foreach_event); stops at non-zero. */
  forEachEvent(fn: (ev: Event) => number): number {
    const seen = new Set<Event>(this.added);
    for (const q of this.queues)
      for (let c = q.head; c; c = c.next) if (c instanceof Event && !c.internal) seen.add(c);
    for (const ev of seen) {
      const r = fn(ev);
      if (r) return r;
    }
    return 0;
  }

  /** Time until the next timer in µs, or -1 when none. */
  nextTimeoutUs(): number {
    const next = this.timers.peek();
    return next ? Math.max(0, next.deadline - this.now()) : -1;
  }
}
