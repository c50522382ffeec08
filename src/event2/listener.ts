// event2/listener.h. Thin: checks arguments, calls src/core/listener.ts.
// LEV_OPT_THREADSAFE is accepted (callbacks run on one thread anyway);
// LEV_OPT_CLOSE_ON_EXEC is recorded on the descriptors (Node opens every
// descriptor close-on-exec); LEV_OPT_DEFERRED_ACCEPT sets TCP_DEFER_ACCEPT
// as far as the descriptor layer can (evutil_make_tcp_listen_socket_deferred).
import type { Socket } from "node:net";
import * as args from "../args.js";
import * as check from "./checks.js";
import type { EventBase } from "../core/event_base.js";
import { fdOf } from "../core/descriptor_table.js";
import { Listener, type AcceptCb, type ErrorCb } from "../core/listener.js";

export {
  LEV_OPT_BIND_IPV6ONLY,
  LEV_OPT_CLOSE_ON_EXEC,
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_DEFERRED_ACCEPT,
  LEV_OPT_DISABLED,
  LEV_OPT_LEAVE_SOCKETS_BLOCKING,
  LEV_OPT_REUSEABLE,
  LEV_OPT_REUSEABLE_PORT,
  LEV_OPT_THREADSAFE,
} from "../core/listener.js";
export type {
  Listener as evconnlistener,
  AcceptCb as evconnlistener_cb,
  ErrorCb as evconnlistener_errorcb,
};

const lev = (fn: string, v: unknown) => args.obj(fn, "lev", v, Listener, "struct evconnlistener");

function flagsArg(fn: string, v: unknown): number {
  const f = args.int(fn, "flags", v);
  if (f < 0)
    throw args.rangeError(fn, "flags", `must be a combination of LEV_OPT_* flags, got ${f}`);
  return f;
}

/**
 * A listener on `fd`, a socket that is bound (and listening when backlog is
 * 0). The callback `(listener, fd, sockaddr, socklen, arg)` runs from the
 * loop once per accepted connection. null if listen fails. A NULL base is
 * the current base (event_init's), as event_assign takes it.
 */
export function evconnlistener_new(
  base: EventBase | null,
  cb: AcceptCb | null,
  ptr: any,
  flags: number,
  backlog: number,
  fd: number | Socket,
): Listener | null {
  const fn = "evconnlistener_new";
  const b = check.baseOrCurrent(fn, base);
  const callback = args.optFn<AcceptCb>(fn, "cb", cb);
  const f = flagsArg(fn, flags);
  const n = args.int(fn, "backlog", backlog);
  const sock = typeof fd === "number" ? check.fd(fn, fd) : fdOf(fd);
  return Listener.create(b, callback, ptr, f, n, sock);
}

/**
 * A new listening socket bound to `sa` (a sockaddr object; `socklen` as in
 * C), with SO_KEEPALIVE and the LEV_OPT_* socket options. null if any step
 * fails (backlog 0, a NULL address, an address in use, ...).
 */
export function evconnlistener_new_bind(
  base: EventBase | null,
  cb: AcceptCb | null,
  ptr: any,
  flags: number,
  backlog: number,
  sa: object | null,
  socklen: number,
): Listener | null {
  const fn = "evconnlistener_new_bind";
  const b = check.baseOrCurrent(fn, base);
  const callback = args.optFn<AcceptCb>(fn, "cb", cb);
  const f = flagsArg(fn, flags);
  const n = args.int(fn, "backlog", backlog);
  if (sa !== null && sa !== undefined && typeof sa !== "object")
    throw args.typeError(fn, "sa", `must be a sockaddr object or null, got ${args.describe(sa)}`);
  const len = args.int(fn, "socklen", socklen);
  return Listener.bind(b, callback, ptr, f, n, sa ?? null, len);
}

/** Stops listening; with LEV_OPT_CLOSE_ON_FREE closes the descriptor. Allowed inside its callbacks. */
export function evconnlistener_free(lev_: Listener): void {
  lev("evconnlistener_free", lev_).free();
}

/** Resumes accepting: 0, or -1 if the descriptor cannot be watched. */
export function evconnlistener_enable(lev_: Listener): number {
  return lev("evconnlistener_enable", lev_).enable();
}

/** Stops accepting; connections wait in the backlog. Returns 0. */
export function evconnlistener_disable(lev_: Listener): number {
  return lev("evconnlistener_disable", lev_).disable();
}

export function evconnlistener_get_fd(lev_: Listener): number {
  return lev("evconnlistener_get_fd", lev_).fd;
}

export function evconnlistener_get_base(lev_: Listener): EventBase {
  return lev("evconnlistener_get_base", lev_).base;
}

/** A listener that was enabled without a callback starts accepting once it has one. */
export function evconnlistener_set_cb(lev_: Listener, cb: AcceptCb | null, arg: any): void {
  const fn = "evconnlistener_set_cb";
  lev(fn, lev_).setCb(args.optFn<AcceptCb>(fn, "cb", cb), arg);
}

/** `errorcb(listener, arg)` runs when accept fails for a reason other than EAGAIN; errno tells which. */
export function evconnlistener_set_error_cb(lev_: Listener, errorcb: ErrorCb | null): void {
  const fn = "evconnlistener_set_error_cb";
  lev(fn, lev_).errorcb = args.optFn<ErrorCb>(fn, "errorcb", errorcb);
}
