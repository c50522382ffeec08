// event2/event_compat.h: the pre-2.0 calls on the "current base" set by
// event_init(). As in libevent, calls that tolerate a NULL base (event_once,
// event_loopexit, event_loopbreak: -1; event_set: an event with no base until
// event_base_set) work without one; the others throw, where C would crash.
import * as args from "../src/args.js";
import { getCurrentBase, setCurrentBase } from "../src/core/current_base.js";
import type { Event, EventCb } from "../src/core/event.js";
import type { EventBase } from "../src/core/event_base.js";
import type { Timeval } from "../src/core/time.js";
import { EV_PERSIST, EV_SIGNAL, EV_TIMEOUT } from "../src/core/flags.js";
import * as ev2 from "../src/event2/event.js";

function current(fn: string): EventBase {
  const b = getCurrentBase();
  if (!b) throw args.typeError(fn, "(current base)", "does not exist: call event_init() first");
  return b;
}

/** Makes a new base the current one and returns it. */
export function event_init(): EventBase {
  const b = ev2.event_base_new();
  if (!b) throw new Error("event_init: Unable to construct event_base");
  setCurrentBase(b);
  return b;
}

export const event_dispatch = (): Promise<number> =>
  ev2.event_base_dispatch(current("event_dispatch"));
export const event_loop = (flags: number): Promise<number> =>
  ev2.event_base_loop(current("event_loop"), flags);
export const event_loopexit = (tv: Timeval | null): number =>
  ev2.event_base_loopexit(getCurrentBase(), tv);
export const event_loopbreak = (): number => ev2.event_base_loopbreak(getCurrentBase());
export const event_get_method = (): string =>
  ev2.event_base_get_method(current("event_get_method"));
export const event_priority_init = (n: number): number =>
  ev2.event_base_priority_init(current("event_priority_init"), n);

export function event_once(
  fd: number,
  events: number,
  cb: EventCb,
  arg: any,
  tv: Timeval | null,
): number {
  return ev2.event_base_once(getCurrentBase(), fd, events, cb, arg, tv);
}

/** event_assign on the current base (none yet: the event waits for event_base_set). */
export function event_set(
  ev: object,
  fd: number,
  events: number,
  cb: EventCb | null,
  arg: any,
): void {
  if (ev2.event_assign(ev, getCurrentBase(), fd, events, cb, arg) !== 0)
    throw args.rangeError(
      "event_set",
      "events",
      "combines EV_SIGNAL with EV_READ, EV_WRITE or EV_CLOSED",
    );
}

export const evtimer_set = (ev: object, cb: EventCb | null, arg: any) =>
  event_set(ev, -1, 0, cb, arg);
export const evsignal_set = (ev: object, sig: number, cb: EventCb | null, arg: any) =>
  event_set(ev, sig, EV_SIGNAL | EV_PERSIST, cb, arg);

export const timeout_set = evtimer_set;
export const timeout_add = (ev: Event, tv: Timeval | null) => ev2.event_add(ev, tv);
export const timeout_del = (ev: Event) => ev2.event_del(ev);
export const timeout_pending = (ev: Event, tv: Timeval | null) =>
  ev2.event_pending(ev, EV_TIMEOUT, tv);
export const timeout_initialized = (ev: Event | object) => ev2.event_initialized(ev);

export const signal_set = evsignal_set;
export const signal_add = (ev: Event, tv: Timeval | null) => ev2.event_add(ev, tv);
export const signal_del = (ev: Event) => ev2.event_del(ev);
export const signal_pending = (ev: Event, tv: Timeval | null) =>
  ev2.event_pending(ev, EV_SIGNAL, tv);
export const signal_initialized = (ev: Event | object) => ev2.event_initialized(ev);

export const EVENT_FD = (ev: Event) => ev2.event_get_fd(ev);
export const EVENT_SIGNAL = (ev: Event) => ev2.event_get_signal(ev);
