// Argument checks shared by the event2 faces: the library's own object types.
import * as args from "../args.js";
import { EventBase } from "../core/event_base.js";
import { Event } from "../core/event.js";
import { getCurrentBase } from "../core/current_base.js";
import type { Timeval } from "../core/time.js";

export function base(fn: string, v: unknown, arg = "base"): EventBase {
  return args.obj(fn, arg, v, EventBase, "struct event_base");
}

/** A base that may be NULL, meaning the current base of event_init(). */
export function baseOrCurrent(fn: string, v: unknown, arg = "base"): EventBase {
  if (v === null || v === undefined) {
    const cur = getCurrentBase();
    if (!cur)
      throw args.typeError(fn, arg, "is NULL and no current base exists (call event_init first)");
    return cur;
  }
  return base(fn, v, arg);
}

export function event(fn: string, v: unknown, arg = "ev"): Event {
  return args.obj(fn, arg, v, Event, "struct event");
}

/** `const struct timeval *`: null, or {tv_sec, tv_usec}; returns µs or null. */
export function timeval(fn: string, v: unknown, arg = "tv"): number | null {
  if (v === null || v === undefined) return null;
  const tv = v as Timeval;
  if (typeof v !== "object" || typeof tv.tv_sec !== "number" || typeof tv.tv_usec !== "number")
    throw args.typeError(
      fn,
      arg,
      `must be a struct timeval {tv_sec, tv_usec} or null, got ${args.describe(v)}`,
    );
  if (!Number.isFinite(tv.tv_sec) || !Number.isFinite(tv.tv_usec))
    throw args.rangeError(fn, arg, `has a non-finite field`);
  return Math.max(0, Math.round(tv.tv_sec * 1_000_000 + tv.tv_usec));
}

/** A `struct timeval *` to fill. */
export function timevalOut(fn: string, v: unknown, arg = "tv"): Timeval {
  if (v === null || typeof v !== "object")
    throw args.typeError(fn, arg, `must be an object to fill, got ${args.describe(v)}`);
  return v as Timeval;
}

/** A `{ value }` out-parameter box, or null where C allows NULL. */
export function box<T>(fn: string, v: unknown, arg: string): { value: T } | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw args.typeError(fn, arg, `must be a { value } box or null, got ${args.describe(v)}`);
  return v as { value: T };
}

/** An `evutil_socket_t`: a descriptor number (-1 for none). */
export function fd(fn: string, v: unknown, arg = "fd"): number {
  return args.int(fn, arg, v);
}
