/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// Bufferevent timeouts: the port of test/c/bev_timeout.c (the order of
// events, never their times) and conformance tests of the timeout rules.
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_TIMEOUT, EV_WRITE } from "../src/event2/event.js";
import { evbuffer_drain, evbuffer_get_length } from "../src/event2/buffer.js";
import {
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_pair_new,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { bufferevent_settimeout } from "../compat/bufferevent_compat.js";
import { Trace, cTrace, expectSameTrace } from "./bev_harness.test.js";

type Timeval = { tv_sec: number; tv_usec: number };

/** The line-by-line port of test/c/bev_timeout.c. */
async function bev_timeout_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;

  function readcb(bev: BufferEvent, ctx: any) {
    printf("%s readcb inlen=%zu\n", ctx, evbuffer_get_length(bufferevent_get_input(bev)));
  }

  function writecb(bev: BufferEvent, ctx: any) {
    printf("%s writecb outlen=%zu\n", ctx, evbuffer_get_length(bufferevent_get_output(bev)));
  }

  function eventcb(bev: BufferEvent, what: number, ctx: any) {
    printf("%s eventcb what=0x%x enabled=%d\n", ctx, what, bufferevent_get_enabled(bev));
  }

  function say(_fd: number, _what: number, ctx: any) {
    printf("timer: %s\n", ctx);
  }

  let writer: BufferEvent;
  function write_now(_fd: number, _what: number, _ctx: any) {
    printf("timer: write\n");
    bufferevent_write(writer, "data", 4);
  }

  function ms(n: number): Timeval {
    const tv = { tv_sec: 0, tv_usec: 0 };
    tv.tv_sec = Math.trunc(n / 1000);
    tv.tv_usec = (n % 1000) * 1000;
    return tv;
  }

  async function run(label: string, total_ms: number) {
    const tv = ms(total_ms);
    printf("run %s\n", label);
    ev.event_base_loopexit(base, tv);
    await ev.event_base_dispatch(base);
  }

  function timer_at(
    n: number,
    cb: (fd: number, what: number, arg: any) => void,
    what: string | null,
  ) {
    const tv = ms(n);
    ev.event_base_once(base, -1, EV_TIMEOUT, cb, what, tv);
  }

  function timeouts(bev: BufferEvent, r: number, w: number) {
    const tr = ms(r),
      tw = ms(w);
    bufferevent_set_timeouts(bev, r ? tr : null, w ? tw : null);
  }

  const pair: BufferEvent[] = [];
  const zero = { tv_sec: 0, tv_usec: 0 };

  base = ev.event_base_new()!;

  /* regress bufferevent_timeout, socket variant (fd -1: pure timers) */
  const b1 = bufferevent_socket_new(base, -1, 0)!;
  const b2 = bufferevent_socket_new(base, -1, 0)!;
  bufferevent_setcb(b1, readcb, writecb, eventcb, "b1");
  bufferevent_setcb(b2, readcb, writecb, eventcb, "b2");
  timeouts(b1, 300, 150);
  bufferevent_write(b1, "ABCDEFG", 7);
  bufferevent_enable(b1, EV_READ | EV_WRITE);
  bufferevent_disable(b2, EV_READ);
  timeouts(b2, 150, 450);
  bufferevent_enable(b2, EV_WRITE);
  timer_at(225, say, "225");
  timer_at(375, say, "375");
  await run("socket", 600);
  printf("enabled b1=%d b2=%d\n", bufferevent_get_enabled(b1), bufferevent_get_enabled(b2));
  bufferevent_free(b1);
  bufferevent_free(b2);

  /* the same on a pair: b2's empty output gives it no write timeout */
  bufferevent_pair_new(base, 0, pair);
  bufferevent_setcb(pair[0], readcb, writecb, eventcb, "p0");
  bufferevent_setcb(pair[1], readcb, writecb, eventcb, "p1");
  timeouts(pair[0], 300, 150);
  bufferevent_write(pair[0], "ABCDEFG", 7);
  bufferevent_enable(pair[0], EV_READ | EV_WRITE);
  bufferevent_disable(pair[1], EV_READ);
  timeouts(pair[1], 150, 450);
  bufferevent_enable(pair[1], EV_WRITE);
  timer_at(225, say, "225");
  await run("pair", 600);
  printf(
    "enabled p0=%d p1=%d\n",
    bufferevent_get_enabled(pair[0]),
    bufferevent_get_enabled(pair[1]),
  );

  /* data restarts the read timeout: 300 ms, data at 150 -> timeout at 450 */
  timeouts(pair[0], 0, 0);
  bufferevent_enable(pair[1], EV_READ);
  bufferevent_enable(pair[0], EV_WRITE);
  evbuffer_drain(bufferevent_get_input(pair[1]), 100);
  timeouts(pair[1], 300, 0);
  writer = pair[0];
  timer_at(150, write_now, null);
  timer_at(375, say, "375");
  await run("restart", 600);

  /* NULL or zero clears */
  bufferevent_enable(pair[1], EV_READ);
  timeouts(pair[1], 150, 0);
  bufferevent_set_timeouts(pair[1], zero, null);
  bufferevent_settimeout(pair[0], 0, 0);
  timer_at(225, say, "225");
  await run("cleared", 300);

  /* no read timeout while the high watermark suspends reading */
  evbuffer_drain(bufferevent_get_input(pair[1]), 100);
  bufferevent_setwatermark(pair[1], EV_READ, 0, 4);
  bufferevent_setcb(pair[1], null, writecb, eventcb, "p1");
  bufferevent_write(pair[0], "full", 4);
  timeouts(pair[1], 150, 0);
  timer_at(225, say, "225, draining");
  await run("suspended", 300);
  evbuffer_drain(bufferevent_get_input(pair[1]), 4);
  await run("resumed", 300);

  bufferevent_free(pair[0]);
  bufferevent_free(pair[1]);
  printf("dispatch=%d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
  return 0;
}

describe("bufferevent timeouts", () => {
  it("prints the same trace as libevent (test/c/bev_timeout.c)", async () => {
    const t = new Trace();
    await bev_timeout_main(t.printf);
    expectSameTrace(t.out, cTrace("bev_timeout"));
  });

  it("a pending read timeout keeps dispatch running until it fires", async () => {
    const base = ev.event_base_new()!;
    const bev = bufferevent_socket_new(base, -1, 0)!;
    const seen: number[] = [];
    bufferevent_setcb(bev, null, null, (_b, what) => seen.push(what), null);
    bufferevent_set_timeouts(bev, { tv_sec: 0, tv_usec: 20000 }, null);
    bufferevent_enable(bev, EV_READ);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(seen).to.deep.equal([0x41]);
    bufferevent_free(bev);
    ev.event_base_free(base);
  });

  it("bufferevent_settimeout takes whole seconds and 0 for none", () => {
    const base = ev.event_base_new()!;
    const bev = bufferevent_socket_new(base, -1, 0)!;
    bufferevent_settimeout(bev, 3, 0);
    expect(bev.timeoutRead).to.equal(3_000_000);
    expect(bev.timeoutWrite).to.equal(0);
    bufferevent_free(bev);
    ev.event_base_free(base);
  });
});
