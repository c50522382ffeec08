// event2/event.h: the flat C face of the loop. Thin: checks arguments, calls
// src/core/event_base.ts.
import * as args from "../args.js";
import { EventBase } from "../core/event_base.js";
import { Event, type EventCb } from "../core/event.js";
import { setDebugLogging, setLogCallback, type LogCb } from "../core/log.js";
import {
  EV_CLOSED,
  EV_PERSIST,
  EV_READ,
  EV_SIGNAL,
  EV_TIMEOUT,
  EV_WRITE,
  EV_ET,
  EVENT_MAX_PRIORITIES,
} from "../core/flags.js";
import { monotonicUs, usToTimeval, wallUs, type Timeval } from "../core/time.js";
import { writeSync } from "node:fs";
import * as check from "./checks.js";

export * from "../core/flags.js";
export { EVENT_LOG_DEBUG, EVENT_LOG_ERR, EVENT_LOG_MSG, EVENT_LOG_WARN } from "../core/log.js";
export type { EventBase, Event, Timeval };

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

/** The one backend: Node's libuv loop, which is epoll on Linux. */
const METHOD = "epoll";
const METHOD_FEATURES = EV_FEATURE_ET | EV_FEATURE_O1 | EV_FEATURE_EARLY_CLOSE;

// ---- configuration ----

export class EventConfig {
  freed = false;
  avoided = new Set<string>();
  features = 0;
  flags = 0;
  maxDispatchUs = -1;
  maxCallbacks = 0x7fffffff;
  limitAfterPriority = 0x7fffffff;
}

export function event_config_new(): EventConfig {
  return new EventConfig();
}

export function event_config_free(cfg: EventConfig): void {
  args.obj("event_config_free", "cfg", cfg, EventConfig, "struct event_config").freed = true;
}

const cfgArg = (fn: string, v: unknown) =>
  args.obj(fn, "cfg", v, EventConfig, "struct event_config");

export function event_config_avoid_method(cfg: EventConfig, method: string): number {
  const c = cfgArg("event_config_avoid_method", cfg);
  if (typeof method !== "string")
    throw args.typeError("event_config_avoid_method", "method", "must be a string");
  c.avoided.add(method);
  return 0;
}

export function event_config_require_features(cfg: EventConfig, feature: number): number {
  cfgArg("event_config_require_features", cfg).features = args.int(
    "event_config_require_features",
    "feature",
    feature,
  );
  return 0;
}

export function event_config_set_flag(cfg: EventConfig, flag: number): number {
  cfgArg("event_config_set_flag", cfg).flags |= args.int("event_config_set_flag", "flag", flag);
  return 0;
}

/** Accepted and ignored: JavaScript runs callbacks on one thread. */
export function event_config_set_num_cpus_hint(cfg: EventConfig, cpus: number): number {
  cfgArg("event_config_set_num_cpus_hint", cfg);
  args.int("event_config_set_num_cpus_hint", "cpus", cpus);
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
  c.maxCallbacks = mc >= 0 ? mc : 0x7fffffff;
  c.limitAfterPriority = Math.max(0, args.int(fn, "min_priority", min_priority));
  return 0;
}

// ---- bases ----

export function event_base_new(): EventBase {
  return new EventBase();
}

/** NULL when the config avoids the only method (epoll) or requires features it lacks (EV_FEATURE_FDS). */
export function event_base_new_with_config(cfg: EventConfig | null): EventBase | null {
  if (cfg === null || cfg === undefined) return new EventBase();
  const c = cfgArg("event_base_new_with_config", cfg);
  if (c.avoided.has(METHOD) || (c.features & ~METHOD_FEATURES) !== 0) return null;
  return new EventBase({
    maxDispatchUs: c.maxDispatchUs,
    maxCallbacks: c.maxCallbacks,
    limitAfterPriority: c.limitAfterPriority,
    noCacheTime: (c.flags & EVENT_BASE_FLAG_NO_CACHE_TIME) !== 0,
  });
}

export function event_base_free(base: EventBase): void {
  if (base === null || base === undefined) return;
  check.base("event_base_free", base).free();
}

export function event_base_free_nofinalize(base: EventBase): void {
  if (base === null || base === undefined) return;
  check.base("event_base_free_nofinalize", base).free();
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

export function event_base_loopexit(base: EventBase, tv: Timeval | null): number {
  const b = check.base("event_base_loopexit", base);
  return b.loopExit(check.timeval("event_base_loopexit", tv));
}

export function event_base_loopbreak(base: EventBase): number {
  return check.base("event_base_loopbreak", base).loopBreak();
}

export function event_base_loopcontinue(base: EventBase): number {
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

export function event_base_get_npriorities(base: EventBase): number {
  return check.base("event_base_get_npriorities", base).npriorities;
}

export function event_base_get_method(base: EventBase): string {
  check.base("event_base_get_method", base);
  return METHOD;
}

export function event_get_supported_methods(): string[] {
  return [METHOD];
}

export function event_base_get_features(base: EventBase): number {
  check.base("event_base_get_features", base);
  return METHOD_FEATURES;
}

export function event_base_gettimeofday_cached(base: EventBase | null, tv: Timeval): number {
  const out = check.timevalOut("event_base_gettimeofday_cached", tv);
  const us =
    base === null || base === undefined
      ? wallUs()
      : check.base("event_base_gettimeofday_cached", base).wallNow();
  usToTimeval(us, out);
  return 0;
}

export function event_gettime_monotonic(base: EventBase, tv: Timeval): number {
  check.base("event_gettime_monotonic", base);
  usToTimeval(monotonicUs(), check.timevalOut("event_gettime_monotonic", tv));
  return 0;
}

export function event_base_update_cache_time(base: EventBase): number {
  check.base("event_base_update_cache_time", base).updateCacheTime();
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

export function event_base_get_num_events(base: EventBase, type: number): number {
  const b = check.base("event_base_get_num_events", base);
  const t = args.int("event_base_get_num_events", "type", type);
  let r = 0;
  if (t & EVENT_BASE_COUNT_ACTIVE) r += b.eventCountActive;
  if (t & EVENT_BASE_COUNT_VIRTUAL) r += b.virtualCount;
  if (t & EVENT_BASE_COUNT_ADDED) r += b.eventCount;
  return r;
}

export function event_base_get_max_events(base: EventBase, type: number, clear: number): number {
  const fn = "event_base_get_max_events";
  const b = check.base(fn, base);
  const t = args.int(fn, "type", type);
  let r = 0;
  if (t & EVENT_BASE_COUNT_ACTIVE) r += b.eventCountActiveMax;
  if (t & EVENT_BASE_COUNT_ADDED) r += b.eventCountMax;
  if (t & EVENT_BASE_COUNT_VIRTUAL) r += b.virtualCount;
  if (args.int(fn, "clear", clear)) {
    if (t & EVENT_BASE_COUNT_ACTIVE) b.eventCountActiveMax = b.eventCountActive;
    if (t & EVENT_BASE_COUNT_ADDED) b.eventCountMax = b.eventCount;
  }
  return r;
}

export function event_base_get_running_event(base: EventBase): Event | null {
  const cb = check.base("event_base_get_running_event", base).runningEvent;
  return cb instanceof Event && !cb.internal ? cb : null;
}

/** Common timeouts are a libevent optimisation; the timeval itself serves here. */
export function event_base_init_common_timeout(base: EventBase, duration: Timeval): Timeval | null {
  const fn = "event_base_init_common_timeout";
  check.base(fn, base);
  const us = check.timeval(fn, duration, "duration");
  return us === null ? null : usToTimeval(us);
}

export type event_base_foreach_event_cb = (base: EventBase, ev: Event, arg: any) => number;

export function event_base_foreach_event(
  base: EventBase,
  fn: event_base_foreach_event_cb,
  arg: any,
): number {
  const b = check.base("event_base_foreach_event", base);
  const f = args.optFn<event_base_foreach_event_cb>("event_base_foreach_event", "fn", fn);
  if (!f) throw args.typeError("event_base_foreach_event", "fn", "is NULL");
  return b.forEachEvent((ev) => f(b, ev, arg));
}

/** Writes the inserted and active events to a FILE (`stdout`/`stderr` or `{ fd }`). */
export function event_base_dump_events(base: EventBase, output: { fd: number }): void {
  const b = check.base("event_base_dump_events", base);
  const fd = output && typeof output.fd === "number" ? output.fd : 2;
  const lines = ["Inserted events:"];
  const describe = (ev: Event) =>
    `  event fd ${ev.fd}${ev.events & EV_READ ? " Read" : ""}${ev.events & EV_WRITE ? " Write" : ""}` +
    `${ev.events & EV_CLOSED ? " EOF" : ""}${ev.events & EV_SIGNAL ? " Signal" : ""}` +
    `${ev.events & EV_PERSIST ? " Persist" : ""}${ev.events & EV_ET ? " ET" : ""}` +
    `${ev.timerPending ? ` Timeout=${((ev.deadline - b.now()) / 1e6).toFixed(6)}` : ""}`;
  for (const ev of b.added) lines.push(describe(ev));
  lines.push("Active events:");
  b.forEachEvent((ev) => {
    if (b.isActive(ev)) lines.push(describe(ev) + " Active");
    return 0;
  });
  writeSync(fd, lines.join("\n") + "\n");
}

export function event_base_active_by_fd(base: EventBase, fd: number, events: number): void {
  const fn = "event_base_active_by_fd";
  const b = check.base(fn, base);
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events) & (EV_READ | EV_WRITE | EV_CLOSED);
  for (const ev of [...b.added])
    if (ev.fd === f && ev.inserted && !(ev.events & EV_SIGNAL) && ev.events & what)
      b.activate(ev, ev.events & what);
}

export function event_base_active_by_signal(base: EventBase, sig: number): void {
  const fn = "event_base_active_by_signal";
  const b = check.base(fn, base);
  const s = args.int(fn, "sig", sig);
  for (const ev of [...b.added])
    if (ev.fd === s && ev.inserted && ev.events & EV_SIGNAL) b.activate(ev, EV_SIGNAL, 1);
}

export function event_base_set(base: EventBase, ev: Event): number {
  const b = check.base("event_base_set", base);
  const e = check.event("event_base_set", ev);
  if (e.inserted || e.timerPending || b.isActive(e)) return -1;
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

/** libevent refuses a signal event that also asks for I/O. */
function validateEvents(events: number): boolean {
  return !(events & EV_SIGNAL && events & (EV_READ | EV_WRITE | EV_CLOSED));
}

export function event_new(
  base: EventBase,
  fd: number,
  events: number,
  cb: EventCb | null,
  arg: any,
): Event | null {
  const fn = "event_new";
  const b = check.baseOrCurrent(fn, base);
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events);
  const c = args.optFn<EventCb>(fn, "callback", cb);
  if (!validateEvents(what)) return null;
  const ev = new Event(b, f, what, c, arg);
  if (arg === SELF_CBARG) ev.arg = ev;
  return ev;
}

export function event_assign(
  ev: object,
  base: EventBase,
  fd: number,
  events: number,
  cb: EventCb | null,
  arg: any,
): number {
  const fn = "event_assign";
  if (ev === null || typeof ev !== "object")
    throw args.typeError(fn, "ev", `must be an object (struct event), got ${args.describe(ev)}`);
  const b = check.baseOrCurrent(fn, base);
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events);
  const c = args.optFn<EventCb>(fn, "callback", cb);
  if (!validateEvents(what)) return -1;
  if (ev instanceof Event && !ev.freed) ev.base.del(ev);
  else if (!(ev instanceof Event)) Object.setPrototypeOf(ev, Event.prototype);
  Event.init(ev as Event, b, f, what, c, arg === SELF_CBARG ? ev : arg);
  return 0;
}

export function event_free(ev: Event): void {
  if (ev === null || ev === undefined) return;
  const e = check.event("event_free", ev);
  e.base.del(e);
  e.freed = true;
}

export function event_add(ev: Event, tv: Timeval | null): number {
  const e = check.event("event_add", ev);
  const us = check.timeval("event_add", tv);
  if (e.base.freed)
    throw args.typeError("event_add", "ev", "belongs to an event_base that was freed");
  return e.base.add(e, us);
}

export function event_del(ev: Event): number {
  const e = check.event("event_del", ev);
  return e.base.del(e);
}

export function event_del_block(ev: Event): number {
  return event_del(ev);
}

export function event_del_noblock(ev: Event): number {
  return event_del(ev);
}

export function event_remove_timer(ev: Event): number {
  const e = check.event("event_remove_timer", ev);
  return e.base.removeTimer(e);
}

export function event_active(ev: Event, res: number, ncalls: number): void {
  const fn = "event_active";
  const e = check.event(fn, ev);
  e.base.activate(e, args.int(fn, "res", res), args.int(fn, "ncalls", ncalls));
}

export function event_pending(ev: Event, events: number, tv: Timeval | null): number {
  const fn = "event_pending";
  const e = check.event(fn, ev);
  let flags = 0;
  if (e.inserted) flags |= e.events & (EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL);
  if (e.base.isActive(e)) flags |= e.res;
  if (e.timerPending) flags |= EV_TIMEOUT;
  const want =
    args.int(fn, "events", events) & (EV_TIMEOUT | EV_READ | EV_WRITE | EV_CLOSED | EV_SIGNAL);
  if (tv !== null && tv !== undefined && flags & want & EV_TIMEOUT) {
    const out = check.timevalOut(fn, tv);
    usToTimeval(e.deadline - monotonicUs() + wallUs(), out);
  }
  return flags & want;
}

export function event_initialized(ev: Event | object): number {
  return ev instanceof Event && !ev.freed ? 1 : 0;
}

export function event_priority_set(ev: Event, pri: number): number {
  const e = check.event("event_priority_set", ev);
  const p = args.int("event_priority_set", "pri", pri);
  if (e.base.isActive(e) || p < 0 || p >= e.base.npriorities) return -1;
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

export function event_get_base(ev: Event): EventBase {
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

export function event_get_assignment(
  ev: Event,
  base_out: Box<EventBase>,
  fd_out: Box<number>,
  events_out: Box<number>,
  callback_out: Box<EventCb | null>,
  arg_out: Box<any>,
): void {
  const fn = "event_get_assignment";
  const e = check.event(fn, ev);
  const set = <T>(name: string, b: unknown, v: T) => {
    const bx = check.box<T>(fn, b, name);
    if (bx) bx.value = v;
  };
  set("base_out", base_out, e.base);
  set("fd_out", fd_out, e.fd);
  set("events_out", events_out, e.events);
  set("callback_out", callback_out, e.cb);
  set("arg_out", arg_out, e.arg);
}

export type event_finalize_callback_fn = (ev: Event, arg: any) => void;

export function event_finalize(flags: number, ev: Event, cb: event_finalize_callback_fn): number {
  const fn = "event_finalize";
  args.int(fn, "flags", flags);
  const e = check.event(fn, ev);
  const f = args.optFn<event_finalize_callback_fn>(fn, "cb", cb);
  if (!f) throw args.typeError(fn, "cb", "is NULL");
  e.base.finalize(e, f);
  return 0;
}

export function event_free_finalize(
  flags: number,
  ev: Event,
  cb: event_finalize_callback_fn,
): number {
  const fn = "event_free_finalize";
  args.int(fn, "flags", flags);
  const e = check.event(fn, ev);
  const f = args.optFn<event_finalize_callback_fn>(fn, "cb", cb);
  if (!f) throw args.typeError(fn, "cb", "is NULL");
  e.base.finalize(e, (x, a) => {
    f(x, a);
    x.freed = true;
  });
  return 0;
}

/** A no-op: debug mode's checks (misused events) always run here as TypeErrors. */
export function event_enable_debug_mode(): void {}

export function event_debug_unassign(ev: Event | object): void {
  if (ev instanceof Event && !ev.freed) ev.base.del(ev);
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
  for (const [n, f] of [
    ["malloc_fn", malloc_fn],
    ["realloc_fn", realloc_fn],
    ["free_fn", free_fn],
  ] as const)
    args.optFn("event_set_mem_functions", n, f);
}

/** Nothing global to release. */
export function libevent_global_shutdown(): void {}

export function event_base_once(
  base: EventBase,
  fd: number,
  events: number,
  cb: EventCb,
  arg: any,
  tv: Timeval | null,
): number {
  const fn = "event_base_once";
  const b = check.base(fn, base);
  const f = check.fd(fn, fd);
  const what = args.int(fn, "events", events);
  const c = args.optFn<EventCb>(fn, "callback", cb);
  const us = check.timeval(fn, tv);
  if (what & (EV_SIGNAL | EV_PERSIST)) return -1;
  const ev = new Event(b, f, what, c, arg);
  if ((what & (EV_TIMEOUT | EV_READ | EV_WRITE | EV_CLOSED)) === EV_TIMEOUT || what === 0) {
    if (us === null || us === 0) {
      b.activate(ev, EV_TIMEOUT);
      return 0;
    }
  }
  return b.add(ev, us);
}

// ---- function-like macros ----

export const evtimer_new = (base: EventBase, cb: EventCb | null, arg: any) =>
  event_new(base, -1, 0, cb, arg);
export const evtimer_assign = (ev: object, base: EventBase, cb: EventCb | null, arg: any) =>
  event_assign(ev, base, -1, 0, cb, arg);
export const evtimer_add = (ev: Event, tv: Timeval | null) => event_add(ev, tv);
export const evtimer_del = (ev: Event) => event_del(ev);
export const evtimer_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, EV_TIMEOUT, tv);
export const evtimer_initialized = (ev: Event | object) => event_initialized(ev);

export const evsignal_new = (base: EventBase, signum: number, cb: EventCb | null, arg: any) =>
  event_new(base, signum, EV_SIGNAL | EV_PERSIST, cb, arg);
export const evsignal_assign = (
  ev: object,
  base: EventBase,
  signum: number,
  cb: EventCb | null,
  arg: any,
) => event_assign(ev, base, signum, EV_SIGNAL | EV_PERSIST, cb, arg);
export const evsignal_add = (ev: Event, tv: Timeval | null) => event_add(ev, tv);
export const evsignal_del = (ev: Event) => event_del(ev);
export const evsignal_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, EV_SIGNAL, tv);
export const evsignal_initialized = (ev: Event | object) => event_initialized(ev);

export const evuser_new = (base: EventBase, cb: EventCb | null, arg: any) =>
  event_new(base, -1, 0, cb, arg);
export const evuser_del = (ev: Event) => event_del(ev);
export const evuser_pending = (ev: Event, tv: Timeval | null) => event_pending(ev, 0, tv);
export const evuser_initialized = (ev: Event | object) => event_initialized(ev);
export const evuser_trigger = (ev: Event) => event_active(ev, 0, 0);

export { EVENT_MAX_PRIORITIES };
