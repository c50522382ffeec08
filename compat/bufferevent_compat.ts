// event2/bufferevent_compat.h: the pre-2.0 bufferevent names, over the same
// engine. bufferevent_new builds on the "current base" of event_init().
import type { Socket } from "node:net";
import * as args from "../src/args.js";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_TIMEOUT,
  BEV_EVENT_WRITING,
  type BufferEvent,
} from "../src/core/bufferevent.js";
import type { Evbuffer } from "../src/core/evbuffer.js";
import {
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  bufferevent_socket_new,
  type bufferevent_data_cb,
  type bufferevent_event_cb,
} from "../src/event2/bufferevent.js";

export const EVBUFFER_READ = BEV_EVENT_READING;
export const EVBUFFER_WRITE = BEV_EVENT_WRITING;
export const EVBUFFER_EOF = BEV_EVENT_EOF;
export const EVBUFFER_ERROR = BEV_EVENT_ERROR;
export const EVBUFFER_TIMEOUT = BEV_EVENT_TIMEOUT;

export type evbuffercb = bufferevent_data_cb;
export type everrorcb = bufferevent_event_cb;

/** EVBUFFER_INPUT(x): bufferevent_get_input(x) */
export function EVBUFFER_INPUT(x: BufferEvent): Evbuffer {
  return bufferevent_get_input(x);
}

/** EVBUFFER_OUTPUT(x): bufferevent_get_output(x) */
export function EVBUFFER_OUTPUT(x: BufferEvent): Evbuffer {
  return bufferevent_get_output(x);
}

/** bufferevent_new: a socket bufferevent on the current base with the callbacks set; null on failure. */
export function bufferevent_new(
  fd: number | Socket,
  readcb: evbuffercb | null,
  writecb: evbuffercb | null,
  errorcb: everrorcb | null,
  cbarg?: any,
): BufferEvent | null {
  // The callbacks are checked first, so a bad one leaves nothing behind.
  const fn = "bufferevent_new";
  args.optFn(fn, "readcb", readcb);
  args.optFn(fn, "writecb", writecb);
  args.optFn(fn, "errorcb", errorcb);
  const bev = bufferevent_socket_new(null, fd, 0);
  if (bev) bufferevent_setcb(bev, readcb, writecb, errorcb, cbarg);
  return bev;
}

/** bufferevent_settimeout: whole seconds; 0 means no timeout. */
export function bufferevent_settimeout(
  bufev: BufferEvent,
  timeout_read: number,
  timeout_write: number,
): void {
  const fn = "bufferevent_settimeout";
  const r = args.int(fn, "timeout_read", timeout_read);
  const w = args.int(fn, "timeout_write", timeout_write);
  bufferevent_set_timeouts(
    bufev,
    r ? { tv_sec: r, tv_usec: 0 } : null,
    w ? { tv_sec: w, tv_usec: 0 } : null,
  );
}
