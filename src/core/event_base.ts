// The scheduler: libevent 2.1's event_base on top of Node's libuv loop.
//
// Node-side happenings (socket data, timer expiry, signals) only *activate*
// callbacks; user code runs only inside loop(). A loop pass is libevent's:
// promote the "active later" callbacks, poll the backend (give Node a turn),
// refresh the cached time, activate expired timers, then run the highest
// non-empty priority queue in FIFO order (including what its callbacks add
// to it, unless they activate something of higher priority). Waiting is a
// Promise settled by the next activation or timer deadline; a ref'd Node
// handle keeps the process alive while a loop runs (contract 9).
import { Callback, CallbackQueue, CbState, Deferred } from "./callback.js";
import { CommonTimeouts, type CommonQueue } from "./common_timeout.js";
import { Event, type EventCb, type FinalizeCb } from "./event.js";
import {
  EVLOOP_NONBLOCK,
  EVLOOP_NO_EXIT_ON_EMPTY,
  EVLOOP_ONCE,
  EVENT_MAX_PRIORITIES,
  EV_CLOSED,
  EV_ET,
  EV_FINALIZE,
  EV_PERSIST,
  EV_READ,
  EV_SIGNAL,
  EV_TIMEOUT,
  EV_WRITE,
} from "./flags.js";
import { lookupFd, whenSettled } from "./io_source.js";
// The backend behind descriptor events: loading it registers fds 0-2 and the fd resolver.
import "./descriptor_table.js";
import { epollAddFailure, holdBaseDescriptors } from "./descriptor.js";
import { warn } from "./log.js";
import { NSIG, claimSignals, releaseSignals, signalSource, signalWatchers } from "./signals.js";
import { monoToWallUs, monotonicUs, sleepVirtual, virtualClockOn } from "./time.js";
import { TimerHeap } from "./timer_heap.js";
import { performance } from "node:perf_hooks";

/** More deferred callbacks than this in one pass wait for the next (MAX_DEFERREDS_QUEUED). */
const MAX_DEFERREDS_QUEUED = 32;
const INT_MAX = 0x7fffffff;
/** Longest Node setTimeout delay; longer waits are re-armed. */
const MAX_NODE_DELAY_MS = 0x7fffffff;
/** Period of the keep-alive handle (it does nothing but re-arm very long waits). */
const KEEP_ALIVE_MS = 0x40000000;
/** While callbacks keep coming, let Node poll its I/O at least this often (ms). */
const NODE_TURN_INTERVAL_MS = 2;

export interface BaseOptions {
  /** The backend name event_base_get_method reports, and its features. */
  method?: string;
  features?: number;
  /** event_config_set_max_dispatch_interval: µs, or -1 for none. */
  maxDispatchUs?: number;
  maxCallbacks?: number;
  limitAfterPriority?: number;
  noCacheTime?: boolean;
}

export class EventBase {
  freed = false;
  readonly method: string;
  readonly features: number;
  private queues: CallbackQueue[] = [new CallbackQueue()];
  private later = new CallbackQueue();
  private timers = new TimerHeap<Event>();
  /** event_count: non-internal callbacks, once per list they are on (inserted, timeout, active). */
  eventCount = 0;
  eventCountMax = 0;
  /** event_count_active, N_ACTIVE_CALLBACKS: every active or active-later callback. */
  private nActive = 0;
  activeCountMax = 0;
  private nVirtual = 0;
  virtualCountMax = 0;
  /** The newest inserted event (I/O and signals); insPrev links lead back to the oldest. */
  private insTail: Event | null = null;
  /** Level-triggered events whose descriptor the next poll checks again. */
  private pollList: (Event | null)[] = [];
  private pollLen = 0;
  private pollSpare: (Event | null)[] = [];

  running = false;
  gotExit = false;
  gotBreak = false;
  private continueFlag = false;
  private runningPriority = -1;
  private nDeferredsQueued = 0;
  /** The callback being run (libevent's current_event). */
  runningEvent: Callback | null = null;

  private cacheMono = 0;
  private readonly maxDispatchUs: number;
  private readonly maxCallbacks: number;
  private readonly limitAfterPriority: number;
  private readonly noCacheTime: boolean;

  // Signal deliveries counted by the handler, run by an internal callback.
  private sigCaught: number[] | null = null;
  private sigCb: Deferred | null = null;
  private sigPending = false;
  private readonly exitCb = () => {
    this.gotExit = true;
  };

  // Waiting for Node: the resolver of the pending wait, its timer, the scheduled wake-up.
  private waiting: (() => void) | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private wakeImmediate: NodeJS.Immediate | null = null;
  private lastNodeTurn = 0;

  constructor(opts: BaseOptions = {}) {
    this.method = opts.method ?? "epoll";
    this.features = opts.features ?? 0x0b; // epoll's: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE
    this.maxDispatchUs = opts.maxDispatchUs ?? -1;
    this.maxCallbacks = opts.maxCallbacks ?? INT_MAX;
    this.noCacheTime = opts.noCacheTime ?? false;
    const unlimited = this.maxCallbacks === INT_MAX && this.maxDispatchUs < 0;
    this.limitAfterPriority = unlimited ? INT_MAX : (opts.limitAfterPriority ?? 1);
    holdBaseDescriptors(this.ownDescriptors);
  }

  /** What libevent's base holds open: the signal pipe, and the epoll descriptor. */
  private get ownDescriptors(): number {
    return this.method.startsWith("epoll") ? 3 : 2;
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

  /** Library-held reasons to keep looping (event_base_add_virtual_/del_virtual_). */
  get virtualCount(): number {
    return this.nVirtual;
  }

  set virtualCount(n: number) {
    this.nVirtual = n;
    if (n > this.virtualCountMax) this.virtualCountMax = n;
    if (n === 0) this.wake();
  }

  /** N_ACTIVE_CALLBACKS: active and active-later callbacks, internal ones included. */
  get activeCount(): number {
    return this.nActive;
  }

  /** event_base_priority_init: -1 while callbacks are active or n out of range. */
  setPriorities(n: number): number {
    if (this.nActive > 0 || n < 1 || n >= EVENT_MAX_PRIORITIES) return -1;
    if (n !== this.queues.length)
      this.queues = Array.from({ length: n }, () => new CallbackQueue());
    return 0;
  }

  // ---- time ----

  /** Monotonic now in µs, cached from the start of each pass's callbacks (tv_cache). */
  now(): number {
    return this.cacheMono || monotonicUs();
  }

  /** Wall-clock time: the cached instant when there is one (event_base_gettimeofday_cached). */
  wallNow(): number {
    return monoToWallUs(this.now());
  }

  get hasCachedTime(): boolean {
    return this.cacheMono !== 0;
  }

  /** event_base_update_cache_time: only a running loop has a cache. */
  updateCacheTime(): void {
    if (this.running) this.setCache();
  }

  private setCache(): void {
    this.cacheMono = this.noCacheTime ? 0 : monotonicUs();
  }

  // ---- the lists an event can be on (each non-internal membership counts) ----

  private counted(cb: Callback, d: number): void {
    if (cb.internal) return;
    this.eventCount += d;
    if (this.eventCount > this.eventCountMax) this.eventCountMax = this.eventCount;
  }

  private insertActive(cb: Callback): void {
    const q = this.queues[cb.priority];
    if (!q)
      throw new RangeError(
        `event priority ${cb.priority} is out of range: the base has ${this.queues.length} ` +
          `priorities (event_base_priority_init was called after the event was set up)`,
      );
    cb.state = CbState.Active;
    q.push(cb);
    cb.queue = q;
    this.counted(cb, 1);
    if (++this.nActive > this.activeCountMax) this.activeCountMax = this.nActive;
    this.wake();
  }

  private insertLater(cb: Callback): void {
    cb.state = CbState.ActiveLater;
    this.later.push(cb);
    this.counted(cb, 1);
    if (++this.nActive > this.activeCountMax) this.activeCountMax = this.nActive;
    this.wake();
  }

  private removeActive(cb: Callback): void {
    if (cb.state === CbState.Active) cb.queue!.remove(cb);
    else this.later.remove(cb);
    cb.state = CbState.Idle;
    this.counted(cb, -1);
    this.nActive--;
  }

  private insertTimeout(ev: Event, deadline: number, q: CommonQueue | null): void {
    if (q) {
      ev.deadline = deadline;
      q.insert(ev);
    } else this.timers.push(ev, deadline);
    this.counted(ev, 1);
  }

  private removeTimeout(ev: Event): void {
    if (ev.commonQueue) ev.commonQueue.remove(ev);
    else this.timers.remove(ev);
    this.counted(ev, -1);
  }

  /** A common timeout's internal timer: priority 0, due at its queue's first deadline. */
  private commonTimer(q: CommonQueue): Event {
    const t = new Event(this, -1, 0, this.commonTimeoutDue, q);
    t.internal = true;
    t.priority = 0;
    return t;
  }

  /** common_timeout_callback: activates the queue's due events in order, then waits for the next. */
  private readonly commonTimeoutDue = (_fd: number, _what: number, q: CommonQueue): void => {
    const now = this.now();
    let ev: Event | null;
    while ((ev = q.head) && ev.deadline <= now) {
      this.del(ev);
      this.activate(ev, EV_TIMEOUT, 1);
    }
    if (ev) this.add(q.timer!, ev.deadline, true);
  };

  // ---- adding and deleting events ----

  /**
   * event_add (`timeoutUs` null for none; `absolute` makes it a deadline).
   * Returns 0, or -1 for a descriptor or signal that cannot be watched or a
   * finalizing event.
   */
  add(
    ev: Event,
    timeoutUs: number | null,
    absolute = false,
    common: CommonQueue | null = null,
  ): number {
    if (ev.finalizing) return -1;
    if (
      ev.events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL) &&
      !ev.inserted &&
      ev.state === CbState.Idle
    ) {
      if (!this.watch(ev)) return -1;
      ev.inserted = true;
      this.linkInserted(ev);
      this.counted(ev, 1);
    }
    if (timeoutUs === null) return 0;
    if (ev.events & EV_PERSIST && !(ev.events & EV_SIGNAL) && !absolute) {
      ev.interval = timeoutUs;
      ev.intervalQueue = common;
    }
    if (ev.timerPending) this.removeTimeout(ev);
    // Re-adding a timer whose timeout already fired cancels that activation.
    if (ev.state === CbState.Active && ev.res & EV_TIMEOUT) {
      if (ev.events & EV_SIGNAL && ev.ncalls && ev.sigAbortable) ev.sigCallsLeft = 0;
      this.removeActive(ev);
    }
    this.insertTimeout(ev, absolute ? timeoutUs : this.now() + timeoutUs, common);
    if (common) {
      if (common.head === ev) this.add(common.timer!, ev.deadline, true);
    } else if (ev.heapIndex === 0 && this.waiting) this.armWaitTimer();
    return 0;
  }

  /** event_enable_debug_mode was called: libevent then also refuses some combinations. */
  static debugMode = false;

  /** Starts watching an event's descriptor or signal; a negative fd is accepted and never fires. */
  private watch(ev: Event): boolean {
    if (ev.events & EV_SIGNAL) return signalSource.watch(ev);
    if (ev.fd < 0) return true;
    if (EventBase.debugMode && this.mixesEdgeTriggering(ev)) {
      warn(`Tried to mix edge-triggered and non-edge-triggered events on fd ${ev.fd}`);
      return false;
    }
    const src = ev.io ?? lookupFd(ev.fd);
    // A source that refuses says why itself.
    if (!src) warn(epollAddFailure(ev.fd, ev.events, "Bad file descriptor"));
    else if (src.watch(ev)) {
      ev.io = src;
      return true;
    }
    return false;
  }

  /** Whether the newest event inserted on ev's descriptor disagrees with it about EV_ET (evmap_io_add's check). */
  private mixesEdgeTriggering(ev: Event): boolean {
    for (let e = this.insTail; e; e = e.insPrev)
      if (e.fd === ev.fd && !(e.events & EV_SIGNAL)) return ((e.events ^ ev.events) & EV_ET) !== 0;
    return false;
  }

  private linkInserted(ev: Event): void {
    ev.insNext = null;
    ev.insPrev = this.insTail;
    if (this.insTail) this.insTail.insNext = ev;
    this.insTail = ev;
  }

  private unlinkInserted(ev: Event): void {
    if (ev.insPrev) ev.insPrev.insNext = ev.insNext;
    if (ev.insNext) ev.insNext.insPrev = ev.insPrev;
    else this.insTail = ev.insPrev;
    ev.insPrev = ev.insNext = null;
  }

  /** Inserted events, newest first (the order libevent's maps hold them in). */
  private insertedNewestFirst(): Event[] {
    const out: Event[] = [];
    for (let e = this.insTail; e; e = e.insPrev) out.push(e);
    return out;
  }

  /** Has the next poll check `ev`'s descriptor again (a level-triggered event just run, or just added). */
  pollSoon(ev: Event): void {
    if (ev.pollQueued) return;
    ev.pollQueued = true;
    this.pollList[this.pollLen++] = ev;
    this.wake();
  }

  /** The readiness part of a poll: what epoll_wait would report at once for the queued events. */
  private pollDescriptors(): void {
    const n = this.pollLen;
    if (n === 0) return;
    // Two lists swapped, never truncated: `length = 0` would free and regrow their storage each pass.
    const list = this.pollList;
    this.pollList = this.pollSpare;
    this.pollSpare = list;
    this.pollLen = 0;
    for (let i = 0; i < n; i++) {
      const ev = list[i]!;
      list[i] = null;
      // Not queued any more: rechecked already, with a newer event on its descriptor.
      if (!ev.pollQueued) continue;
      ev.io?.recheck?.(ev);
      ev.pollQueued = false;
    }
  }

  /** event_del: not pending, not active. A finalizing event stays as it is. Always 0. */
  del(ev: Event, evenIfFinalizing = false): number {
    if (ev.finalizing && !evenIfFinalizing) return 0;
    if (ev.events & EV_SIGNAL && ev.ncalls && ev.sigAbortable) ev.sigCallsLeft = 0;
    if (ev.timerPending) this.removeTimeout(ev);
    if (ev.state !== CbState.Idle) this.removeActive(ev);
    if (ev.inserted) {
      ev.inserted = false;
      this.unlinkInserted(ev);
      this.counted(ev, -1);
      if (ev.events & EV_SIGNAL) signalSource.unwatch(ev);
      else if (ev.io) {
        ev.io.unwatch(ev);
        if (ev.io === lookupFd(ev.fd)) ev.io = null;
      }
      if (!this.hasEvents() && this.nActive === 0) this.wake();
    }
    return 0;
  }

  /** event_remove_timer: drops a pending timeout (and the persistent interval) only. */
  removeTimer(ev: Event): number {
    if (ev.timerPending) {
      this.removeTimeout(ev);
      ev.interval = 0;
      ev.intervalQueue = null;
    }
    return 0;
  }

  /** EV_PERSIST with an interval: the next expiry, from the last deadline if it timed out, else from now. */
  rescheduleTimer(ev: Event): void {
    const now = this.now();
    let at = (ev.res & EV_TIMEOUT ? ev.deadline : now) + ev.interval;
    if (at < now) at = now + ev.interval;
    this.add(ev, at, true, ev.intervalQueue);
  }

  // ---- activation ----

  /** event_active: ORs `res` into an already-active event; `ncalls` counts a signal's deliveries. */
  activate(ev: Event, res: number, ncalls = 1): void {
    if (ev.finalizing) return;
    if (ev.state === CbState.Active) {
      ev.res |= res;
      return;
    }
    ev.res = ev.state === CbState.ActiveLater ? ev.res | res : res;
    // Something more urgent than the queue being run: finish the pass after this callback.
    if (ev.priority < this.runningPriority) this.continueFlag = true;
    if (ev.events & EV_SIGNAL) {
      ev.ncalls = ncalls;
      ev.sigAbortable = false;
    }
    this.activateCallback(ev);
  }

  /** Puts a callback on its active queue now; 1 if it was not queued at all before. */
  private activateCallback(cb: Callback): number {
    if (cb.state === CbState.Active) return 0;
    const wasLater = cb.state === CbState.ActiveLater;
    if (wasLater) this.removeActive(cb);
    this.insertActive(cb);
    return wasLater ? 0 : 1;
  }

  /** Queues a deferred callback: in this pass unless more than 32 were queued in it already. */
  scheduleDeferred(cb: Deferred): void {
    if (cb.priority < 0) cb.priority = this.deferredPriority;
    if (this.nDeferredsQueued > MAX_DEFERREDS_QUEUED) {
      if (cb.state === CbState.Idle) this.insertLater(cb);
    } else if (this.activateCallback(cb)) {
      this.nDeferredsQueued++;
    }
  }

  cancelDeferred(cb: Deferred): void {
    if (cb.state !== CbState.Idle) this.removeActive(cb);
  }

  /** event_finalize / event_free_finalize: the event is deleted and only `fcb` will run, from the loop. */
  finalize(ev: Event, fcb: FinalizeCb, free: boolean): void {
    this.del(ev);
    ev.cb = fcb as unknown as EventCb;
    ev.freeOnFinalize = free;
    this.activate(ev, EV_FINALIZE, 1);
    ev.finalizing = true;
  }

  isActive(cb: Callback): boolean {
    return cb.state !== CbState.Idle;
  }

  /** Events and virtual events that keep the loop from exiting (event_haveevents). */
  hasEvents(): boolean {
    return this.eventCount > 0 || this.nVirtual > 0;
  }

  // ---- signals ----

  /** Called by the signal handler: one more delivery of `sig` to handle. */
  signalCaught(sig: number): void {
    (this.sigCaught ??= new Array<number>(NSIG).fill(0))[sig]++;
    this.sigPending = true;
    this.wake();
  }

  /** The internal signal callback: activates each watcher with its signal's count. */
  private deliverSignals(): void {
    const caught = this.sigCaught!;
    for (let sig = 1; sig < NSIG; sig++) {
      const n = caught[sig];
      if (!n) continue;
      caught[sig] = 0;
      const evs = signalWatchers(sig);
      for (let i = evs.length - 1; i >= 0; i--)
        if (evs[i].base === this) this.activate(evs[i], EV_SIGNAL, n);
    }
  }

  // ---- event_base_once and loop control ----

  /** event_base_init_common_timeout's timevals, which event_add recognises. */
  readonly commonTimeouts = new CommonTimeouts((q) => this.commonTimer(q));

  /** Whether event_base_once takes `events`: a timeout alone, or some I/O; never a signal or EV_PERSIST. */
  static onceAccepts(events: number): boolean {
    return (
      !(events & (EV_SIGNAL | EV_PERSIST)) &&
      (events & (EV_TIMEOUT | EV_READ | EV_WRITE | EV_CLOSED)) !== 0
    );
  }

  /** event_base_once: a one-shot timer or I/O event, freed after it runs. */
  once(
    fd: number,
    events: number,
    cb: EventCb,
    arg: any,
    timeoutUs: number | null,
    common: CommonQueue | null = null,
  ): number {
    if (!EventBase.onceAccepts(events)) return -1;
    const io = events & (EV_READ | EV_WRITE | EV_CLOSED);
    if (!io) {
      const ev = new Event(this, -1, 0, cb, arg);
      // An immediate timer is activated at once: fast, and in order with other activations.
      // A common timeout is never zero to libevent (its tag bits are set).
      if (!timeoutUs && !common) this.activate(ev, EV_TIMEOUT, 1);
      else this.add(ev, timeoutUs, false, common);
      return 0;
    }
    return this.add(new Event(this, fd, io, cb, arg), timeoutUs, false, common);
  }

  /** event_base_loopexit: an event_base_once timer that ends the loop after its pass. */
  loopExit(afterUs: number | null, common: CommonQueue | null = null): number {
    return this.once(-1, EV_TIMEOUT, this.exitCb, this, afterUs, common);
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

  /** event_base_loop. Resolves libevent's code: 0 done, 1 nothing pending, -1 reentrant. */
  async loop(flags: number): Promise<number> {
    if (this.running) {
      warn(
        "event_base_loop: reentrant invocation.  Only one event_base_loop can run on each event_base at once.",
      );
      return -1;
    }
    this.running = true;
    claimSignals(this);
    this.cacheMono = 0;
    this.gotExit = this.gotBreak = false;
    this.startKeepAlive();
    try {
      for (;;) {
        this.continueFlag = false;
        this.nDeferredsQueued = 0;
        if (this.gotExit || this.gotBreak) return 0;
        // Node's turn comes before the poll when one is due: what arrived is
        // then reported with what was ready already, per descriptor, as one
        // epoll_wait returns it.
        if (this.pollLen > 0 && performance.now() - this.lastNodeTurn >= NODE_TURN_INTERVAL_MS)
          await this.nodeTurn();
        this.pollDescriptors();
        const block = this.nActive === 0 && !(flags & EVLOOP_NONBLOCK);
        if (!(flags & EVLOOP_NO_EXIT_ON_EMPTY) && !this.hasEvents() && this.nActive === 0) return 1;
        this.promoteLater();
        this.cacheMono = 0;
        const wait = this.dispatch(block);
        if (wait) {
          await wait;
          this.pollDescriptors();
        }
        if (this.sigPending) {
          this.sigPending = false;
          this.activateCallback(this.signalCallback());
        }
        this.setCache();
        this.expireTimers();
        if (this.nActive > 0) {
          const n = this.processActive();
          if (flags & EVLOOP_ONCE && this.nActive === 0 && n !== 0) return 0;
        } else if (flags & EVLOOP_NONBLOCK) return 0;
      }
    } finally {
      this.cacheMono = 0;
      this.running = false;
      this.runningEvent = null;
      this.runningPriority = -1;
      this.stopWaiting();
      clearInterval(this.keepAlive!);
      this.keepAlive = null;
    }
  }

  private signalCallback(): Deferred {
    if (!this.sigCb) {
      this.sigCb = new Deferred(() => this.deliverSignals());
      this.sigCb.internal = true;
      this.sigCb.priority = 0;
    }
    return this.sigCb;
  }

  /**
   * The backend's dispatch. Without blocking, Node gets a turn (its I/O, its
   * signals) — at least every few ms while callbacks keep coming, and always
   * when none is active. Blocking waits for an activation or the next timer;
   * the wake-up itself waits for Node's check phase, so everything Node
   * reports in one poll (several sockets, a burst of signals) is activated
   * before the pass runs, as one epoll_wait returns it all.
   */
  private dispatch(block: boolean): Promise<void> | null {
    const next = this.timers.peek();
    // A timer already due makes it a zero-timeout poll, as libevent's timeout_next does.
    const due = next !== undefined && next.deadline <= monotonicUs();
    if (!block || due || this.sigPending) {
      if (
        (this.nActive > 0 || due) &&
        performance.now() - this.lastNodeTurn < NODE_TURN_INTERVAL_MS
      )
        return null;
      const settling = whenSettled();
      if (settling)
        return settling.then(() => new Promise<void>((r) => setImmediate(this.settledTurn, r)));
      return this.nodeTurn();
    }
    if (next && virtualClockOn()) {
      sleepVirtual(next.deadline - monotonicUs());
      return this.dispatch(false);
    }
    return new Promise<void>((resolve) => {
      this.waiting = resolve;
      this.armWaitTimer();
    });
  }

  private nodeTurn(): Promise<void> {
    return new Promise<void>((resolve) => setImmediate(this.endTurn, resolve));
  }

  private readonly endTurn = (resolve: () => void) => {
    this.lastNodeTurn = performance.now();
    resolve();
  };

  /**
   * Ends the turn two poll phases after settling: the first has a new handle
   * read what waits (libuv stops at a short read), the second the EOF behind it.
   */
  private readonly settledTurn = (resolve: () => void) =>
    setImmediate(() => setImmediate(this.endTurn, resolve));

  /** A wait ends at the next timer's deadline (beyond Node's longest delay, the keep-alive re-arms it). */
  private armWaitTimer(): void {
    const next = this.timers.peek();
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    if (!next) return;
    const ms = Math.max(0, Math.ceil((next.deadline - monotonicUs()) / 1000));
    if (ms < MAX_NODE_DELAY_MS) this.waitTimer = setTimeout(this.waitTimerFired, ms);
  }

  /**
   * The ref'd handle that keeps Node alive while this loop runs (contract 9),
   * one for the whole loop rather than one per wait; every so often it
   * re-arms a wait whose deadline was beyond Node's longest delay.
   */
  private startKeepAlive(): void {
    this.keepAlive = setInterval(this.keepAliveTick, KEEP_ALIVE_MS);
  }

  private readonly keepAliveTick = () => {
    if (this.waiting && !this.waitTimer) this.armWaitTimer();
  };

  private readonly waitTimerFired = () => {
    this.waitTimer = null;
    this.wake();
  };

  private stopWaiting(): void {
    this.waiting = null;
    if (this.waitTimer) {
      clearTimeout(this.waitTimer);
      this.waitTimer = null;
    }
    if (this.wakeImmediate) {
      clearImmediate(this.wakeImmediate);
      this.wakeImmediate = null;
    }
  }

  /** Ends a pending wait (called on every activation), at Node's next check phase. */
  wake(): void {
    if (this.waiting && !this.wakeImmediate) this.wakeImmediate = setImmediate(this.wakeNow);
  }

  private readonly wakeNow = () => {
    this.wakeImmediate = null;
    const resolve = this.waiting;
    this.stopWaiting();
    if (resolve) this.endTurn(resolve);
  };

  /** event_queue_make_later_events_active: promoted deferreds count toward this pass's 32. */
  private promoteLater(): void {
    let cb: Callback | null;
    while ((cb = this.later.shift())) {
      cb.state = CbState.Active;
      const q = this.queues[cb.priority];
      q.push(cb);
      cb.queue = q;
      if (cb instanceof Deferred) this.nDeferredsQueued++;
    }
  }

  /** timeout_process: each expired timer is deleted outright, then activated with EV_TIMEOUT. */
  private expireTimers(): void {
    if (this.timers.size === 0) return;
    const now = this.now();
    let ev: Event | undefined;
    while ((ev = this.timers.peek()) && ev.deadline <= now) {
      this.del(ev);
      this.activate(ev, EV_TIMEOUT, 1);
    }
  }

  /** Runs the highest-priority queue that holds a non-internal callback; returns those run, as event_process_active. */
  private processActive(): number {
    let endAt = -1;
    if (this.maxDispatchUs >= 0) {
      this.setCache();
      endAt = this.now() + this.maxDispatchUs;
    }
    let c = 0;
    for (let p = 0; p < this.queues.length; p++) {
      const q = this.queues[p];
      if (!q.head) continue;
      this.runningPriority = p;
      c =
        p < this.limitAfterPriority
          ? this.runQueue(q, INT_MAX, -1)
          : this.runQueue(q, this.maxCallbacks, endAt);
      if (c !== 0) break;
    }
    this.runningPriority = -1;
    return c;
  }

  /** event_process_active_single_queue: -1 when a loopbreak stops it. */
  private runQueue(q: CallbackQueue, maxToRun: number, endAt: number): number {
    let n = 0;
    let cb: Callback | null;
    while ((cb = q.head)) {
      this.removeActive(cb);
      if (!cb.internal) n++;
      this.runningEvent = cb;
      cb.run();
      this.runningEvent = null;
      if (this.gotBreak) return -1;
      if (n >= maxToRun) return n;
      if (n && endAt >= 0) {
        this.setCache();
        if (this.now() >= endAt) return n;
      }
      if (this.continueFlag) break;
    }
    return n;
  }

  /**
   * event_base_free: every event is deleted; the finalizers of finalizing
   * ones run (unless `runFinalizers` is false); the base is unusable after.
   */
  free(runFinalizers: boolean): void {
    for (const q of this.commonTimeouts.queues) {
      this.del(q.timer!, true);
      for (let ev = q.head; ev; ev = q.head) this.del(ev, true);
    }
    for (const ev of this.insertedNewestFirst().reverse()) this.del(ev, true);
    let ev: Event | undefined;
    while ((ev = this.timers.peek())) this.del(ev, true);
    for (let deleted = 1; deleted;) {
      deleted = 0;
      for (const q of this.queues)
        for (let cb = q.head; cb;) {
          const next: Callback | null = cb.next;
          deleted += this.cancelForFree(cb, runFinalizers);
          cb = next;
        }
      while (this.later.head) deleted += this.cancelForFree(this.later.head, runFinalizers);
    }
    this.freed = true;
    holdBaseDescriptors(-this.ownDescriptors);
    releaseSignals(this);
    this.stopWaiting();
  }

  private cancelForFree(cb: Callback, runFinalizers: boolean): number {
    if (cb instanceof Event) this.del(cb, true);
    else this.removeActive(cb);
    if (runFinalizers && cb instanceof Event && cb.finalizing) cb.runFinalizer();
    return cb.internal ? 0 : 1;
  }

  // ---- inspection ----

  /**
   * The events event_base_foreach_event visits, in libevent's order: inserted
   * ones by descriptor then by signal number (newest first within each;
   * events on negative descriptors are in no map and are skipped), then
   * timers in heap order, then events that are only active.
   */
  eventsInOrder(): Event[] {
    const mapped = this.insertedNewestFirst().filter((e) => e.fd >= 0);
    const key = (e: Event) => (e.events & EV_SIGNAL ? NSIG : 0) * 0x100000000 + e.fd;
    mapped.sort((a, b) => key(a) - key(b));
    const out = mapped;
    for (const ev of this.timerEvents()) if (!ev.inserted) out.push(ev);
    for (const q of this.queues)
      for (let c = q.head; c; c = c.next)
        if (c instanceof Event && !c.inserted && !c.timerPending) out.push(c);
    return out;
  }

  /** event_base_dump_events' text; `id` names an event as %p would. */
  dump(id: (ev: Event) => string): string {
    const gloss = (e: Event) => `[${e.events & EV_SIGNAL ? "sig" : "fd "} ${e.fd}`;
    const evs = this.eventsInOrder();
    let s = "Inserted events:\n";
    for (const e of evs) {
      if (!e.inserted && !e.timerPending) continue;
      s += `  ${id(e)} ${gloss(e)}]${flagWords(e.events, false)}${e.internal ? " Internal" : ""}`;
      if (e.timerPending) {
        const wall = monoToWallUs(e.deadline);
        const sec = Math.floor(wall / 1e6);
        s += ` Timeout=${sec}.${String(wall - sec * 1e6).padStart(6, "0")}`;
      }
      s += "\n";
    }
    s += "Active events:\n";
    for (const e of evs) {
      if (e.state === CbState.Idle) continue;
      s += `  ${id(e)} ${gloss(e)}, priority=${e.priority}]${flagWords(e.res, true)} active`;
      s += `${e.internal ? " [Internal]" : ""}${e.state === CbState.ActiveLater ? " [NextTime]" : ""}\n`;
    }
    return s;
  }

  /** Inserted events on descriptor `fd` (newest first), for event_base_active_by_fd. */
  eventsOnFd(fd: number): Event[] {
    return this.insertedNewestFirst().filter((e) => e.fd === fd && !(e.events & EV_SIGNAL));
  }

  /** Events with a timeout: the heap's in heap order (internal timers too), then each common-timeout queue's in order. */
  timerEvents(): Event[] {
    const out = Array.from({ length: this.timers.size }, (_, i) => this.timers.at(i));
    for (const q of this.commonTimeouts.queues) for (const ev of q) out.push(ev);
    return out;
  }
}

function flagWords(f: number, res: boolean): string {
  let s = "";
  if (f & EV_READ) s += " Read";
  if (f & EV_WRITE) s += " Write";
  if (f & EV_CLOSED) s += " EOF";
  if (f & EV_SIGNAL) s += " Signal";
  if (res) return f & EV_TIMEOUT ? s + " Timeout" : s;
  if (f & EV_PERSIST) s += " Persist";
  if (f & EV_ET) s += " ET";
  return s;
}
