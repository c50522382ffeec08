// Conformance tests of the generic bufferevent calls (libevent's
// bufferevent.c rules), on pairs and on socket bufferevents without a
// descriptor. The trace tests (bev_*.test.ts) compare the same rules with
// libevent's own output; these pin down what a trace cannot show.
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import {
  EV_READ,
  EV_TIMEOUT,
  EV_WRITE,
  EVLOOP_NONBLOCK,
  EVLOOP_ONCE,
} from "../src/event2/event.js";
import {
  evbuffer_add,
  evbuffer_drain,
  evbuffer_free,
  evbuffer_get_length,
  evbuffer_new,
  evbuffer_pullup,
} from "../src/event2/buffer.js";
import * as be from "../src/event2/bufferevent.js";
import {
  BEV_FLUSH,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  BEV_OPT_THREADSAFE,
  BEV_OPT_UNLOCK_CALLBACKS,
  bufferevent_base_set,
  bufferevent_decref,
  bufferevent_enable,
  bufferevent_flush,
  bufferevent_free,
  bufferevent_get_base,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_get_priority,
  bufferevent_getcb,
  bufferevent_getfd,
  bufferevent_incref,
  bufferevent_lock,
  bufferevent_pair_get_partner,
  bufferevent_pair_new,
  bufferevent_priority_set,
  bufferevent_read,
  bufferevent_read_buffer,
  bufferevent_setcb,
  bufferevent_set_timeouts,
  bufferevent_setfd,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_unlock,
  bufferevent_write,
  bufferevent_write_buffer,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { AF_UNIX, SOCK_STREAM, evutil_closesocket, evutil_socketpair } from "../src/event2/util.js";
import { withThreads } from "./bev_harness.test.js";
import { EVBUFFER_INPUT, EVBUFFER_OUTPUT, bufferevent_new } from "../compat/bufferevent_compat.js";
import { event_init } from "../compat/event_compat.js";
import { setCurrentBase } from "../src/core/current_base.js";

const once = (base: ev.EventBase) => ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
const nonblock = (base: ev.EventBase) => ev.event_base_loop(base, EVLOOP_NONBLOCK);

function newPair(base: ev.EventBase, options = 0): [BufferEvent, BufferEvent] {
  const p: BufferEvent[] = [];
  expect(bufferevent_pair_new(base, options, p)).to.equal(0);
  return [p[0], p[1]];
}

describe("bufferevent generic calls", () => {
  let base: ev.EventBase;
  beforeEach(() => (base = ev.event_base_new()!));
  afterEach(() => ev.event_base_free(base));

  it("getcb returns exactly what setcb stored, cbarg by identity; any out box may be null", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    const arg = { some: "context" };
    const r = () => {},
      w = () => {},
      e = () => {};
    bufferevent_setcb(bev, r, w, e, arg);
    const boxes = {
      r: { value: null as any },
      w: { value: null as any },
      e: { value: null as any },
      a: { value: null },
    };
    bufferevent_getcb(bev, boxes.r, boxes.w, boxes.e, boxes.a);
    expect(boxes.r.value).to.equal(r);
    expect(boxes.w.value).to.equal(w);
    expect(boxes.e.value).to.equal(e);
    expect(boxes.a.value).to.equal(arg);
    bufferevent_getcb(bev, null, null, null, boxes.a);
    bufferevent_free(bev);
  });

  it("write copies, write_buffer moves all of buf, read and read_buffer take the input", async () => {
    const [a, b] = newPair(base);
    bufferevent_enable(b, EV_READ);
    const data = Buffer.from("hello");
    expect(bufferevent_write(a, data, 5)).to.equal(0);
    data.fill(0); // the bytes were copied
    const buf = evbuffer_new();
    evbuffer_add(buf, " world");
    expect(bufferevent_write_buffer(a, buf)).to.equal(0);
    expect(evbuffer_get_length(buf)).to.equal(0);
    const out = new Uint8Array(3);
    expect(bufferevent_read(b, out, 3)).to.equal(3);
    expect(Buffer.from(out).toString()).to.equal("hel");
    expect(bufferevent_read_buffer(b, buf)).to.equal(0);
    expect(evbuffer_get_length(buf)).to.equal(8);
    expect(bufferevent_read(b, out, 3)).to.equal(0);
    expect(bufferevent_read_buffer(b, buf)).to.equal(0);
    evbuffer_free(buf);
    bufferevent_free(a);
    bufferevent_free(b);
  });

  it("write of a string may count C's terminating NUL (strlen + 1), and no byte more", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    expect(bufferevent_write(bev, "ok", 3)).to.equal(0);
    const out = bufferevent_get_output(bev);
    expect([...evbuffer_pullup(out, -1)!]).to.deep.equal([0x6f, 0x6b, 0]);
    expect(() => bufferevent_write(bev, "ok", 4)).to.throw(RangeError, /argument 'size' is 4/);
    bufferevent_free(bev);
  });

  it("get_input/get_output (and EVBUFFER_INPUT/OUTPUT) are the same objects every time", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    expect(bufferevent_get_input(bev)).to.equal(EVBUFFER_INPUT(bev));
    expect(bufferevent_get_output(bev)).to.equal(EVBUFFER_OUTPUT(bev));
    expect(bufferevent_get_input(bev)).to.not.equal(bufferevent_get_output(bev));
    bufferevent_free(bev);
  });

  it("bufferevent_struct.h fields: ev_base, and ev_read/ev_write answer event_pending as in C", async () => {
    const fds: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds)).to.equal(0);
    const bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;
    expect(bev.ev_base).to.equal(base);
    const pending = () => [
      ev.event_pending(bev.ev_read, EV_READ, null),
      ev.event_pending(bev.ev_write, EV_WRITE, null),
    ];
    expect(pending()).to.deep.equal([0, 0]);
    bufferevent_enable(bev, EV_READ);
    be.bufferevent_write(bev, "hi", 2);
    expect(pending()).to.deep.equal([EV_READ, EV_WRITE]);
    await ev.event_base_loop(base, EVLOOP_ONCE);
    expect(pending()).to.deep.equal([EV_READ, 0]);
    const [a, b] = newPair(base);
    bufferevent_set_timeouts(a, { tv_sec: 5, tv_usec: 0 }, { tv_sec: 5, tv_usec: 0 });
    bufferevent_enable(a, EV_READ);
    expect(ev.event_pending(a.ev_read, EV_READ | EV_TIMEOUT, null)).to.equal(EV_TIMEOUT);
    expect(ev.event_pending(a.ev_write, EV_WRITE | EV_TIMEOUT, null)).to.equal(0);
    bufferevent_free(a);
    bufferevent_free(b);
    bufferevent_free(bev);
    evutil_closesocket(fds[1]);
  });

  it("flush: -1 for a pair end without partner, 0 for a socket", () => {
    const sock = bufferevent_socket_new(base, -1, 0)!;
    expect(bufferevent_flush(sock, EV_WRITE, BEV_FLUSH)).to.equal(0);
    const [a, b] = newPair(base);
    bufferevent_free(b);
    expect(bufferevent_pair_get_partner(a)).to.equal(null);
    expect(bufferevent_flush(a, EV_WRITE, BEV_FLUSH)).to.equal(-1);
    expect(bufferevent_pair_get_partner(sock)).to.equal(null);
    bufferevent_free(a);
    bufferevent_free(sock);
  });

  it("a socket bufferevent without a descriptor: setfd(-1) is 0 and keeps the enabled bits", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    bufferevent_enable(bev, EV_READ);
    expect(bufferevent_setfd(bev, -1)).to.equal(0);
    expect(bufferevent_getfd(bev)).to.equal(-1);
    expect(bufferevent_get_enabled(bev)).to.equal(EV_READ | EV_WRITE);
    bufferevent_free(bev);
  });

  it("base_set moves a socket bufferevent's events to another base; a pair refuses", async () => {
    const other = ev.event_base_new()!;
    const bev = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
    expect(bufferevent_base_set(other, bev)).to.equal(0);
    expect(bufferevent_get_base(bev)).to.equal(other);
    const seen: number[] = [];
    bufferevent_setcb(bev, null, null, (_b, what) => seen.push(what), null);
    be.bufferevent_set_timeouts(bev, { tv_sec: 0, tv_usec: 1000 }, null);
    bufferevent_enable(bev, EV_READ);
    expect(bufferevent_base_set(base, bev)).to.equal(-1); // an event is pending
    expect(await ev.event_base_dispatch(other)).to.equal(1);
    expect(seen).to.deep.equal([0x41]);
    const [a, b] = newPair(base);
    expect(bufferevent_base_set(other, a)).to.equal(-1);
    for (const x of [bev, a, b]) bufferevent_free(x);
    ev.event_base_free(other);
  });

  it("priority_set refuses an active event; deferred runs follow the chosen priority", async () => {
    expect(ev.event_base_priority_init(base, 2)).to.equal(0);
    const order: string[] = [];
    const hi = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
    const lo = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS)!;
    for (const [b, n] of [
      [hi, "hi"],
      [lo, "lo"],
    ] as const)
      bufferevent_setcb(b, () => order.push(n), null, null, null);
    expect(bufferevent_get_priority(lo)).to.equal(1);
    expect(bufferevent_priority_set(hi, 0)).to.equal(0);
    be.bufferevent_trigger(lo, EV_READ, 0);
    be.bufferevent_trigger(hi, EV_READ, 0);
    await once(base);
    expect(order).to.deep.equal(["hi", "lo"]);
    bufferevent_free(hi);
    bufferevent_free(lo);
  });

  it("lock and unlock nest and balance; an unbalanced unlock is refused", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    bufferevent_lock(bev);
    bufferevent_lock(bev);
    bufferevent_unlock(bev);
    bufferevent_unlock(bev);
    expect(() => bufferevent_unlock(bev)).to.throw(
      TypeError,
      /bufferevent_unlock.*bufev.*unbalanced/,
    );
    bufferevent_free(bev);
  });

  it("a free between lock and unlock takes effect at the unlock", () => {
    const [a, b] = newPair(base);
    bufferevent_lock(b);
    bufferevent_free(b);
    expect(bufferevent_pair_get_partner(a)).to.equal(b);
    bufferevent_unlock(b);
    expect(bufferevent_pair_get_partner(a)).to.equal(null);
    expect(b.finalized).to.equal(true);
    bufferevent_free(a);
  });

  it("decref returns 1 only for the last reference; the buffers are released with it", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    const input = bufferevent_get_input(bev);
    bufferevent_incref(bev);
    expect(bufferevent_decref(bev)).to.equal(0);
    bufferevent_incref(bev);
    bufferevent_free(bev);
    expect(input.freed).to.equal(false);
    expect(bufferevent_decref(bev)).to.equal(1);
    expect(input.freed).to.equal(true);
    expect(() => bufferevent_decref(bev)).to.throw(TypeError, /bufferevent_decref/);
  });

  it("free with deferred callbacks queued releases at once and runs none of them", async () => {
    const [a, b] = newPair(base);
    const seen: string[] = [];
    bufferevent_setcb(
      b,
      () => seen.push("read"),
      () => seen.push("write"),
      () => seen.push("event"),
      null,
    );
    bufferevent_enable(b, EV_READ);
    bufferevent_write(a, "x");
    be.bufferevent_trigger_event(b, 0x10, 0);
    bufferevent_free(b);
    expect(bufferevent_pair_get_partner(a)).to.equal(null);
    await nonblock(base);
    expect(seen).to.deep.equal([]);
    bufferevent_free(a);
  });

  it("misuse throws naming the function and the argument", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    expect(() => be.bufferevent_enable(null as any, EV_READ)).to.throw(
      TypeError,
      /bufferevent_enable.*'bufev'.*NULL/,
    );
    expect(() => be.bufferevent_write(bev, 42 as any)).to.throw(
      TypeError,
      /bufferevent_write.*'data'/,
    );
    expect(() => be.bufferevent_write(bev, "abc", 5)).to.throw(
      RangeError,
      /bufferevent_write.*'size'/,
    );
    expect(be.bufferevent_write(bev, "abc", 2 ** 40)).to.equal(-1);
    expect(() => be.bufferevent_read(bev, new Uint8Array(2), 3)).to.throw(
      RangeError,
      /bufferevent_read.*'size'/,
    );
    expect(() => be.bufferevent_setwatermark(bev, EV_READ, -2, 0)).to.throw(RangeError, /lowmark/);
    expect(() => be.bufferevent_setcb(bev, 1 as any, null, null, null)).to.throw(
      TypeError,
      /readcb/,
    );
    expect(() => be.bufferevent_set_timeouts(bev, { tv_sec: "1" } as any, null)).to.throw(
      TypeError,
      /timeout_read/,
    );
    expect(() => be.bufferevent_pair_new(base, 0, null as any)).to.throw(
      TypeError,
      /pair_new.*'pair'/,
    );
    expect(() => be.bufferevent_write_buffer(bev, {} as any)).to.throw(
      TypeError,
      /write_buffer.*'buf'/,
    );
    bufferevent_free(bev);
    expect(() => be.bufferevent_get_enabled(bev)).to.throw(
      TypeError,
      /bufferevent_get_enabled.*already freed/,
    );
    expect(() => be.bufferevent_free(bev)).to.throw(TypeError, /bufferevent_free.*already freed/);
  });

  it("bufferevent_get_base still answers right after bufferevent_free, as libevent's struct lives until its finalizer", async () => {
    // libevent's test-fdleak: an event callback frees its bufferevent, then
    // breaks the loop through bufferevent_get_base of it.
    const fds: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds)).to.equal(0);
    const bev = bufferevent_socket_new(base, fds[1], BEV_OPT_CLOSE_ON_FREE)!;
    let seen: unknown = null;
    be.bufferevent_setcb(
      bev,
      null,
      null,
      (b: BufferEvent, events: number) => {
        bufferevent_free(b);
        seen = events;
        ev.event_base_loopbreak(be.bufferevent_get_base(b));
      },
      null,
    );
    be.bufferevent_enable(bev, EV_READ);
    evutil_closesocket(fds[0]);
    const keep = ev.event_new(base, -1, ev.EV_PERSIST, () => {}, null)!;
    ev.event_add(keep, { tv_sec: 5, tv_usec: 0 });
    expect(await ev.event_base_dispatch(base)).to.equal(0);
    expect(ev.event_base_got_break(base)).to.equal(1);
    expect(seen).to.equal(be.BEV_EVENT_EOF | be.BEV_EVENT_READING);
    expect(be.bufferevent_get_base(bev)).to.equal(base);
    expect(() => be.bufferevent_get_enabled(bev)).to.throw(TypeError, /already freed/);
    ev.event_free(keep);
  });

  it("BEV_OPT_THREADSAFE works once threading is on (evthread_use_pthreads)", async () => {
    expect(bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE)).to.equal(null);
    await withThreads(() => {
      const bev = bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE)!;
      expect(bev).to.not.equal(null);
      const p: BufferEvent[] = [];
      expect(bufferevent_pair_new(base, BEV_OPT_THREADSAFE | BEV_OPT_UNLOCK_CALLBACKS, p)).to.equal(
        0,
      );
      bufferevent_lock(bev);
      bufferevent_unlock(bev);
      // Either end may go first.
      bufferevent_free(p[1]);
      bufferevent_free(p[0]);
      bufferevent_free(bev);
    });
  });

  it("a NULL base means the current base of event_init (bufferevent_new, pair_new)", () => {
    const cur = event_init();
    try {
      const bev = bufferevent_new(-1, null, null, null, null)!;
      expect(bufferevent_get_base(bev)).to.equal(cur);
      const p: BufferEvent[] = [];
      expect(bufferevent_pair_new(null, 0, p)).to.equal(0);
      expect(bufferevent_get_base(p[0])).to.equal(cur);
      for (const x of [bev, p[0], p[1]]) bufferevent_free(x);
    } finally {
      setCurrentBase(null);
      ev.event_base_free(cur);
    }
  });
});

describe("bufferevent read high watermark (libevent #891 fixed)", () => {
  let base: ev.EventBase;
  beforeEach(() => (base = ev.event_base_new()!));
  afterEach(() => ev.event_base_free(base));

  it("a read callback that consumes nothing is not re-run until the input is drained", async () => {
    const [a, b] = newPair(base);
    let calls = 0;
    bufferevent_setcb(b, () => calls++, null, null, null);
    bufferevent_setwatermark(b, EV_READ, 0, 3);
    bufferevent_enable(b, EV_READ);
    bufferevent_write(a, "0123456789");
    for (let i = 0; i < 20; i++) await nonblock(base);
    expect(calls).to.equal(1);
    expect(evbuffer_get_length(bufferevent_get_input(b))).to.equal(3);
    // The application drains from elsewhere (a timer): the callback runs again.
    const t = ev.evtimer_new(base, () => evbuffer_drain(bufferevent_get_input(b), 3), null)!;
    ev.event_active(t, EV_TIMEOUT, 1);
    for (let i = 0; i < 5; i++) await nonblock(base);
    expect(calls).to.equal(2);
    expect(evbuffer_get_length(bufferevent_get_input(b))).to.equal(3);
    ev.event_free(t);
    bufferevent_free(a);
    bufferevent_free(b);
  });

  it("a read callback that consumes something is re-run while the input stays at the mark", async () => {
    const [a, b] = newPair(base);
    const seen: number[] = [];
    bufferevent_setcb(
      b,
      (bev) => {
        seen.push(evbuffer_get_length(bufferevent_get_input(bev)));
        evbuffer_drain(bufferevent_get_input(bev), 1);
      },
      null,
      null,
      null,
    );
    bufferevent_setwatermark(b, EV_READ, 0, 3);
    bufferevent_enable(b, EV_READ);
    bufferevent_write(a, "012345");
    for (let i = 0; i < 20; i++) await nonblock(base);
    // Each drain of 1 pulls 1 more from the partner until it runs dry, as in libevent.
    expect(seen).to.deep.equal([3, 3, 3, 3]);
    expect(evbuffer_get_length(bufferevent_get_input(b))).to.equal(2);
    bufferevent_free(a);
    bufferevent_free(b);
  });
});
