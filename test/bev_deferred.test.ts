/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// The generic callback machinery: the port of test/c/bev_deferred.c and
// conformance tests for deferred runs, triggers, references, locks and free.
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import {
  EV_READ,
  EV_TIMEOUT,
  EV_WRITE,
  EVLOOP_NONBLOCK,
  EVLOOP_ONCE,
} from "../src/event2/event.js";
import { evbuffer_get_length } from "../src/event2/buffer.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_TIMEOUT,
  BEV_OPT_DEFER_CALLBACKS,
  BEV_OPT_THREADSAFE,
  BEV_OPT_UNLOCK_CALLBACKS,
  BEV_TRIG_DEFER_CALLBACKS,
  BEV_TRIG_IGNORE_WATERMARKS,
  bufferevent_decref,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_get_priority,
  bufferevent_getfd,
  bufferevent_incref,
  bufferevent_lock,
  bufferevent_pair_new,
  bufferevent_priority_set,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_trigger,
  bufferevent_trigger_event,
  bufferevent_unlock,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { ECONNRESET, errno, set_errno } from "../src/libc/errno.js";
import { setLogCallback } from "../src/core/log.js";
import { Trace, cTrace, expectSameTrace } from "./bev_harness.test.js";

const EVUTIL_SOCKET_ERROR = () => errno;
const EVUTIL_SET_SOCKET_ERROR = (e: number) => set_errno(e);

/** The line-by-line port of test/c/bev_deferred.c. */
async function bev_deferred_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;

  function readcb(bev: BufferEvent, ctx: any) {
    printf("%s readcb inlen=%zu\n", ctx, evbuffer_get_length(bufferevent_get_input(bev)));
  }

  function writecb(bev: BufferEvent, ctx: any) {
    printf("%s writecb outlen=%zu\n", ctx, evbuffer_get_length(bufferevent_get_output(bev)));
  }

  function eventcb(_bev: BufferEvent, what: number, ctx: any) {
    printf("%s eventcb what=0x%x errno=%d\n", ctx, what, EVUTIL_SOCKET_ERROR());
  }

  function clearing_readcb(bev: BufferEvent, ctx: any) {
    printf("%s readcb clears the writecb\n", ctx);
    bufferevent_setcb(bev, readcb, null, eventcb, ctx);
  }

  function freeing_readcb(bev: BufferEvent, ctx: any) {
    printf("%s readcb frees\n", ctx);
    bufferevent_free(bev);
  }

  function timer_cb(_fd: number, _what: number, ctx: any) {
    printf("timer %s\n", ctx);
  }

  async function loop(label: string) {
    printf("loop %s\n", label);
    await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
  }

  let a: BufferEvent, b: BufferEvent, c: BufferEvent;
  let r: number;

  base = ev.event_base_new()!;
  a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
  bufferevent_setcb(a, readcb, writecb, eventcb, "A");
  printf(
    "A fd=%d enabled=%d priority=%d\n",
    bufferevent_getfd(a),
    bufferevent_get_enabled(a),
    bufferevent_get_priority(a),
  );

  /* one deferred run: CONNECTED first, then read, write, the other bits */
  bufferevent_trigger_event(a, BEV_EVENT_EOF, 0);
  bufferevent_trigger(a, EV_WRITE, 0);
  bufferevent_trigger(a, EV_READ, 0);
  EVUTIL_SET_SOCKET_ERROR(ECONNRESET);
  bufferevent_trigger_event(a, BEV_EVENT_CONNECTED | BEV_EVENT_READING, 0);
  EVUTIL_SET_SOCKET_ERROR(0);
  printf("nothing ran yet\n");
  await loop("1");

  /* bits OR together; a callback cleared while pending is skipped */
  bufferevent_trigger_event(a, 0x1234, 0);
  bufferevent_trigger_event(a, 0x0001, 0);
  bufferevent_trigger(a, EV_WRITE, 0);
  bufferevent_setcb(a, clearing_readcb, writecb, eventcb, "A");
  bufferevent_trigger(a, EV_READ, 0);
  await loop("2");
  bufferevent_setcb(a, readcb, writecb, eventcb, "A");
  printf("the skipped writecb is still pending\n");
  bufferevent_trigger(a, EV_READ, 0);
  await loop("3");

  /* watermarks: low above the input length -> no readcb unless ignored */
  bufferevent_setwatermark(a, EV_READ, 1, 0);
  bufferevent_setwatermark(a, EV_WRITE, 0, 0);
  bufferevent_trigger(a, EV_READ, 0);
  await loop("4");
  bufferevent_trigger(a, EV_READ, BEV_TRIG_IGNORE_WATERMARKS);
  await loop("5");

  /* without DEFER a trigger runs the callback at once; with the option it waits */
  b = bufferevent_socket_new(base, -1, 0)!;
  bufferevent_setcb(b, readcb, writecb, eventcb, "B");
  bufferevent_trigger(b, EV_READ | EV_WRITE, 0);
  printf("after B trigger\n");
  bufferevent_trigger(b, EV_READ, BEV_TRIG_DEFER_CALLBACKS);
  bufferevent_trigger_event(b, BEV_EVENT_ERROR, 0);
  printf("after B deferred trigger\n");
  await loop("6");

  /* priorities of deferred runs and timers */
  ev.event_base_free(base);
  base = ev.event_base_new()!;
  printf("priority_init=%d\n", ev.event_base_priority_init(base, 3));
  a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
  b = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
  c = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
  bufferevent_setcb(a, readcb, writecb, eventcb, "A");
  bufferevent_setcb(b, readcb, writecb, eventcb, "B");
  bufferevent_setcb(c, readcb, writecb, eventcb, "C");
  printf("default priority=%d\n", bufferevent_get_priority(a));
  const p1 = bufferevent_priority_set(a, 2);
  const p2 = bufferevent_priority_set(b, 0);
  const p3 = bufferevent_priority_set(c, 3);
  const p4 = bufferevent_priority_set(c, -1);
  printf("set A 2=%d set B 0=%d set C 3=%d set C -1=%d\n", p1, p2, p3, p4);
  printf(
    "priorities A=%d B=%d C=%d\n",
    bufferevent_get_priority(a),
    bufferevent_get_priority(b),
    bufferevent_get_priority(c),
  );
  const t = ev.evtimer_new(base, timer_cb, "prio1")!;
  ev.event_priority_set(t, 1);
  ev.event_active(t, EV_TIMEOUT, 1);
  bufferevent_trigger(a, EV_READ, 0);
  bufferevent_trigger(c, EV_READ, 0);
  bufferevent_trigger(b, EV_READ, 0);
  await loop("7");
  await loop("8");
  await loop("9");
  ev.event_free(t);

  /* free: no callback after it, even already-queued deferred ones */
  bufferevent_trigger(a, EV_READ | EV_WRITE, 0);
  bufferevent_trigger_event(a, BEV_EVENT_EOF, 0);
  bufferevent_free(a);
  printf("freed A with pending callbacks\n");
  await loop("10");

  /* free from inside its own callback */
  bufferevent_setcb(b, freeing_readcb, writecb, eventcb, "B");
  bufferevent_trigger(b, EV_READ | EV_WRITE, 0);
  await loop("11");

  /* references */
  bufferevent_incref(c);
  r = bufferevent_decref(c);
  printf("incref, decref=%d\n", r);
  bufferevent_lock(c);
  bufferevent_lock(c);
  bufferevent_unlock(c);
  bufferevent_unlock(c);
  printf("lock twice, unlock twice\n");
  bufferevent_incref(c);
  bufferevent_free(c);
  r = bufferevent_decref(c);
  printf("incref, free, decref=%d\n", r);

  /* creation failures */
  printf("unlock without defer=%p\n", bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS));
  printf("threadsafe without threads=%p\n", bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE));
  {
    const p: BufferEvent[] = [];
    printf("pair threadsafe=%d\n", bufferevent_pair_new(base, BEV_OPT_THREADSAFE, p));
    printf("pair unlock=%d\n", bufferevent_pair_new(base, BEV_OPT_UNLOCK_CALLBACKS, p));
    bufferevent_free(p[0]);
    bufferevent_free(p[1]);
  }
  a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS)!;
  bufferevent_setcb(a, readcb, writecb, eventcb, "U");
  bufferevent_trigger(a, EV_READ, 0);
  bufferevent_trigger_event(a, BEV_EVENT_TIMEOUT, 0);
  await loop("12");
  bufferevent_free(a);
  printf("dispatch=%d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
  return 0;
}

describe("bufferevent callbacks, references and free", () => {
  const warnings: string[] = [];
  before(() => setLogCallback((_sev, msg) => warnings.push(msg)));
  after(() => setLogCallback(null));

  it("prints the same trace as libevent (test/c/bev_deferred.c)", async () => {
    const t = new Trace();
    await bev_deferred_main(t.printf);
    expectSameTrace(t.out, cTrace("bev_deferred"));
    expect(warnings).to.include("UNLOCK_CALLBACKS requires DEFER_CALLBACKS");
  });
});
