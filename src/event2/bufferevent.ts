// event2/bufferevent.h: the flat C face of the bufferevents (generic calls,
// socket, pair and filter kinds; rate limits live in bufferevent_ratelim.ts). Thin:
// checks arguments and calls src/core/bufferevent*.ts.
//
// C mapping: `struct bufferevent *` is a BufferEvent; `struct bufferevent
// *pair[2]` a JS array filled in place; `size_t *lowmark` a `{ value }` box
// or null; callback pointers to fill in bufferevent_getcb are boxes too.
import { Socket } from "node:net";
import * as args from "../args.js";
import { EV_SIZE_MAX, EV_SSIZE_MAX } from "../args.js";
import { BufferEvent, type DataCb, type EventCb } from "../core/bufferevent.js";
import { FilterBufferEvent, type FilterCb } from "../core/bufferevent_filter.js";
import { PairBufferEvent } from "../core/bufferevent_pair.js";
import { SocketBufferEvent } from "../core/bufferevent_sock.js";
import { DnsBase } from "../core/dns_base.js";
import { Evbuffer } from "../core/evbuffer.js";
import type { Event } from "../core/event.js";
import type { EventBase } from "../core/event_base.js";
import { EV_READ, EV_WRITE } from "../core/flags.js";
import { familyOf, type SockaddrObj } from "../core/evutil_sockaddr.js";
import * as checks from "./checks.js";
import { boxBytes, fillBox, isIntBox, type IntBox } from "../int_box.js";

export {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_TIMEOUT,
  BEV_EVENT_WRITING,
  BEV_FINISHED,
  BEV_FLUSH,
  BEV_NORMAL,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  BEV_OPT_THREADSAFE,
  BEV_OPT_UNLOCK_CALLBACKS,
  BEV_TRIG_DEFER_CALLBACKS,
  BEV_TRIG_IGNORE_WATERMARKS,
} from "../core/bufferevent.js";
export type { BufferEvent, FilterBufferEvent, PairBufferEvent, SocketBufferEvent };
export type bufferevent_data_cb = DataCb;
export type bufferevent_event_cb = EventCb;
export type bufferevent_filter_cb = FilterCb;

export { BEV_ERROR, BEV_NEED_MORE, BEV_OK } from "../core/bufferevent_filter.js";
/** EV_RATE_LIMIT_MAX = EV_SSIZE_MAX */
export const EV_RATE_LIMIT_MAX = EV_SSIZE_MAX;

// ---- event2/bufferevent_struct.h ----

// The fields C reads straight from struct bufferevent besides input and
// output (libevent's own tests check `event_pending(&bev->ev_write, ...)`).
declare module "../core/bufferevent.js" {
  interface BufferEvent {
    readonly ev_base: EventBase;
    readonly ev_read: Event;
    readonly ev_write: Event;
  }
}
const field = (get: (b: BufferEvent) => unknown): PropertyDescriptor => ({
  get(this: BufferEvent) {
    return get(this);
  },
});
Object.defineProperties(BufferEvent.prototype, {
  ev_base: field((b) => b.base),
  ev_read: field((b) => b.readEv),
  ev_write: field((b) => b.writeEv),
});

// ---- argument checks ----

function bev(fn: string, v: unknown, arg = "bufev"): BufferEvent {
  return args.obj(fn, arg, v, BufferEvent, "struct bufferevent");
}

/** decref/unlock may follow bufferevent_free while references remain (lock, free, unlock). */
function bevReferenced(fn: string, v: unknown, arg = "bufev"): BufferEvent {
  if (v instanceof BufferEvent && !v.finalized) return v;
  if (v instanceof BufferEvent)
    throw args.typeError(fn, arg, "is a struct bufferevent that was already released");
  return bev(fn, v, arg);
}

/** size_t; -1 converts to SIZE_MAX as in C. */
function sizeT(fn: string, arg: string, v: unknown): number {
  return v === -1 ? EV_SIZE_MAX : args.size(fn, arg, v);
}

function evbuf(fn: string, v: unknown, arg = "buf"): Evbuffer {
  return args.obj(fn, arg, v, Evbuffer, "struct evbuffer");
}

/** `const struct sockaddr *`: a sockaddr object naming its family, or null. */
function sockaddr(fn: string, v: unknown, arg: string): SockaddrObj | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw args.typeError(fn, arg, `must be a sockaddr object or null, got ${args.describe(v)}`);
  if (familyOf(v) < 0)
    throw args.typeError(
      fn,
      arg,
      "names no address family (sin_family, sin6_family or sun_family)",
    );
  return v as SockaddrObj;
}

function boxOf<T>(fn: string, v: unknown, arg: string): { value: T } | null {
  return checks.box<T>(fn, v, arg);
}

// ---- creation ----

/** bufferevent_socket_new: fd is a descriptor, -1 (none yet) or a net.Socket. NULL base = the current base. */
export function bufferevent_socket_new(
  base: EventBase | null,
  fd: number | Socket,
  options: number,
): SocketBufferEvent | null {
  const fn = "bufferevent_socket_new";
  const b = checks.baseOrCurrent(fn, base);
  const o = args.int(fn, "options", options);
  if (typeof fd === "number") return SocketBufferEvent.create(b, checks.fd(fn, fd), o);
  if (!(fd instanceof Socket))
    throw args.typeError(
      fn,
      "fd",
      `must be a descriptor or a net.Socket, got ${args.describe(fd)}`,
    );
  return SocketBufferEvent.create(b, fd, o);
}

/** bufferevent_pair_new: fills pair[0] and pair[1]; 0 or -1. */
export function bufferevent_pair_new(
  base: EventBase | null,
  options: number,
  pair: unknown[],
): number {
  const fn = "bufferevent_pair_new";
  const b = checks.baseOrCurrent(fn, base);
  const o = args.int(fn, "options", options);
  if (!Array.isArray(pair))
    throw args.typeError(fn, "pair", `must be an array to fill, got ${args.describe(pair)}`);
  const ends = PairBufferEvent.create(b, o);
  if (!ends) return -1;
  pair[0] = ends[0];
  pair[1] = ends[1];
  return 0;
}

export function bufferevent_pair_get_partner(bev_: BufferEvent): BufferEvent | null {
  const b = bev("bufferevent_pair_get_partner", bev_, "bev");
  return b instanceof PairBufferEvent ? b.partner : null;
}

/** A NULL underlying gives NULL, as in libevent; a NULL filter passes bytes through. */
export function bufferevent_filter_new(
  underlying: BufferEvent | null,
  input_filter: bufferevent_filter_cb | null,
  output_filter: bufferevent_filter_cb | null,
  options: number,
  free_context: ((ctx: any) => void) | null,
  ctx?: any,
): FilterBufferEvent | null {
  const fn = "bufferevent_filter_new";
  const opts = args.int(fn, "options", options);
  const inF = args.optFn<FilterCb>(fn, "input_filter", input_filter);
  const outF = args.optFn<FilterCb>(fn, "output_filter", output_filter);
  const free = args.optFn<(ctx: any) => void>(fn, "free_context", free_context);
  if (underlying === null || underlying === undefined) return null;
  const u = bev(fn, underlying, "underlying");
  return FilterBufferEvent.create(u, inF, outF, opts, free, ctx ?? null);
}

// ---- socket connect ----

export function bufferevent_socket_connect(
  bev_: BufferEvent,
  sa: SockaddrObj | null,
  socklen?: number,
): number {
  const fn = "bufferevent_socket_connect";
  const b = bev(fn, bev_, "bev");
  const addr = sockaddr(fn, sa, "sa");
  const len = socklen === undefined ? undefined : args.int(fn, "socklen", socklen);
  return b instanceof SocketBufferEvent ? b.connect(addr, len) : -1;
}

export function bufferevent_socket_connect_hostname(
  bev_: BufferEvent,
  evdns_base: DnsBase | null,
  family: number,
  hostname: string,
  port: number,
): number {
  const fn = "bufferevent_socket_connect_hostname";
  const b = bev(fn, bev_, "bev");
  const dns =
    evdns_base === null || evdns_base === undefined
      ? null
      : args.obj(fn, "evdns_base", evdns_base, DnsBase, "struct evdns_base");
  if (typeof hostname !== "string")
    throw args.typeError(fn, "hostname", `must be a string, got ${args.describe(hostname)}`);
  const fam = args.int(fn, "family", family);
  const p = args.int(fn, "port", port);
  return b instanceof SocketBufferEvent ? b.connectHostname(dns, fam, hostname, p) : -1;
}

export function bufferevent_socket_get_dns_error(bev_: BufferEvent): number {
  const b = bev("bufferevent_socket_get_dns_error", bev_, "bev");
  return b instanceof SocketBufferEvent ? b.dnsError : 0;
}

// ---- callbacks ----

export function bufferevent_setcb(
  bufev: BufferEvent,
  readcb: bufferevent_data_cb | null,
  writecb: bufferevent_data_cb | null,
  eventcb: bufferevent_event_cb | null,
  cbarg?: any,
): void {
  const fn = "bufferevent_setcb";
  bev(fn, bufev).setCallbacks(
    args.optFn<DataCb>(fn, "readcb", readcb),
    args.optFn<DataCb>(fn, "writecb", writecb),
    args.optFn<EventCb>(fn, "eventcb", eventcb),
    cbarg ?? null,
  );
}

/** Each out-parameter is a `{ value }` box or null. */
export function bufferevent_getcb(
  bufev: BufferEvent,
  readcb_ptr: { value: bufferevent_data_cb | null } | null,
  writecb_ptr: { value: bufferevent_data_cb | null } | null,
  eventcb_ptr: { value: bufferevent_event_cb | null } | null,
  cbarg_ptr: { value: any } | null,
): void {
  const fn = "bufferevent_getcb";
  const b = bev(fn, bufev);
  const r = boxOf<DataCb | null>(fn, readcb_ptr, "readcb_ptr");
  const w = boxOf<DataCb | null>(fn, writecb_ptr, "writecb_ptr");
  const e = boxOf<EventCb | null>(fn, eventcb_ptr, "eventcb_ptr");
  const a = boxOf<any>(fn, cbarg_ptr, "cbarg_ptr");
  if (r) r.value = b.readcb;
  if (w) w.value = b.writecb;
  if (e) e.value = b.eventcb;
  if (a) a.value = b.cbarg;
}

// ---- descriptors, base, priority ----

export function bufferevent_setfd(bufev: BufferEvent, fd: number): number {
  const b = bev("bufferevent_setfd", bufev);
  return b.setFd(checks.fd("bufferevent_setfd", fd));
}

export function bufferevent_getfd(bufev: BufferEvent): number {
  return bev("bufferevent_getfd", bufev).getFd();
}

export function bufferevent_get_underlying(bufev: BufferEvent): BufferEvent | null {
  return bev("bufferevent_get_underlying", bufev).getUnderlying();
}

/**
 * Also after bufferevent_free: libevent keeps the struct until its finalizer
 * runs from the loop, so C reads the base of a bufferevent it has just freed
 * (libevent's test-fdleak breaks the loop with it).
 */
export function bufferevent_get_base(bev_: BufferEvent): EventBase {
  if (bev_ instanceof BufferEvent && bev_.freed) return bev_.base;
  return bev("bufferevent_get_base", bev_, "bev").base;
}

export function bufferevent_base_set(base: EventBase, bufev: BufferEvent): number {
  const fn = "bufferevent_base_set";
  const b = bev(fn, bufev);
  return b.setBase(checks.base(fn, base));
}

export function bufferevent_priority_set(bufev: BufferEvent, priority: number): number {
  const fn = "bufferevent_priority_set";
  return bev(fn, bufev).setPriority(args.int(fn, "priority", priority));
}

export function bufferevent_get_priority(bufev: BufferEvent): number {
  return bev("bufferevent_get_priority", bufev).readEv.priority;
}

// ---- references, locks, free ----

export function bufferevent_free(bufev: BufferEvent): void {
  bev("bufferevent_free", bufev).free();
}

export function bufferevent_incref(bufev: BufferEvent): void {
  bev("bufferevent_incref", bufev).incref();
}

/** 1 if this call released the bufferevent, else 0. */
export function bufferevent_decref(bufev: BufferEvent): number {
  return bevReferenced("bufferevent_decref", bufev).decref();
}

/**
 * Takes a reference and a recursive lock level. JavaScript runs every callback
 * on one thread, so nothing is excluded; the reference still moves, so a
 * bufferevent_free between lock and unlock takes effect at the unlock.
 */
export function bufferevent_lock(bufev: BufferEvent): void {
  bev("bufferevent_lock", bufev).lock();
}

export function bufferevent_unlock(bufev: BufferEvent): void {
  const b = bevReferenced("bufferevent_unlock", bufev);
  if (!b.unlock())
    throw args.typeError("bufferevent_unlock", "bufev", "is not locked (unbalanced unlock)");
}

// ---- data ----

/** data: bytes or a string (UTF-8); size defaults to all of it. 0 or -1. */
export function bufferevent_write(
  bufev: BufferEvent,
  data: Uint8Array | string | IntBox,
  size?: number,
): number {
  const fn = "bufferevent_write";
  const b = bev(fn, bufev);
  if (isIntBox(data)) return b.write(boxBytes(fn, "data", data, sizeT(fn, "size", size)));
  const bytes = args.dataBytes(fn, "data", data, size);
  if (size === undefined) return b.write(bytes);
  const n = sizeT(fn, "size", size);
  if (n > bytes.length) {
    // A length C would accept but cannot satisfy fails as evbuffer_add fails.
    if (n > 2 ** 32) return -1;
    const z = args.nulTerminated(data, bytes, n);
    if (z) return b.write(z);
    throw args.rangeError(fn, "size", `is ${n}, larger than the ${bytes.length} bytes of 'data'`);
  }
  return b.write(bytes, n);
}

export function bufferevent_write_buffer(bufev: BufferEvent, buf: Evbuffer): number {
  const fn = "bufferevent_write_buffer";
  return bev(fn, bufev).writeBuffer(evbuf(fn, buf));
}

/** Fills data with up to size bytes of the input; returns the count. */
export function bufferevent_read(
  bufev: BufferEvent,
  data: Uint8Array | IntBox,
  size?: number,
): number {
  const fn = "bufferevent_read";
  const b = bev(fn, bufev);
  if (isIntBox(data)) {
    const n = sizeT(fn, "size", size);
    return fillBox(fn, "data", data, n, (m) => b.read(m, n));
  }
  if (!(data instanceof Uint8Array))
    throw args.typeError(fn, "data", `must be a Uint8Array to fill, got ${args.describe(data)}`);
  const n = size === undefined ? data.length : sizeT(fn, "size", size);
  if (n > data.length)
    throw args.rangeError(fn, "size", `is ${n}, larger than the ${data.length} bytes of 'data'`);
  return b.read(data, n);
}

export function bufferevent_read_buffer(bufev: BufferEvent, buf: Evbuffer): number {
  const fn = "bufferevent_read_buffer";
  return bev(fn, bufev).readBuffer(evbuf(fn, buf));
}

export function bufferevent_get_input(bufev: BufferEvent): Evbuffer {
  return bev("bufferevent_get_input", bufev).input;
}

export function bufferevent_get_output(bufev: BufferEvent): Evbuffer {
  return bev("bufferevent_get_output", bufev).output;
}

// ---- directions, watermarks, timeouts ----

export function bufferevent_enable(bufev: BufferEvent, event: number): number {
  const fn = "bufferevent_enable";
  return bev(fn, bufev).enable(args.int(fn, "event", event) & (EV_READ | EV_WRITE));
}

export function bufferevent_disable(bufev: BufferEvent, event: number): number {
  const fn = "bufferevent_disable";
  return bev(fn, bufev).disable(args.int(fn, "event", event) & (EV_READ | EV_WRITE));
}

export function bufferevent_get_enabled(bufev: BufferEvent): number {
  return bev("bufferevent_get_enabled", bufev).enabled;
}

export function bufferevent_set_timeouts(
  bufev: BufferEvent,
  timeout_read: { tv_sec: number; tv_usec: number } | null,
  timeout_write: { tv_sec: number; tv_usec: number } | null,
): number {
  const fn = "bufferevent_set_timeouts";
  const b = bev(fn, bufev);
  const r = checks.timeval(fn, timeout_read, "timeout_read") ?? 0;
  const w = checks.timeval(fn, timeout_write, "timeout_write") ?? 0;
  // A common timeout of the base (event_base_init_common_timeout) counts by its duration, as event_add reads it.
  const common = b.base.commonTimeouts;
  const rq = timeout_read ? common.queueOf(timeout_read) : null;
  const wq = timeout_write ? common.queueOf(timeout_write) : null;
  return b.setTimeouts(
    rq ? common.durationUs(timeout_read!)! : r,
    wq ? common.durationUs(timeout_write!)! : w,
    rq,
    wq,
  );
}

export function bufferevent_setwatermark(
  bufev: BufferEvent,
  events: number,
  lowmark: number,
  highmark: number,
): void {
  const fn = "bufferevent_setwatermark";
  const b = bev(fn, bufev);
  b.setWatermark(
    args.int(fn, "events", events),
    sizeT(fn, "lowmark", lowmark),
    sizeT(fn, "highmark", highmark),
  );
}

/** 0 when events is exactly EV_READ or EV_WRITE, else -1. */
export function bufferevent_getwatermark(
  bufev: BufferEvent,
  events: number,
  lowmark: { value: number } | null,
  highmark: { value: number } | null,
): number {
  const fn = "bufferevent_getwatermark";
  const b = bev(fn, bufev);
  const ev = args.int(fn, "events", events);
  const lo = boxOf<number>(fn, lowmark, "lowmark");
  const hi = boxOf<number>(fn, highmark, "highmark");
  if (ev !== EV_READ && ev !== EV_WRITE) return -1;
  if (lo) lo.value = ev === EV_READ ? b.wmReadLow : b.wmWriteLow;
  if (hi) hi.value = ev === EV_READ ? b.wmReadHigh : b.wmWriteHigh;
  return 0;
}

export function bufferevent_flush(bufev: BufferEvent, iotype: number, mode: number): number {
  const fn = "bufferevent_flush";
  const b = bev(fn, bufev);
  return b.flush(args.int(fn, "iotype", iotype), args.int(fn, "mode", mode));
}

export function bufferevent_trigger(bufev: BufferEvent, iotype: number, options: number): void {
  const fn = "bufferevent_trigger";
  bev(fn, bufev).trigger(args.int(fn, "iotype", iotype), args.int(fn, "options", options));
}

export function bufferevent_trigger_event(bufev: BufferEvent, what: number, options: number): void {
  const fn = "bufferevent_trigger_event";
  bev(fn, bufev).triggerEvent(args.int(fn, "what", what), args.int(fn, "options", options));
}

// ---- per-operation sizes ----

export function bufferevent_set_max_single_read(bev_: BufferEvent, size: number): number {
  const fn = "bufferevent_set_max_single_read";
  const b = bev(fn, bev_, "bev");
  b.maxSingleRead = BufferEvent.clampMaxSingle(sizeT(fn, "size", size));
  return 0;
}

export function bufferevent_set_max_single_write(bev_: BufferEvent, size: number): number {
  const fn = "bufferevent_set_max_single_write";
  const b = bev(fn, bev_, "bev");
  b.maxSingleWrite = BufferEvent.clampMaxSingle(sizeT(fn, "size", size));
  return 0;
}

export function bufferevent_get_max_single_read(bev_: BufferEvent): number {
  return bev("bufferevent_get_max_single_read", bev_, "bev").maxSingleRead;
}

export function bufferevent_get_max_single_write(bev_: BufferEvent): number {
  return bev("bufferevent_get_max_single_write", bev_, "bev").maxSingleWrite;
}

export function bufferevent_get_max_to_read(bev_: BufferEvent): number {
  return bev("bufferevent_get_max_to_read", bev_, "bev").maxToRead();
}

export function bufferevent_get_max_to_write(bev_: BufferEvent): number {
  return bev("bufferevent_get_max_to_write", bev_, "bev").maxToWrite();
}
export * from "./bufferevent_ratelim.js";
