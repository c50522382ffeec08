// event2/event.h: the flat C face of the loop. Thin: checks arguments, keeps
// C's return conventions (a NULL that C tolerates returns -1/0/null here; one
// that would crash throws), and calls src/core/event_base.ts.
import * as args from "../args.js";
import { EventBase } from "../core/event_base.js";
import type { CommonQueue } from "../core/common_timeout.js";
import { CbState } from "../core/callback.js";
import { Event, type EventCb } from "../core/event.js";
import { getCurrentBase, setCurrentBase } from "../core/current_base.js";
import {
  EVENT_LOG_MSG,
  log,
  setDebugLogging,
  setLogCallback,
  warn,
  type LogCb,
} from "../core/log.js";
import {
  EV_CLOSED,
  EV_PERSIST,
  EV_READ,
  EV_SIGNAL,
  EV_TIMEOUT,
  EV_WRITE,
  EVENT_MAX_PRIORITIES,
} from "../core/flags.js";
import { monoToWallUs, monotonicUs, usToTimeval, wallUs, type Timeval } from "../core/time.js";
import { addressOf } from "../core/pseudo_address.js";
import { writeStream } from "../libc/stdio_write.js";
import * as check from "./checks.js";

export * from "../core/flags.js";
export { EVENT_LOG_DEBUG, EVENT_LOG_ERR, EVENT_LOG_MSG, EVENT_LOG_WARN } from "../core/log.js";
// event.h's obsolete spellings, still used by older programs (the book's logging example).
export {
  EVENT_LOG_DEBUG as _EVENT_LOG_DEBUG,
  EVENT_LOG_ERR as _EVENT_LOG_ERR,
  EVENT_LOG_MSG as _EVENT_LOG_MSG,
  EVENT_LOG_WARN as _EVENT_LOG_WARN,
} from "../core/log.js";
export type { EventBase, Event, EventCb, Timeval };
/** C's `event_callback_fn`, the type of an event's callback. */
export type event_callback_fn = EventCb;

export const LIBEVENT_VERSION = "2.1.12-stable";
export const LIBEVENT_VERSION_NUMBER = 0x02010c00;

export const EVENT_BASE_COUNT_ACTIVE = 1;
export const EVENT_BASE_COUNT_VIRTUAL = 2;
export const EVENT_BASE_COUNT_ADDED = 4;
export const EVENT_BASE_FLAG_NOLOCK = 0x01;
export const EVENT_BASE_FLAG_IGNORE_ENV = 0x02;
export const EVENT_BASE_FLAG_STARTUP_IOCP = 0x04;
export const EVENT_BASE_FLAG_NO_CACHE_TIME = 0x08;
export const EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST = 0x10;
export const EVENT_BASE_FLAG_PRECISE_TIMER = 0x20;
export const EVENT_DBG_NONE = 0;
export const EVENT_DBG_ALL = 0xffffffff;
export const EV_FEATURE_ET = 0x01;
export const EV_FEATURE_O1 = 0x02;
export const EV_FEATURE_FDS = 0x04;
export const EV_FEATURE_EARLY_CLOSE = 0x08;

/**
 * libevent's Linux backends, in its order of preference, with their
 * features. All three are Node's libuv loop here; the name and features are
 * what a configuration selects and what the base reports.
 */
const METHODS: readonly { name: string; features: number }[] = [
  { name: "epoll", features: EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE },
  { name: "poll", features: EV_FEATURE_FDS | EV_FEATURE_EARLY_CLOSE },
  { name: "select", features: EV_FEATURE_FDS },
];

const INT_MAX = 0x7fffffff;

// ---- configuration ----

export class EventConfig {
  freed = false;
  avoided: string[] = [];
  features = 0;
  flags = 0;
  maxDispatchUs = -1;
  maxCallbacks = INT_MAX;
  limitAfterPriority = 1;
  cpusHint = 0;
}

const cfgArg = (fn: string, v: unknown) =>
  args.obj(fn, "cfg", v, EventConfig, "struct event_config");
/** The calls that check for a NULL config return -1 for it. */
const cfgOrNull = (fn: string, v: unknown) =>
  v === null || v === undefined ? null : cfgArg(fn, v);

export function event_config_new(): EventConfig {
  return new EventConfig();
}

export function event_config_free(cfg: EventConfig): void {
  cfgArg("event_config_free", cfg).freed = true;
}

export function event_config_avoid_method(cfg: EventConfig, method: string): number {
  const c = cfgArg("event_config_avoid_method", cfg);
  if (typeof method !== "string")
    throw args.typeError("event_config_avoid_method", "method", "must be a string");
  c.avoided.push(method);
  return 0;
}

export function event_config_require_features(cfg: EventConfig, feature: number): number {
  const fn = "event_config_require_features";
  const c = cfgOrNull(fn, cfg);
  const f = args.int(fn, "feature", feature);
  if (!c) return -1;
  c.features = f;
  return 0;
}

export function event_config_set_flag(cfg: EventConfig, flag: number): number {
  const fn = "event_config_set_flag";
  const c = cfgOrNull(fn, cfg);
  const f = args.int(fn, "flag", flag);
  if (!c) return -1;
  c.flags |= f;
  return 0;
}

/** Stored and otherwise ignored: JavaScript runs callbacks on one thread. */
export function event_config_set_num_cpus_hint(cfg: EventConfig, cpus: number): number {
  const fn = "event_config_set_num_cpus_hint";
  const c = cfgOrNull(fn, cfg);
  const n = args.int(fn, "cpus", cpus);
  if (!c) return -1;
  c.cpusHint = n;
  return 0;
}

export function event_config_set_max_dispatch_interval(
  cfg: EventConfig,
  max_interval: Timeval | null,
  max_callbacks: number,
  min_priority: number,
): number {
  const fn = "event_config_set_max_dispatch_interval";
  const c = cfgArg(fn, cfg);
  const us = check.timeval(fn, max_interval, "max_interval");
  const mc = args.int(fn, "max_callbacks", max_callbacks);
  c.maxDispatchUs = us ?? -1;
  c.maxCallbacks = mc >= 0 ? mc : INT_MAX;
  c.limitAfterPriority = Math.max(0, args.int(fn, "min_priority", min_priority));
  return 0;
}

// ---- bases ----

export function event_base_new(): EventBase | null {
  return newBase(new EventConfig());
}

/** NULL (with libevent's warning) when the config rules out every method. */
export function event_base_new_with_config(cfg: EventConfig | null): EventBase | null {
  return newBase(cfgOrNull("event_base_new_with_config", cfg));
}

/**
 * The first method the config and the environment (EVENT_NOEPOLL, ...;
 * ignored with EVENT_BASE_FLAG_IGNORE_ENV) allow. Timers are always precise
 * here, so EVENT_BASE_FLAG_PRECISE_TIMER changes nothing.
 */
function newBase(cfg: EventConfig | null): EventBase | null {
  const flags = cfg ? cfg.flags : 0;
  const env = !(flags & EVENT_BASE_FLAG_IGNORE_ENV);
  const required = cfg ? cfg.features : 0;
  const m = METHODS.find(
    (m) =>
      !(cfg && cfg.avoided.includes(m.name)) &&
      (m.features & required) === required &&
      !(env && process.env[`EVENT_NO${m.name.toUpperCase()}`] !== undefined),
  );
  if (!m) {
    warn("event_base_new_with_config: no event mechanism available");
    return null;
  }
  // epoll's changelist variant, which the flag or EVENT_EPOLL_USE_CHANGELIST selects, names itself.
  const changelist =
    m.name === "epoll" &&
    (flags & EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST ||
      (env && process.env.EVENT_EPOLL_USE_CHANGELIST !== undefined));
  const method = changelist ? "epoll (with changelist)" : m.name;
  if (process.env.EVENT_SHOW_METHOD !== undefined) log(EVENT_LOG_MSG, `libevent using: ${method}`);
  return new EventBase({
    method,
    features: m.features,
    maxDispatchUs: cfg ? cfg.maxDispatchUs : -1,
    maxCallbacks: cfg ? cfg.maxCallbacks : INT_MAX,
    limitAfterPriority: cfg ? cfg.limitAfterPriority : 1,
    noCacheTime: (flags & EVENT_BASE_FLAG_NO_CACHE_TIME) !== 0,
  });
}

/** NULL means the current base (event_init's). Pending events are deleted; finalizers run. */
export function event_base_free(base: EventBase | null): void {
  freeBase("event_base_free", base, true);
}

/** Like event_base_free, without running the finalizers of finalizing events. */
export function event_base_free_nofinalize(base: EventBase | null): void {
  freeBase("event_base_free_nofinalize", base, false);
}

function freeBase(fn: string, base: EventBase | null, runFinalizers: boolean): void {
  const b = base ?? getCurrentBase();
  if (!b) return warn("event_base_free_: no base to free");
  check.base(fn, b);
  if (b.running)
    throw args.typeError(fn, "base", "is running a loop (free it after event_base_loop returns)");
  b.free(runFinalizers);
  if (b === getCurrentBase()) setCurrentBase(null);
}

/** Nothing to redo after fork: Node does not fork a running loop. */
export function event_reinit(base: EventBase): number {
  check.base("event_reinit", base);
  return 0;
}

export function event_base_dispatch(base: EventBase): Promise<number> {
  return check.base("event_base_dispatch", base).loop(0);
}

export function event_base_loop(base: EventBase, flags: number): Promise<number> {
  const b = check.base("event_base_loop", base);
  return b.loop(args.int("event_base_loop", "flags", flags));
}

/** Ends the loop after `tv` (NULL: after the current pass), as a one-shot timer event. */
export function event_base_loopexit(base: EventBase | null, tv: Timeval | null): number {
  const us = timeoutArg("event_base_loopexit", base, tv);
  if (base === null || base === undefined) return -1;
  return check.base("event_base_loopexit", base).loopExit(us, commonQueue(base, tv));
}

export function event_base_loopbreak(base: EventBase | null): number {
  if (base === null || base === undefined) return -1;
  return check.base("event_base_loopbreak", base).loopBreak();
}

export function event_base_loopcontinue(base: EventBase | null): number {
  if (base === null || base === undefined) return -1;
  return check.base("event_base_loopcontinue", base).loopContinue();
}

export function event_base_got_exit(base: EventBase): number {
  return check.base("event_base_got_exit", base).gotExit ? 1 : 0;
}

export function event_base_got_break(base: EventBase): number {
  return check.base("event_base_got_break", base).gotBreak ? 1 : 0;
}

export function event_base_priority_init(base: EventBase, npriorities: number): number {
  const b = check.base("event_base_priority_init", base);
  return b.setPriorities(args.int("event_base_priority_init", "npriorities", npriorities));
}

/** NULL means the current base. */
export function event_base_get_npriorities(base: EventBase | null): number {
  return check.baseOrCurrent("event_base_get_npriorities", base).npriorities;
}

export function event_base_get_method(base: EventBase): string {
  return check.base("event_base_get_method", base).method;
}

export function event_get_supported_methods(): string[] {
  return METHODS.map((m) => m.name);
}

export function event_base_get_features(base: EventBase): number {
  return check.base("event_base_get_features", base).features;
}

/** The cached time of the running pass, else the time now. NULL means the current base. */
export function event_base_gettimeofday_cached(base: EventBase | null, tv: Timeval): number {
  const fn = "event_base_gettimeofday_cached";
  const out = check.timevalOut(fn, tv);
  const b = base === null || base === undefined ? getCurrentBase() : check.base(fn, base);
  usToTimeval(b && b.hasCachedTime ? b.wallNow() : wallUs(), out);
  return 0;
}

/** -1 when either argument is NULL. */
export function event_gettime_monotonic(base: EventBase | null, tv: Timeval | null): number {
  const fn = "event_gettime_monotonic";
  if (base === null || base === undefined || tv === null || tv === undefined) return -1;
  check.base(fn, base);
  usToTimeval(monotonicUs(), check.timevalOut(fn, tv));
  return 0;
}

/** Refreshes a running loop's cached time. NULL means the current base; -1 if there is none. */
export function event_base_update_cache_time(base: EventBase | null): number {
  const fn = "event_base_update_cache_time";
  const b = base === null || base === undefined ? getCurrentBase() : check.base(fn, base);
  if (!b) return -1;
  b.updateCacheTime();
  return 0;
}

export function event_get_version(): string {
  return LIBEVENT_VERSION;
}

export function event_get_version_number(): number {
  return LIBEVENT_VERSION_NUMBER;
}

/** sizeof(struct event) in libevent 2.1.12 on x86-64. */
export function event_get_struct_event_size(): number {
  return 128;
}

/**
 * ADDED counts every list each non-internal callback is on (inserted,
 * timeout, active), so an added timer that is also active counts 2.
 */
export function event_base_get_num_events(base: EventBase, type: number): number {
  const b = check.base("event_base_get_num_events", base);
  const t = args.int("event_base_get_num_events", "type", type);
  let r = 0;
  if (t & EVENT_BASE_COUNT_ACTIVE) r += b.activeCount;
  if (t & EVENT_BASE_COUNT_VIRTUAL) r += b.virtualCount;
  if (t & EVENT_BASE_COUNT_ADDED) r += b.eventCount;
  return r;
}

/** The maxima since the last clear; `clear` resets them to 0. */
export function event_base_get_max_events(base: EventBase, type: number, clear: number): number {
  const fn = "event_base_get_max_events";
  const b = check.base(fn, base);
  const t = args.int(fn, "type", type);
  const c = args.int(fn, "clear", clear);
  let r = 0;
  if (t & EVENT_BASE_COUNT_ACTIVE) {
    r += b.activeCountMax;
    if (c) b.activeCountMax = 0;
  }
  if (t & EVENT_BASE_COUNT_VIRTUAL) {
    r += b.virtualCountMax;
    if (c) b.virtualCountMax = 0;
  }
  if (t & EVENT_BASE_COUNT_ADDED) {
    r += b.eventCountMax;
    if (c) b.eventCountMax = 0;
  }
  return r;
}

/** The event whose callback is running, or NULL (also inside a finalizer or a deferred callback). */
export function event_base_get_running_event(base: EventBase): Event | null {
  const cb = check.base("event_base_get_running_event", base).runningEvent;
  return cb instanceof Event ? cb : null;
}

/** A timeout argument: a common timeout of `base` stands for its duration, as libevent reads its bits. */
function timeoutArg(fn: string, base: EventBase | null, tv: Timeval | null): number | null {
  const us = check.timeval(fn, tv);
  return us === null || !(base instanceof EventBase)
    ? us
    : (base.commonTimeouts.durationUs(tv!) ?? us);
}

/** The common-timeout queue `tv` names in `base` (its events wait there, not in the heap), or null. */
function commonQueue(base: EventBase | null, tv: Timeval | null): CommonQueue | null {
  return tv && base instanceof EventBase ? base.commonTimeouts.queueOf(tv) : null;
}

/**
 * A timeval tagged as libevent tags it (magic and index above the
 * microseconds), which event_add and event_base_once take as the duration;
 * the same duration gives back the same object, as C gets the same pointer.
 * NULL once 256 are in use.
 */
export function event_base_init_common_timeout(base: EventBase, duration: Timeval): Timeval | null {
  const fn = "event_base_init_common_timeout";
  const b = check.base(fn, base);
  if (check.timeval(fn, duration, "duration") === null)
    throw args.typeError(fn, "duration", "is NULL");
  return b.commonTimeouts.get(duration);
}

export type event_base_foreach_event_cb = (base: EventBase, ev: Event, arg: any) => number;

/** Visits every inserted, timed or active event in libevent's order; -1 for a NULL base or fn. */
export function event_base_foreach_event(
  base: EventBase | null,
  fn: event_base_foreach_event_cb | null,
  arg: any,
): number {
  const name = "event_base_foreach_event";
  const f = args.optFn<event_base_foreach_event_cb>(name, "fn", fn);
  if (base === null || base === undefined || !f) return -1;
  const b = check.base(name, base);
  for (const ev of b.eventsInOrder()) {
    const r = f(b, ev, arg);
    if (r) return r;
  }
  return 0;
}

/** %p of an event, the same address printf's %p gives it. */
const pointerText = (ev: Event) => `0x${addressOf(ev).toString(16)}`;

/** Writes libevent's "Inserted events:" / "Active events:" listing to a FILE (`stdout`, `stderr`, `{ fd }`). */
export function event_base_dump_events(base: EventBase, output: { fd: number }): void {
  const fn = "event_base_dump_events";
  const b = check.base(fn, base);
  // A write error is stdio's to keep, as fprintf's would be.
  writeStream(fn, "output", output, Buffer.from(b.dump(pointerText)));
}

/** Activates the events on `fd` (or, with EV_TIMEOUT, the timers whose fd is `fd`). */
export function event_base_active_by_fd(base: EventBase, fd: number, events: number): void {
  const fn = "event_base_active_by_fd";
  const b = check.base(fn, base);
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events);
  if (what & EV_TIMEOUT) {
    for (const ev of b.timerEvents()) if (ev.fd === f) b.activate(ev, EV_TIMEOUT, 1);
    return;
  }
  const io = what & (EV_READ | EV_WRITE | EV_CLOSED);
  if (f < 0) return;
  for (const ev of b.eventsOnFd(f)) if (ev.events & io) b.activate(ev, ev.events & io, 1);
}

export function event_base_active_by_signal(base: EventBase, sig: number): void {
  const fn = "event_base_active_by_signal";
  const b = check.base(fn, base);
  const s = args.int(fn, "sig", sig);
  for (const ev of b.eventsInOrder())
    if (ev.events & EV_SIGNAL && ev.inserted && ev.fd === s) b.activate(ev, EV_SIGNAL, 1);
}

/** Moves a not-yet-added event to `base` (and its middle priority); -1 if it is pending or active. */
export function event_base_set(base: EventBase, ev: Event): number {
  const b = check.base("event_base_set", base);
  const e = check.event("event_base_set", ev);
  if (e.inserted || e.timerPending || e.finalizing || b.isActive(e) || e.internal) return -1;
  e.base = b;
  e.priority = b.defaultPriority;
  return 0;
}

// ---- events ----

const SELF_CBARG: unique symbol = Symbol("event_self_cbarg");

/** The marker that makes an event's callback argument the event itself. */
export function event_self_cbarg(): any {
  return SELF_CBARG;
}

/** The checked arguments of event_new / event_assign. */
function eventArgs(fn: string, base: unknown, fd: unknown, events: unknown, cb: unknown) {
  const b = base === null || base === undefined ? getCurrentBase() : check.base(fn, base);
  return {
    b,
    f: check.fd(fn, fd),
    what: args.int(fn, "events", events),
    c: args.optFn<EventCb>(fn, "callback", cb),
  };
}

/** libevent refuses a signal event that also asks for I/O. */
function signalWithIo(events: number): boolean {
  if (!(events & EV_SIGNAL && events & (EV_READ | EV_WRITE | EV_CLOSED))) return false;
  warn("event_assign: EV_SIGNAL is not compatible with EV_READ, EV_WRITE or EV_CLOSED");
  return true;
}

/** A NULL base means the current base; without one the event has none until event_base_set. */
export function event_new(
  base: EventBase | null,
  fd: number,
  events: number,
  cb: EventCb | null,
  arg: any,
): Event | null {
  const { b, f, what, c } = eventArgs("event_new", base, fd, events, cb);
  if (signalWithIo(what)) return null;
  const ev = new Event(b, f, what, c, arg);
  if (arg === SELF_CBARG) ev.arg = ev;
  return ev;
}

/** Makes `ev` (any object, typically a `{}` standing for `struct event`) that very event. */
export function event_assign(
  ev: object,
  base: EventBase | null,
  fd: number,
  events: number,
  cb: EventCb | null,
  arg: any,
): number {
  const fn = "event_assign";
  // A struct event of the program's, or an event already: any other object
  // would be overwritten, as C would overwrite some other struct.
  if (!(ev instanceof Event) && !args.isPlainStruct(ev))
    throw args.typeError(fn, "ev", `must be a struct event object, got ${args.describe(ev)}`);
  const { b, f, what, c } = eventArgs(fn, base, fd, events, cb);
  if (ev instanceof Event && !ev.freed && isPending(ev))
    throw args.typeError(fn, "ev", "is pending or active: event_del it before assigning it again");
  if (!(ev instanceof Event)) Object.setPrototypeOf(ev, Event.prototype);
  Event.init(ev as Event, b, f, what, c, arg === SELF_CBARG ? ev : arg);
  return signalWithIo(what) ? -1 : 0;
}

/** On a list of its base: re-assigning or unassigning it would corrupt that list in C. */
function isPending(e: Event): boolean {
  return e.inserted || e.timerPending || e.state !== CbState.Idle;
}

/** Deletes and frees `ev`; using it afterwards throws. */
export function event_free(ev: Event): void {
  const e = check.event("event_free", ev);
  delEvent(e);
  e.freed = true;
}

/** The event's base; null (with libevent's warning) when it has none. */
function baseOf(fn: string, warnAs: string, e: Event): EventBase | null {
  const b = e.base;
  if (!b) {
    warn(`${warnAs}: event has no event_base set.`);
    return null;
  }
  if (b.freed) throw args.typeError(fn, "ev", "belongs to an event_base that was freed");
  return b;
}

export function event_add(ev: Event, tv: Timeval | null): number {
  const e = check.event("event_add", ev);
  const us = timeoutArg("event_add", e.base, tv);
  const b = baseOf("event_add", "event_add", e);
  return b ? b.add(e, us, false, commonQueue(b, tv)) : -1;
}

function delEvent(e: Event, fn = "event_del"): number {
  const b = baseOf(fn, "event_del_", e);
  return b ? b.del(e) : -1;
}

export function event_del(ev: Event): number {
  return delEvent(check.event("event_del", ev));
}

/** Threads do not exist here, so there is never a running callback to wait for. */
export function event_del_block(ev: Event): number {
  return delEvent(check.event("event_del_block", ev), "event_del_block");
}

export function event_del_noblock(ev: Event): number {
  return delEvent(check.event("event_del_noblock", ev), "event_del_noblock");
}

export function event_remove_timer(ev: Event): number {
  const e = check.event("event_remove_timer", ev);
  const b = baseOf("event_remove_timer", "event_remove_timer", e);
  return b ? b.removeTimer(e) : -1;
}

/** Makes `ev` active with `res` (ORed into an already active one); `ncalls` counts a signal event's calls. */
export function event_active(ev: Event, res: number, ncalls: number): void {
  const fn = "event_active";
  const e = check.event(fn, ev);
  const r = args.int(fn, "res", res);
  const n = args.int(fn, "ncalls", ncalls);
  const b = baseOf(fn, fn, e);
  if (b) b.activate(e, r, (n << 16) >> 16); // ncalls is a C short
}

/**
 * Which of `events` the event is pending or active for; with EV_TIMEOUT
 * asked and pending, `tv` receives the wall-clock time it expires.
 */
export function event_pending(ev: Event, events: number, tv: Timeval | null): number {
  const fn = "event_pending";
  const e = check.event(fn, ev);
  const want =
    args.int(fn, "events", events) & (EV_TIMEOUT | EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL);
  const out = tv === null || tv === undefined ? null : check.timevalOut(fn, tv);
  if (!baseOf(fn, fn, e)) return 0;
  let flags = 0;
  if (e.inserted) flags |= e.events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL);
  if (e.state !== CbState.Idle) flags |= e.res;
  if (e.timerPending) flags |= EV_TIMEOUT;
  if (out && flags & want & EV_TIMEOUT) usToTimeval(monoToWallUs(e.deadline), out);
  return flags & want;
}

/** 1 for an object event_new/event_assign set up (and not freed since). */
export function event_initialized(ev: Event | object): number {
  return ev instanceof Event && !ev.freed ? 1 : 0;
}

/** -1 while the event is active, or for a priority its base does not have. */
export function event_priority_set(ev: Event, pri: number): number {
  const fn = "event_priority_set";
  const e = check.event(fn, ev);
  const p = args.int(fn, "pri", pri);
  if (!e.base) throw args.typeError(fn, "ev", "has no event_base (event_base_set it first)");
  if (e.state === CbState.Active || p < 0 || p >= e.base.npriorities) return -1;
  e.priority = p;
  return 0;
}

export function event_get_priority(ev: Event): number {
  return check.event("event_get_priority", ev).priority;
}

export function event_get_fd(ev: Event): number {
  return check.event("event_get_fd", ev).fd;
}

export function event_get_signal(ev: Event): number {
  return check.event("event_get_signal", ev).fd;
}

export function event_get_base(ev: Event): EventBase | null {
  return check.event("event_get_base", ev).base;
}

export function event_get_events(ev: Event): number {
  return check.event("event_get_events", ev).events;
}

export function event_get_callback(ev: Event): EventCb | null {
  return check.event("event_get_callback", ev).cb;
}

export function event_get_callback_arg(ev: Event): any {
  return check.event("event_get_callback_arg", ev).arg;
}

type Box<T> = { value: T } | null;

/** Fills each non-NULL `{ value }` box with the event's setting. */
export function event_get_assignment(
  ev: Event,
  base_out: Box<EventBase | null>,
  fd_out: Box<number>,
  events_out: Box<number>,
  callback_out: Box<EventCb | null>,
  arg_out: Box<any>,
): void {
  const fn = "event_get_assignment";
  const e = check.event(fn, ev);
  const boxes = [
    check.box<EventBase | null>(fn, base_out, "base_out"),
    check.box<number>(fn, fd_out, "fd_out"),
    check.box<number>(fn, events_out, "events_out"),
    check.box<EventCb | null>(fn, callback_out, "callback_out"),
    check.box<any>(fn, arg_out, "arg_out"),
  ];
  const values = [e.base, e.fd, e.events, e.cb, e.arg];
  boxes.forEach((bx, i) => {
    if (bx) bx.value = values[i];
  });
}

export type event_finalize_callback_fn = (ev: Event, arg: any) => void;

function finalizeEvent(
  fn: string,
  flags: unknown,
  ev: unknown,
  cb: unknown,
  free: boolean,
): number {
  args.int(fn, "flags", flags);
  const e = check.event(fn, ev);
  const f = args.optFn<event_finalize_callback_fn>(fn, "cb", cb);
  if (!f) throw args.typeError(fn, "cb", "is NULL");
  const b = baseOf(fn, "event_finalize_impl_", e);
  if (!b) return -1;
  b.finalize(e, f, free);
  return 0;
}

/** Deletes `ev`; `cb(ev, arg)` runs from the loop, after which nothing else of `ev` will. */
export function event_finalize(flags: number, ev: Event, cb: event_finalize_callback_fn): number {
  return finalizeEvent("event_finalize", flags, ev, cb, false);
}

/** event_finalize, then the event is freed once `cb` has run. */
export function event_free_finalize(
  flags: number,
  ev: Event,
  cb: event_finalize_callback_fn,
): number {
  return finalizeEvent("event_free_finalize", flags, ev, cb, true);
}

/**
 * Debug mode's checks on misused events always run here, as TypeErrors; what
 * it adds is libevent's refusal to mix EV_ET and level-triggered events on one
 * descriptor (event_add returns -1).
 */
export function event_enable_debug_mode(): void {
  EventBase.debugMode = true;
}

/** Marks an event set up with event_assign as no longer one (event_initialized then says 0). */
export function event_debug_unassign(ev: Event | object): void {
  if (!(ev instanceof Event) || ev.freed) return;
  if (isPending(ev))
    throw args.typeError("event_debug_unassign", "ev", "is pending or active: event_del it first");
  ev.freed = true;
}

export function event_enable_debug_logging(which: number): void {
  setDebugLogging(args.int("event_enable_debug_logging", "which", which) !== 0);
}

export function event_set_log_callback(cb: LogCb | null): void {
  setLogCallback(args.optFn<LogCb>("event_set_log_callback", "cb", cb));
}

let fatalCb: ((err: number) => void) | null = null;

/** Stored; libevent calls it on internal fatal errors, which here surface as exceptions. */
export function event_set_fatal_callback(cb: ((err: number) => void) | null): void {
  fatalCb = args.optFn("event_set_fatal_callback", "cb", cb);
}
export function fatalCallback(): ((err: number) => void) | null {
  return fatalCb;
}

/** Accepted and ignored: JavaScript manages memory itself. */
export function event_set_mem_functions(
  malloc_fn: unknown,
  realloc_fn: unknown,
  free_fn: unknown,
): void {
  const fn = "event_set_mem_functions";
  args.optFn(fn, "malloc_fn", malloc_fn);
  args.optFn(fn, "realloc_fn", realloc_fn);
  args.optFn(fn, "free_fn", free_fn);
}

/** Ends debug mode, as libevent's does; there is nothing else global to release. */
export function libevent_global_shutdown(): void {
  EventBase.debugMode = false;
}

/**
 * A one-shot event freed after it runs: a timer (EV_TIMEOUT; a NULL or zero
 * `tv` runs it in the next pass) or I/O. -1 for a NULL base, EV_SIGNAL,
 * EV_PERSIST, or no event kind at all.
 */
export function event_base_once(
  base: EventBase | null,
  fd: number,
  events: number,
  cb: EventCb,
  arg: any,
  tv: Timeval | null,
): number {
  const fn = "event_base_once";
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events);
  const c = args.optFn<EventCb>(fn, "callback", cb);
  const us = timeoutArg(fn, base, tv);
  if (base === null || base === undefined) return -1;
  const b = check.base(fn, base);
  // libevent refuses a bad combination before it looks at the callback.
  if (!EventBase.onceAccepts(what)) return -1;
  if (!c) throw args.typeError(fn, "callback", "is NULL");
  return b.once(f, what, c, arg, us, commonQueue(b, tv));
}

// ---- function-like macros ----

export const evtimer_new = (base: EventBase | null, cb: EventCb | null, arg: any) =>
  event_new(base, -1, 0, cb, arg);
export const evtimer_assign = (ev: object, base: EventBase | null, cb: EventCb | null, arg: any) =>
  event_assign(ev, base, -1, 0, cb, arg);
export const evtimer_add = (ev: Event, tv: Timeval | null) => event_add(ev, tv);
export const evtimer_del = (ev: Event) => event_del(ev);
export const evtimer_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, EV_TIMEOUT, tv);
export const evtimer_initialized = (ev: Event | object) => event_initialized(ev);

export const evsignal_new = (
  base: EventBase | null,
  signum: number,
  cb: EventCb | null,
  arg: any,
) => event_new(base, signum, EV_SIGNAL | EV_PERSIST, cb, arg);
export const evsignal_assign = (
  ev: object,
  base: EventBase | null,
  signum: number,
  cb: EventCb | null,
  arg: any,
) => event_assign(ev, base, signum, EV_SIGNAL | EV_PERSIST, cb, arg);
export const evsignal_add = (ev: Event, tv: Timeval | null) => event_add(ev, tv);
export const evsignal_del = (ev: Event) => event_del(ev);
export const evsignal_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, EV_SIGNAL, tv);
export const evsignal_initialized = (ev: Event | object) => event_initialized(ev);

export const evuser_new = (base: EventBase | null, cb: EventCb | null, arg: any) =>
  event_new(base, -1, 0, cb, arg);
export const evuser_del = (ev: Event) => event_del(ev);
export const evuser_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, 0, tv);
export const evuser_initialized = (ev: Event | object) => event_initialized(ev);
export const evuser_trigger = (ev: Event) => event_active(ev, 0, 0);

export { EVENT_MAX_PRIORITIES };
