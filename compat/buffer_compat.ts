// event2/buffer_compat.h: the pre-2.0 evbuffer names, over the same engine.
import * as args from "../src/args.js";
import { Evbuffer } from "../src/core/evbuffer.js";
import {
  EVBUFFER_EOL_ANY,
  evbuffer_get_length,
  evbuffer_pullup,
  evbuffer_readln,
} from "../src/event2/buffer.js";

/** The old-style callback: (buffer, old_len, new_len, arg). */
export type evbuffer_cb = (buffer: Evbuffer, old_len: number, new_len: number, arg: any) => void;

function ebuf(fn: string, v: unknown): Evbuffer {
  return args.obj(fn, "buffer", v, Evbuffer, "struct evbuffer");
}

/** EVBUFFER_LENGTH(x): evbuffer_get_length(x) */
export function EVBUFFER_LENGTH(x: Evbuffer): number {
  return evbuffer_get_length(x);
}

/** EVBUFFER_DATA(x): evbuffer_pullup(x, -1) */
export function EVBUFFER_DATA(x: Evbuffer): Buffer | null {
  return evbuffer_pullup(x, -1);
}

/** evbuffer_readline: evbuffer_readln(buffer, NULL, EVBUFFER_EOL_ANY). */
export function evbuffer_readline(buffer: Evbuffer): Buffer | null {
  return evbuffer_readln(buffer, null, EVBUFFER_EOL_ANY);
}

/**
 * evbuffer_find: the first occurrence of `what`, made contiguous; returns a
 * view of the buffer from the match to the end of its first chunk, or null.
 */
export function evbuffer_find(
  buffer: Evbuffer,
  what: Uint8Array | string,
  len?: number,
): Buffer | null {
  const fn = "evbuffer_find";
  const b = ebuf(fn, buffer);
  let w = what instanceof Uint8Array ? what : args.bytes(fn, "what", what);
  if (len !== undefined) {
    const n = args.size(fn, "len", len);
    if (n > w.length)
      throw args.rangeError(fn, "len", `is ${n}, larger than the ${w.length} bytes of 'what'`);
    w = w.subarray(0, n);
  }
  const p = b.search(w, null, null);
  if (p.pos < 0) return null;
  if (b.pullup(p.pos + w.length) === null) return null;
  const c = b.first!;
  return c.view(p.pos, c.off);
}

/**
 * evbuffer_setcb: removes every callback of the buffer (also those of
 * evbuffer_add_cb), then installs `cb` as an old-style callback unless it is null.
 */
export function evbuffer_setcb(buffer: Evbuffer, cb: evbuffer_cb | null, cbarg?: unknown): number {
  const fn = "evbuffer_setcb";
  const b = ebuf(fn, buffer);
  return b.setObsoleteCb(args.optFn<evbuffer_cb>(fn, "cb", cb), cbarg);
}
