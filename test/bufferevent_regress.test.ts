// The observable parts of libevent's test/regress_bufferevent.c (group
// bufferevent/, reference §4.1): the same scenarios and assertions, over
// pairs, filters and real loopback sockets. Rate limits (test-ratelim) and
// IOCP are elsewhere or not applicable.
import { expect } from "chai";
import net from "node:net";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_WRITE, EVLOOP_ONCE } from "../src/event2/event.js";
import {
  evbuffer_get_length,
  evbuffer_new,
  evbuffer_pullup,
  evbuffer_free,
} from "../src/event2/buffer.js";
import {
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
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_filter_new,
  bufferevent_flush,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_get_underlying,
  bufferevent_getcb,
  bufferevent_getfd,
  bufferevent_getwatermark,
  bufferevent_pair_get_partner,
  bufferevent_pair_new,
  bufferevent_read,
  bufferevent_read_buffer,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_connect,
  bufferevent_socket_new,
  bufferevent_trigger,
  bufferevent_trigger_event,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { withThreads } from "./bev_harness.test.js";
import { AF_UNIX, SOCK_STREAM, evutil_socketpair } from "../src/event2/util.js";
import { htons } from "../src/core/sockaddr.js";

type Kind = "socket" | "pair";

/** Two connected bufferevents: a pair, or socket bufferevents over a socketpair. */
function twoEnds(base: ev.EventBase, kind: Kind, options = 0): [BufferEvent, BufferEvent] {
  const p: BufferEvent[] = [];
  if (kind === "pair") expect(bufferevent_pair_new(base, options, p)).to.equal(0);
  else {
    const fds: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds)).to.equal(0);
    p[0] = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE | options)!;
    p[1] = bufferevent_socket_new(base, fds[1], BEV_OPT_CLOSE_ON_FREE | options)!;
  }
  return [p[0], p[1]];
}

const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe("libevent's bufferevent regress tests (observable parts)", function () {
  this.timeout(20000);
  let base: ev.EventBase;
  beforeEach(() => (base = ev.event_base_new()!));
  afterEach(() => ev.event_base_free(base));

  for (const kind of ["socket", "pair"] as Kind[]) {
    for (const flush of [null, BEV_NORMAL, BEV_FLUSH, BEV_FINISHED]) {
      if (kind === "pair" && flush === BEV_FINISHED) continue; // its own test below
      it(`bufferevent${kind === "pair" ? "_pair" : ""}${flush === null ? "" : ["_flush_normal", "_flush", "_flush_finished"][flush]}: 8333 bytes arrive whole; accessors`, async () => {
        const [bev1, bev2] = twoEnds(base, kind);
        let testOk = 0;
        let errors = 0;
        const readcb = (bev: BufferEvent) => {
          if (evbuffer_get_length(bufferevent_get_input(bev)) === 8333) {
            const evbuf = evbuffer_new();
            bufferevent_read_buffer(bev, evbuf);
            expect(evbuffer_get_length(evbuf)).to.equal(8333);
            expect(
              Buffer.from(evbuffer_pullup(evbuf, -1)!).equals(Buffer.from(pattern(8333))),
            ).to.equal(true);
            evbuffer_free(evbuf);
            bufferevent_disable(bev, EV_READ);
            testOk++;
          }
        };
        const writecb = (bev: BufferEvent) => {
          if (evbuffer_get_length(bufferevent_get_output(bev)) === 0) testOk++;
        };
        const errorcb = () => errors++;
        bufferevent_setcb(bev1, readcb, writecb, errorcb, null);
        bufferevent_setcb(bev2, readcb, writecb, errorcb, null);
        bufferevent_disable(bev1, EV_READ);
        bufferevent_enable(bev2, EV_READ);
        expect(bufferevent_get_enabled(bev1)).to.equal(EV_WRITE);
        expect(bufferevent_get_enabled(bev2)).to.equal(EV_READ | EV_WRITE);
        expect(bufferevent_get_underlying(bev1)).to.equal(null);
        if (kind === "pair") {
          expect(bufferevent_getfd(bev1)).to.equal(-1);
          expect(bufferevent_pair_get_partner(bev1)).to.equal(bev2);
          expect(bufferevent_pair_get_partner(bev2)).to.equal(bev1);
        } else {
          expect(bufferevent_getfd(bev1)).to.be.at.least(0);
          expect(bufferevent_pair_get_partner(bev1)).to.equal(null);
        }
        const r = { value: null as any },
          w = { value: null as any },
          e = { value: null as any },
          a = { value: 1 as any };
        bufferevent_getcb(bev1, r, w, e, a);
        expect([r.value, w.value, e.value, a.value]).to.deep.equal([
          readcb,
          writecb,
          errorcb,
          null,
        ]);
        bufferevent_write(bev1, pattern(8333), 8333);
        if (flush !== null) expect(bufferevent_flush(bev1, EV_WRITE, flush)).to.be.at.least(0);
        const deadline = Date.now() + 5000;
        while (testOk < 2 && Date.now() < deadline) await ev.event_base_loop(base, EVLOOP_ONCE);
        expect(errors).to.equal(0);
        expect(testOk).to.equal(2);
        bufferevent_free(bev1);
        if (kind === "pair") expect(bufferevent_pair_get_partner(bev2)).to.equal(null);
        bufferevent_free(bev2);
      });
    }
  }

  it("bufferevent_pair_flush_finished: readcb, then eventcb (EOF|READING), then writecb", async () => {
    const [bev1, bev2] = twoEnds(base, "pair");
    const order: string[] = [];
    bufferevent_setcb(bev1, null, () => order.push("bev1 writecb"), null, null);
    bufferevent_setcb(
      bev2,
      () => order.push("bev2 readcb"),
      null,
      (_b, what) => order.push(`bev2 eventcb 0x${what.toString(16)}`),
      null,
    );
    bufferevent_disable(bev1, EV_READ);
    bufferevent_enable(bev2, EV_READ);
    bufferevent_write(bev1, pattern(8333), 8333);
    bufferevent_flush(bev1, EV_WRITE, BEV_FINISHED);
    await ev.event_base_dispatch(base);
    expect(order).to.deep.equal(["bev2 readcb", "bev2 eventcb 0x11", "bev1 writecb"]);
    bufferevent_free(bev1);
    bufferevent_free(bev2);
  });

  it("bufferevent_pair_flush: FINISHED with nothing queued gives exactly READING|EOF in one pass", async () => {
    const [bev1, bev2] = twoEnds(base, "pair");
    let got = 0;
    bufferevent_setcb(bev2, null, null, (_b, what) => (got = what), null);
    bufferevent_enable(bev1, EV_WRITE);
    bufferevent_enable(bev2, EV_READ);
    bufferevent_flush(bev1, EV_WRITE, BEV_FINISHED);
    await ev.event_base_loop(base, EVLOOP_ONCE);
    expect(got).to.equal(BEV_EVENT_READING | BEV_EVENT_EOF);
    bufferevent_free(bev1);
    bufferevent_free(bev2);
  });

  it("bufferevent_pair_release_lock: THREADSAFE ends free in either order", () =>
    withThreads(() => {
      for (const first of [0, 1]) {
        const [a, b] = twoEnds(base, "pair", BEV_OPT_THREADSAFE);
        bufferevent_free(first ? b : a);
        bufferevent_free(first ? a : b);
      }
    }));

  for (const kind of ["socket", "pair"] as Kind[]) {
    it(`bufferevent${kind === "pair" ? "_pair" : ""}_watermarks: every readcb sees 10..20, every writecb at most 100`, async () => {
      const [bev1, bev2] = twoEnds(base, kind);
      let got = 0;
      let badRead = 0;
      let badWrite = 0;
      let errors = 0;
      const lo = { value: -1 },
        hi = { value: -1 };
      bufferevent_getwatermark(bev1, EV_READ, lo, null);
      bufferevent_getwatermark(bev2, EV_WRITE, null, hi);
      expect([lo.value, hi.value]).to.deep.equal([0, 0]);
      bufferevent_setwatermark(bev2, EV_READ, 10, 20);
      bufferevent_getwatermark(bev2, EV_READ, lo, hi);
      expect([lo.value, hi.value]).to.deep.equal([10, 20]);
      bufferevent_setwatermark(bev1, EV_WRITE, 100, 2000);
      bufferevent_getwatermark(bev1, EV_WRITE, lo, hi);
      expect([lo.value, hi.value]).to.deep.equal([100, 2000]);
      expect(bufferevent_getwatermark(bev1, EV_READ | EV_WRITE, lo, hi)).to.not.equal(0);
      bufferevent_setcb(
        bev2,
        (bev) => {
          const n = evbuffer_get_length(bufferevent_get_input(bev));
          if (n < 10 || n > 20) badRead++;
          got += bufferevent_read(bev, new Uint8Array(n), n);
        },
        null,
        () => errors++,
        null,
      );
      bufferevent_setcb(
        bev1,
        null,
        (bev) => {
          if (evbuffer_get_length(bufferevent_get_output(bev)) > 100) badWrite++;
        },
        () => errors++,
        null,
      );
      bufferevent_disable(bev1, EV_READ);
      bufferevent_enable(bev2, EV_READ);
      const data = pattern(65000);
      bufferevent_write(bev1, data, data.length);
      const deadline = Date.now() + 10000;
      // The last bytes (fewer than the low watermark) stay in bev2's input.
      while (
        got + evbuffer_get_length(bufferevent_get_input(bev2)) < 65000 &&
        Date.now() < deadline
      )
        await ev.event_base_loop(base, EVLOOP_ONCE);
      for (let i = 0; i < 10; i++) await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK);
      expect(got + evbuffer_get_length(bufferevent_get_input(bev2))).to.equal(65000);
      expect(got).to.be.at.least(64990);
      expect([badRead, badWrite, errors]).to.deep.equal([0, 0, 0]);
      expect(bev2.writeEv.inserted).to.equal(false);
      bufferevent_free(bev1);
      bufferevent_free(bev2);
    });
  }

  for (const [name, options] of [
    ["", 0],
    ["_defer", BEV_OPT_DEFER_CALLBACKS],
    ["_lock", BEV_OPT_THREADSAFE],
    ["_lock_defer", BEV_OPT_THREADSAFE | BEV_OPT_DEFER_CALLBACKS],
    ["_unlocked_cbs", BEV_OPT_THREADSAFE | BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS],
  ] as const) {
    it(`bufferevent_connect${name}: two clients get CONNECTED, then the string and EOF`, () =>
      withThreads(async () => {
        const TEST = Buffer.from(
          "Now is the time for all good events to signal for the good of their protocol\0",
        );
        const srv = net.createServer((s) => s.end(TEST));
        await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
        const port = (srv.address() as net.AddressInfo).port;
        const sin = { sin_family: 2, sin_port: htons(port), sin_addr: { s_addr: 0x0100007f } };
        let strings = 0;
        let reads = 0;
        let errors = 0;
        let eofs = 0;
        try {
          for (let i = 0; i < 2; i++) {
            const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | options)!;
            bufferevent_setcb(
              bev,
              () => reads++,
              null,
              (b, what) => {
                if (what & BEV_EVENT_CONNECTED) bufferevent_enable(b, EV_READ);
                else if (what & BEV_EVENT_EOF) {
                  const buf = new Uint8Array(TEST.length + 10);
                  const n = bufferevent_read(b, buf, buf.length);
                  if (n === TEST.length && Buffer.from(buf.subarray(0, n)).equals(TEST)) strings++;
                  bufferevent_free(b);
                  if (++eofs === 2) ev.event_base_loopexit(base, null);
                } else if (what & BEV_EVENT_ERROR) {
                  errors++;
                  bufferevent_free(b);
                }
              },
              null,
            );
            bufferevent_enable(bev, EV_READ);
            expect(bufferevent_socket_connect(bev, sin, 16)).to.equal(0);
          }
          await ev.event_base_dispatch(base);
        } finally {
          srv.close();
        }
        expect(errors).to.equal(0);
        expect(strings).to.equal(2);
        expect(reads).to.be.at.least(2);
      }));
  }

  for (const defer of [false, true]) {
    it(`bufferevent_connect_fail_eventcb${defer ? "_defer" : ""}: one eventcb, no read or write callback`, async () => {
      const srv = net.createServer();
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
      const port = (srv.address() as net.AddressInfo).port;
      await new Promise((r) => srv.close(r));
      const bev = bufferevent_socket_new(
        base,
        -1,
        BEV_OPT_CLOSE_ON_FREE | (defer ? BEV_OPT_DEFER_CALLBACKS : 0),
      )!;
      const count = { read: 0, write: 0, event: 0 };
      bufferevent_setcb(
        bev,
        () => count.read++,
        () => count.write++,
        (_b, what) => {
          count.event++;
          expect(what).to.equal(BEV_EVENT_ERROR);
          ev.event_base_loopexit(base, null);
        },
        null,
      );
      bufferevent_enable(bev, EV_READ | EV_WRITE);
      const sin = { sin_family: 2, sin_port: htons(port), sin_addr: { s_addr: 0x0100007f } };
      expect(bufferevent_socket_connect(bev, sin, 16)).to.equal(0);
      expect(count).to.deep.equal({ read: 0, write: 0, event: 0 });
      await ev.event_base_dispatch(base);
      expect(count).to.deep.equal({ read: 0, write: 0, event: 1 });
      bufferevent_free(bev);
    });
  }

  for (const [name, bevOpts, trigOpts] of [
    ["", 0, 0],
    ["_defer", BEV_OPT_DEFER_CALLBACKS, 0],
    ["_postpone", 0, BEV_TRIG_DEFER_CALLBACKS],
    ["_defer_postpone", BEV_OPT_DEFER_CALLBACKS, BEV_TRIG_DEFER_CALLBACKS],
  ] as const) {
    it(`bufferevent_trigger${name}: watermarks honoured unless ignored; trigger_event passes ~0 through`, async () => {
      const srv = net.createServer((s) => s.end("test string"));
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
      const port = (srv.address() as net.AddressInfo).port;
      const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | bevOpts)!;
      const deferred = (bevOpts | trigOpts) & BEV_OPT_DEFER_CALLBACKS;
      let nReads = 0;
      let gotEvent: number | null = null;
      const triggerReadcb = (b: BufferEvent) => {
        nReads++;
        bufferevent_trigger_event(b, ~0, trigOpts);
      };
      bufferevent_setcb(
        bev,
        (b) => {
          nReads++;
          bufferevent_setcb(b, triggerReadcb, null, (_x, what) => {
            gotEvent = what;
            ev.event_base_loopexit(base, null);
          });
          const len = evbuffer_get_length(bufferevent_get_input(b));
          bufferevent_setwatermark(b, EV_READ, len + 1, 0);
          bufferevent_trigger(b, EV_READ, trigOpts);
          expect(nReads).to.equal(1);
          bufferevent_trigger(b, EV_READ, trigOpts | BEV_TRIG_IGNORE_WATERMARKS);
          expect(nReads).to.equal(deferred ? 1 : 2);
        },
        null,
        null,
        null,
      );
      bufferevent_enable(bev, EV_READ);
      const sin = { sin_family: 2, sin_port: htons(port), sin_addr: { s_addr: 0x0100007f } };
      bufferevent_socket_connect(bev, sin, 16);
      await ev.event_base_dispatch(base);
      srv.close();
      expect(nReads).to.equal(2);
      expect(gotEvent).to.equal(~0);
      bufferevent_free(bev);
    });
  }

  // test_bufferevent_timeouts, with its four setups. The socket ends have no
  // descriptor (the test's base has no socketpair), so their timeouts are pure
  // timers; a pair's idle end never times out, a filter's does.
  for (const setup of ["", "pair", "filter", "filter pair"]) {
    it(`bufferevent_timeout${setup ? "_" + setup.replace(" ", "_") : ""}: which ends time out, in which direction`, async () => {
      const usePair = setup.includes("pair");
      const useFilter = setup.includes("filter");
      let bev1: BufferEvent;
      let bev2: BufferEvent;
      if (usePair) [bev1, bev2] = twoEnds(base, "pair");
      else {
        bev1 = bufferevent_socket_new(base, -1, 0)!;
        bev2 = bufferevent_socket_new(base, -1, 0)!;
      }
      if (useFilter) {
        bev1 = bufferevent_filter_new(bev1, null, null, BEV_OPT_CLOSE_ON_FREE, null, null)!;
        bev2 = bufferevent_filter_new(bev2, null, null, BEV_OPT_CLOSE_ON_FREE, null, null)!;
      }
      const results = [0, 1].map(() => ({ total: 0, reads: 0, writes: 0 }));
      const eventcb = (_b: BufferEvent, what: number, res: (typeof results)[0]) => {
        res.total++;
        const r = BEV_EVENT_READING | BEV_EVENT_TIMEOUT;
        const w = BEV_EVENT_WRITING | BEV_EVENT_TIMEOUT;
        if ((what & r) === r) res.reads++;
        if ((what & w) === w) res.writes++;
      };
      bufferevent_disable(bev2, EV_READ);
      bufferevent_setcb(
        bev1,
        () => {},
        () => {},
        eventcb,
        results[0],
      );
      bufferevent_set_timeouts(
        bev1,
        { tv_sec: 0, tv_usec: 150000 },
        { tv_sec: 0, tv_usec: 100000 },
      );
      bufferevent_write(bev1, "ABCDEFG", 7);
      bufferevent_enable(bev1, EV_READ | EV_WRITE);
      bufferevent_setcb(
        bev2,
        () => {},
        () => {},
        eventcb,
        results[1],
      );
      bufferevent_set_timeouts(
        bev2,
        { tv_sec: 0, tv_usec: 100000 },
        { tv_sec: 0, tv_usec: 200000 },
      );
      bufferevent_enable(bev2, EV_WRITE);
      ev.event_base_loopexit(base, { tv_sec: 0, tv_usec: 350000 });
      await ev.event_base_dispatch(base);
      const idleTimesOut = usePair && !useFilter ? 0 : 1;
      expect(results[0]).to.deep.equal({ total: 2, reads: 1, writes: 1 });
      expect(results[1]).to.deep.equal({ total: idleTimesOut, reads: 0, writes: idleTimesOut });
      bufferevent_free(bev1);
      bufferevent_free(bev2);
    });
  }

  it("bufferevent_socket_filter_inactive: a filter over a socket without a descriptor frees cleanly", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    const bevf = bufferevent_filter_new(bev, null, null, 0, null, null)!;
    expect(bevf).to.not.equal(null);
    bufferevent_free(bevf);
    bufferevent_free(bev);
  });
});
