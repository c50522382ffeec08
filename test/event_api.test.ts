// Conformance of event2/event.h, event2/event_compat.h and event2/thread.h:
// every listed name exists with its kind and value, each call does what
// libevent 2.1.12 does (results below were read off the real library; the
// loop_trace differential test covers scheduling in depth), C's NULL
// conventions hold, and misuse that would crash C throws naming the function
// and the argument.
import { expect } from "chai";
import { closeSync, openSync, readFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as compat from "../compat/event_compat.js";
import type { EventBase } from "../src/core/event_base.js";
import * as ev from "../src/event2/event.js";
import * as thread from "../src/event2/thread.js";
import { evutil_socketpair } from "../src/event2/util_sockets.js";
import { AF_UNIX, SOCK_STREAM, close, snprintf } from "../src/libc/index.js";
import { projectRoot } from "./support/cc.js";

const tv = (ms: number) => ({ tv_sec: Math.floor(ms / 1000), tv_usec: (ms % 1000) * 1000 });
const noop = () => {};

/** Collects libevent log messages while `fn` runs. */
function logged(fn: () => void): string[] {
  const msgs: string[] = [];
  ev.event_set_log_callback((sev, msg) => msgs.push(`${sev}:${msg}`));
  try {
    fn();
  } finally {
    ev.event_set_log_callback(null);
  }
  return msgs;
}

function snprintfText(fmt: string, ...a: unknown[]): string {
  const out = new Uint8Array(64);
  const n = snprintf(out, out.length, fmt, ...a);
  return Buffer.from(out.subarray(0, n)).toString();
}

describe("event2/event.h, event_compat.h, thread.h conformance", () => {
  let base: EventBase;
  beforeEach(() => {
    base = ev.event_base_new()!;
  });
  afterEach(() => {
    if (!base.freed && !base.running) ev.event_base_free(base);
  });

  describe("names, kinds and values", () => {
    const modules: Record<string, Record<string, unknown>> = {
      "event.txt": ev,
      "event_compat.txt": compat,
      "thread.txt": thread,
    };
    for (const [file, mod] of Object.entries(modules)) {
      it(`${file}: every name, with its kind and value`, () => {
        const text = readFileSync(join(projectRoot, "test", "fixtures", "api", file), "utf8");
        const wrong: string[] = [];
        for (const line of text.split("\n").filter(Boolean)) {
          const [name, kind, ...rest] = line.split(" ");
          const v = mod[name];
          const value = rest.join(" ");
          if (kind === "fn" || kind === "macro") {
            if (typeof v !== "function") wrong.push(`${name}: not a function`);
          } else if (kind === "const") {
            if (v !== Number(value)) wrong.push(`${name}: ${String(v)} != ${value}`);
          } else if (kind === "string") {
            if (v !== JSON.parse(value)) wrong.push(`${name}: ${String(v)} != ${value}`);
          }
        }
        expect(wrong).to.deep.equal([]);
      });
    }
  });

  describe("bases and configurations", () => {
    it("event_base_new: epoll, features ET|O1|EARLY_CLOSE, one priority", () => {
      expect(ev.event_base_get_method(base)).to.equal("epoll");
      expect(ev.event_base_get_features(base)).to.equal(11);
      expect(ev.event_base_get_npriorities(base)).to.equal(1);
      expect(ev.event_get_supported_methods()).to.deep.equal(["epoll", "poll", "select"]);
    });

    it("event_config_*: avoided methods and required features pick libevent's backends", () => {
      const cfg = ev.event_config_new();
      expect(ev.event_config_avoid_method(cfg, "epoll")).to.equal(0);
      const b = ev.event_base_new_with_config(cfg)!;
      expect([ev.event_base_get_method(b), ev.event_base_get_features(b)]).to.deep.equal([
        "poll",
        12,
      ]);
      ev.event_base_free(b);
      ev.event_config_avoid_method(cfg, "poll");
      ev.event_config_avoid_method(cfg, "select");
      expect(logged(() => expect(ev.event_base_new_with_config(cfg)).to.equal(null))).to.deep.equal(
        ["2:event_base_new_with_config: no event mechanism available"],
      );
      ev.event_config_free(cfg);
      expect(() => ev.event_config_set_flag(cfg, 1)).to.throw(
        TypeError,
        /event_config_set_flag: argument 'cfg'.*freed/,
      );
      const c2 = ev.event_config_new();
      expect(ev.event_config_require_features(c2, ev.EV_FEATURE_FDS)).to.equal(0);
      expect(ev.event_base_get_method(ev.event_base_new_with_config(c2)!)).to.equal("poll");
      ev.event_config_require_features(c2, ev.EV_FEATURE_FDS | ev.EV_FEATURE_ET);
      logged(() => expect(ev.event_base_new_with_config(c2)).to.equal(null));
      expect(ev.event_config_set_num_cpus_hint(c2, 4)).to.equal(0);
      expect(ev.event_config_set_flag(c2, ev.EVENT_BASE_FLAG_PRECISE_TIMER)).to.equal(0);
      expect(ev.event_config_set_max_dispatch_interval(c2, tv(5), 10, 1)).to.equal(0);
      // The NULL-checking calls return -1 for a NULL config.
      expect(ev.event_config_set_flag(null as any, 1)).to.equal(-1);
      expect(ev.event_config_require_features(null as any, 1)).to.equal(-1);
      expect(ev.event_config_set_num_cpus_hint(null as any, 1)).to.equal(-1);
      expect(ev.event_base_get_method(ev.event_base_new_with_config(null)!)).to.equal("epoll");
    });

    it("EVENT_NOEPOLL and EVENT_SHOW_METHOD are honoured unless EVENT_BASE_FLAG_IGNORE_ENV", () => {
      process.env.EVENT_NOEPOLL = "1";
      process.env.EVENT_SHOW_METHOD = "1";
      try {
        const msgs = logged(() =>
          expect(ev.event_base_get_method(ev.event_base_new()!)).to.equal("poll"),
        );
        expect(msgs).to.deep.equal(["1:libevent using: poll"]);
        const cfg = ev.event_config_new();
        ev.event_config_set_flag(cfg, ev.EVENT_BASE_FLAG_IGNORE_ENV);
        logged(() =>
          expect(ev.event_base_get_method(ev.event_base_new_with_config(cfg)!)).to.equal("epoll"),
        );
      } finally {
        delete process.env.EVENT_NOEPOLL;
        delete process.env.EVENT_SHOW_METHOD;
      }
    });

    it("epoll's changelist variant names itself: EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST or EVENT_EPOLL_USE_CHANGELIST", () => {
      const method = (flags: number) => {
        const cfg = ev.event_config_new();
        ev.event_config_set_flag(cfg, flags);
        const b = ev.event_base_new_with_config(cfg)!;
        ev.event_config_free(cfg);
        const m = ev.event_base_get_method(b);
        ev.event_base_free(b);
        return m;
      };
      expect(method(ev.EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST)).to.equal("epoll (with changelist)");
      process.env.EVENT_EPOLL_USE_CHANGELIST = "1";
      try {
        expect(method(0)).to.equal("epoll (with changelist)");
        expect(method(ev.EVENT_BASE_FLAG_IGNORE_ENV)).to.equal("epoll");
      } finally {
        delete process.env.EVENT_EPOLL_USE_CHANGELIST;
      }
      expect(method(0)).to.equal("epoll");
    });

    it("event_base_priority_init: 1..255; not while callbacks are active; new events go to the middle", () => {
      expect(ev.event_base_priority_init(base, 0)).to.equal(-1);
      expect(ev.event_base_priority_init(base, 256)).to.equal(-1);
      expect(ev.event_base_priority_init(base, 255)).to.equal(0);
      expect(ev.event_get_priority(ev.event_new(base, -1, 0, noop, null)!)).to.equal(127);
      expect(ev.event_base_priority_init(base, 5)).to.equal(0);
      const e = ev.event_new(base, -1, 0, noop, null)!;
      expect(ev.event_get_priority(e)).to.equal(2);
      ev.event_active(e, 0, 0);
      expect(ev.event_base_priority_init(base, 3)).to.equal(-1);
      expect(ev.event_priority_set(e, 0)).to.equal(-1);
    });

    it("event_base_free: deletes pending events, runs pending finalizers; _nofinalize does not", () => {
      const ran: string[] = [];
      const t = ev.evtimer_new(base, noop, null)!;
      ev.evtimer_add(t, tv(1000));
      const f = ev.event_new(base, -1, 0, noop, null)!;
      ev.event_finalize(0, f, () => ran.push("fin"));
      ev.event_base_free(base);
      expect(ran).to.deep.equal(["fin"]);
      expect(() => ev.event_add(t, null)).to.throw(
        TypeError,
        /event_add: argument 'ev' belongs to an event_base that was freed/,
      );
      const b2 = ev.event_base_new()!;
      const g = ev.event_new(b2, -1, 0, noop, null)!;
      ev.event_finalize(0, g, () => ran.push("never"));
      ev.event_base_free_nofinalize(b2);
      expect(ran).to.deep.equal(["fin"]);
      expect(logged(() => ev.event_base_free(null))).to.deep.equal([
        "2:event_base_free_: no base to free",
      ]);
    });

    it("event_reinit, event_gettime_monotonic, event_get_version(_number), event_get_struct_event_size", () => {
      expect(ev.event_reinit(base)).to.equal(0);
      const t = { tv_sec: -1, tv_usec: -1 };
      expect(ev.event_gettime_monotonic(base, t)).to.equal(0);
      expect(t.tv_sec).to.be.at.least(0);
      expect(ev.event_gettime_monotonic(null, t)).to.equal(-1);
      expect(ev.event_gettime_monotonic(base, null)).to.equal(-1);
      expect(ev.event_get_version()).to.equal("2.1.12-stable");
      expect(ev.event_get_version_number()).to.equal(0x02010c00);
      expect(ev.event_get_struct_event_size()).to.equal(128);
    });

    it("loop control with a NULL base: -1 (loopexit, loopbreak, loopcontinue, once)", () => {
      expect(ev.event_base_loopexit(null, null)).to.equal(-1);
      expect(ev.event_base_loopbreak(null)).to.equal(-1);
      expect(ev.event_base_loopcontinue(null)).to.equal(-1);
      expect(ev.event_base_once(null, -1, ev.EV_TIMEOUT, noop, null, null)).to.equal(-1);
      expect(ev.event_base_update_cache_time(null)).to.equal(-1);
      const out = { tv_sec: 0, tv_usec: 0 };
      expect(ev.event_base_gettimeofday_cached(null, out)).to.equal(0);
      expect(Math.abs(out.tv_sec - Date.now() / 1000)).to.be.lessThan(5);
    });

    it("event_base_init_common_timeout: libevent's tagged timeval, the same one per duration, usable with event_add", async () => {
      const a = ev.event_base_init_common_timeout(base, tv(5))!;
      const b = ev.event_base_init_common_timeout(base, tv(300))!;
      // the magic 0x5 and the index above the microseconds
      expect(a).to.deep.equal({ tv_sec: 0, tv_usec: 5000 | 0x50000000 });
      expect(b).to.deep.equal({ tv_sec: 0, tv_usec: 300000 | 0x50100000 });
      expect(ev.event_base_init_common_timeout(base, tv(5))).to.equal(a);
      expect(ev.event_base_init_common_timeout(base, a)).to.equal(a);
      // an over-long tv_usec is normalised first
      const s2 = ev.event_base_init_common_timeout(base, { tv_sec: 0, tv_usec: 2_000_001 })!;
      expect(s2).to.deep.equal({ tv_sec: 2, tv_usec: 1 | 0x50200000 });
      expect(ev.event_base_init_common_timeout(base, { tv_sec: 2, tv_usec: 1 })).to.equal(s2);
      // another base numbers its own
      const other = ev.event_base_new()!;
      expect(ev.event_base_init_common_timeout(other, tv(300))).to.deep.equal({
        tv_sec: 0,
        tv_usec: 300000 | 0x50000000,
      });
      ev.event_base_free(other);
      const fired: string[] = [];
      const t1 = ev.evtimer_new(base, () => fired.push("a"), null)!;
      const t2 = ev.evtimer_new(base, () => fired.push("copy of b"), null)!;
      ev.event_add(t1, a);
      ev.event_add(t2, { ...b }); // recognised by its bits, as in C
      const when = { tv_sec: 0, tv_usec: 0 };
      const now = { tv_sec: 0, tv_usec: 0 };
      ev.event_base_gettimeofday_cached(base, now);
      expect(ev.event_pending(t2, ev.EV_TIMEOUT, when)).to.equal(ev.EV_TIMEOUT);
      const ms = (when.tv_sec - now.tv_sec) * 1000 + (when.tv_usec - now.tv_usec) / 1000;
      expect(ms).to.be.within(250, 350);
      expect(await ev.event_base_dispatch(base)).to.equal(1);
      expect(fired).to.deep.equal(["a", "copy of b"]);
      ev.event_free(t1);
      ev.event_free(t2);
    });

    it("event_base_init_common_timeout: NULL with libevent's warning once 256 are in use", () => {
      for (let i = 0; i < 256; i++)
        expect(ev.event_base_init_common_timeout(base, { tv_sec: 1, tv_usec: i })).to.not.equal(
          null,
        );
      let r: unknown;
      const msgs = logged(() => (r = ev.event_base_init_common_timeout(base, tv(7000))));
      expect(r).to.equal(null);
      expect(msgs).to.deep.equal([
        "2:event_base_init_common_timeout: Too many common timeouts already in use; we only support 256 per event_base",
      ]);
    });

    it("event_base_get_running_event: the event whose callback runs, NULL otherwise", async () => {
      let seen: unknown = "unset";
      const e = ev.event_new(
        base,
        -1,
        0,
        () => (seen = ev.event_base_get_running_event(base)),
        null,
      )!;
      ev.event_active(e, 0, 0);
      expect(ev.event_base_get_running_event(base)).to.equal(null);
      await ev.event_base_dispatch(base);
      expect(seen).to.equal(e);
    });

    it("event_base_dump_events writes libevent's format", () => {
      const s = ev.evsignal_new(base, 10, noop, null)!;
      ev.evsignal_add(s, tv(2000));
      const a = ev.event_new(base, -1, 0, noop, null)!;
      ev.event_active(a, ev.EV_READ | ev.EV_TIMEOUT, 0);
      const path = join(tmpdir(), `event_api_dump_${process.pid}`);
      const fd = openSync(path, "w+");
      ev.event_base_dump_events(base, { fd });
      closeSync(fd);
      const text = readFileSync(path, "utf8");
      unlinkSync(path);
      expect(text).to.match(
        /^Inserted events:\n {2}0x[0-9a-f]+ \[sig 10\] Signal Persist Timeout=\d+\.\d{6}\nActive events:\n {2}0x[0-9a-f]+ \[fd {2}-1, priority=0\] Read Timeout active\n$/,
      );
      // Each event's address is the one printf's %p gives it (test-dumpevents prints both).
      const lines = text.split("\n");
      expect(lines[1].split(" ")[2]).to.equal(snprintfText("%p", s));
      expect(lines[3].split(" ")[2]).to.equal(snprintfText("%p", a));
      ev.event_free(s);
    });

    it("event_base_active_by_fd: I/O events on the fd; with EV_TIMEOUT, the timers whose fd it is", async () => {
      const trace: string[] = [];
      const r = ev.event_new(base, -1, ev.EV_READ, (_f, w) => trace.push(`r${w}`), null)!;
      const t = ev.evtimer_new(base, (_f, w) => trace.push(`t${w}`), null)!;
      ev.event_add(r, tv(1000));
      ev.evtimer_add(t, tv(1000));
      ev.event_base_active_by_fd(base, -1, ev.EV_READ); // no map entry for a negative fd
      ev.event_base_active_by_fd(base, -1, ev.EV_TIMEOUT);
      await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK);
      expect(trace).to.deep.equal(["r1", "t1"]);
    });
  });

  describe("events", () => {
    it("event_new: NULL (with a warning) for EV_SIGNAL with I/O; accessors return the assignment", () => {
      expect(
        logged(() =>
          expect(ev.event_new(base, 10, ev.EV_SIGNAL | ev.EV_READ, noop, null)).to.equal(null),
        ),
      ).to.deep.equal([
        "2:event_assign: EV_SIGNAL is not compatible with EV_READ, EV_WRITE or EV_CLOSED",
      ]);
      const arg = { some: "arg" };
      const e = ev.event_new(base, 7, ev.EV_WRITE | ev.EV_ET, noop, arg)!;
      expect([ev.event_get_fd(e), ev.event_get_signal(e), ev.event_get_events(e)]).to.deep.equal([
        7, 7, 0x24,
      ]);
      expect(ev.event_get_base(e)).to.equal(base);
      expect(ev.event_get_callback(e)).to.equal(noop);
      expect(ev.event_get_callback_arg(e)).to.equal(arg);
      expect(ev.event_initialized(e)).to.equal(1);
      ev.event_free(e);
      expect(ev.event_initialized(e)).to.equal(0);
      expect(() => ev.event_free(e)).to.throw(TypeError, /event_free: argument 'ev'.*freed/);
    });

    it("event_assign turns a plain {} into that very event; event_get_assignment fills boxes", async () => {
      const obj: any = {};
      expect(ev.event_initialized(obj)).to.equal(0);
      let got: unknown = null;
      expect(
        ev.event_assign(obj, base, -1, 0, (_f, _w, a) => (got = a), ev.event_self_cbarg()),
      ).to.equal(0);
      const boxes = {
        b: { value: null as any },
        f: { value: 0 },
        e: { value: 0 },
        c: { value: null as any },
        a: { value: null as any },
      };
      ev.event_get_assignment(obj, boxes.b, boxes.f, null, boxes.c, boxes.a);
      expect([boxes.b.value, boxes.f.value, boxes.a.value]).to.deep.equal([base, -1, obj]);
      ev.event_active(obj, 0, 0);
      await ev.event_base_dispatch(base);
      expect(got).to.equal(obj);
      ev.evtimer_add(obj, tv(100));
      expect(() => ev.event_assign(obj, base, -1, 0, noop, null)).to.throw(
        TypeError,
        /event_assign: argument 'ev' is pending/,
      );
      ev.event_del(obj);
      expect(ev.event_assign(obj, base, 3, ev.EV_READ, noop, null)).to.equal(0);
      ev.event_debug_unassign(obj);
      expect(ev.event_initialized(obj)).to.equal(0);
    });

    it("event_add / event_del / event_pending: flags, tv, -1 for an fd the library cannot watch", () => {
      const e = ev.event_new(base, -1, ev.EV_READ | ev.EV_PERSIST, noop, null)!;
      expect(ev.event_add(e, tv(1000))).to.equal(0);
      const out = { tv_sec: 0, tv_usec: 0 };
      expect(ev.event_pending(e, ev.EV_READ | ev.EV_TIMEOUT | ev.EV_WRITE, out)).to.equal(
        ev.EV_READ | ev.EV_TIMEOUT,
      );
      expect(Math.abs(out.tv_sec + out.tv_usec / 1e6 - (Date.now() / 1000 + 1))).to.be.lessThan(1);
      expect(ev.event_base_get_num_events(base, ev.EVENT_BASE_COUNT_ADDED)).to.equal(2);
      expect(ev.event_del(e)).to.equal(0);
      expect(ev.event_pending(e, 0xff, null)).to.equal(0);
      const bad = ev.event_new(base, 987654, ev.EV_READ, noop, null)!;
      expect(logged(() => expect(ev.event_add(bad, null)).to.equal(-1))).to.deep.equal([
        "2:Epoll ADD(1) on fd 987654 failed. Old events were 0; read change was 1 (add); write change was 0 (none); close change was 0 (none): Bad file descriptor",
      ]);
      expect(ev.event_del_block(e)).to.equal(0);
      expect(ev.event_del_noblock(e)).to.equal(0);
      expect(ev.event_remove_timer(e)).to.equal(0);
    });

    it("an event without a base (event_set before event_init): add/del/pending/active warn and fail", () => {
      const e: any = {};
      compat.event_set(e, -1, 0, noop, null);
      expect(ev.event_get_base(e)).to.equal(null);
      const msgs = logged(() => {
        expect(ev.event_add(e, null)).to.equal(-1);
        expect(ev.event_del(e)).to.equal(-1);
        expect(ev.event_pending(e, ev.EV_TIMEOUT, null)).to.equal(0);
        ev.event_active(e, 0, 0);
        expect(ev.event_remove_timer(e)).to.equal(-1);
        expect(ev.event_finalize(0, e, noop)).to.equal(-1);
      });
      expect(msgs).to.deep.equal([
        "2:event_add: event has no event_base set.",
        "2:event_del_: event has no event_base set.",
        "2:event_pending: event has no event_base set.",
        "2:event_active: event has no event_base set.",
        "2:event_remove_timer: event has no event_base set.",
        "2:event_finalize_impl_: event has no event_base set.",
      ]);
      expect(() => ev.event_priority_set(e, 0)).to.throw(
        TypeError,
        /event_priority_set: argument 'ev' has no event_base/,
      );
      expect(ev.event_base_set(base, e)).to.equal(0);
      expect(ev.event_add(e, null)).to.equal(0);
      expect(ev.event_base_set(base, e)).to.equal(0); // no I/O, no timer: still "innocent"
      ev.event_active(e, 0, 0);
      expect(ev.event_base_set(base, e)).to.equal(-1);
    });

    it("event_finalize / event_free_finalize: the finalizer runs from the loop; the event is then dead", async () => {
      const ran: unknown[] = [];
      const e = ev.event_new(base, -1, 0, noop, "arg")!;
      const f = ev.event_new(base, -1, 0, noop, "arg2")!;
      expect(ev.event_finalize(0, e, (x, a) => ran.push(x === e, a))).to.equal(0);
      expect(ev.event_free_finalize(0, f, (_x, a) => ran.push(a))).to.equal(0);
      expect(ran).to.deep.equal([]);
      // libevent keeps the finalizer where the callback was.
      expect(ev.event_get_callback(e)).to.not.equal(noop);
      await ev.event_base_dispatch(base);
      expect(ran).to.deep.equal([true, "arg", "arg2"]);
      expect(ev.event_add(e, null)).to.equal(-1);
      expect(ev.event_initialized(f)).to.equal(0);
      expect(() => ev.event_finalize(0, e, null as any)).to.throw(
        TypeError,
        /event_finalize: argument 'cb' is NULL/,
      );
    });

    it("event_base_once: -1 for no kind, EV_SIGNAL or EV_PERSIST; NULL tv runs in the next pass", async () => {
      expect(ev.event_base_once(base, -1, 0, noop, null, null)).to.equal(-1);
      expect(
        ev.event_base_once(base, -1, ev.EV_TIMEOUT | ev.EV_PERSIST, noop, null, null),
      ).to.equal(-1);
      expect(ev.event_base_once(base, 10, ev.EV_SIGNAL, noop, null, null)).to.equal(-1);
      // A refused combination is -1 even with a NULL callback: libevent never looks at it.
      expect(ev.event_base_once(base, -1, 0, null as any, null, null)).to.equal(-1);
      expect(ev.event_base_once(base, -1, ev.EV_PERSIST, null as any, null, null)).to.equal(-1);
      const got: unknown[] = [];
      expect(
        ev.event_base_once(base, -1, ev.EV_TIMEOUT, (fd, w, a) => got.push(fd, w, a), "x", null),
      ).to.equal(0);
      expect(ev.event_base_get_num_events(base, ev.EVENT_BASE_COUNT_ACTIVE)).to.equal(1);
      await ev.event_base_dispatch(base);
      expect(got).to.deep.equal([-1, ev.EV_TIMEOUT, "x"]);
      expect(() => ev.event_base_once(base, -1, ev.EV_TIMEOUT, null as any, null, null)).to.throw(
        TypeError,
        /event_base_once: argument 'callback' is NULL/,
      );
    });

    it("evtimer_*, evsignal_*, evuser_* macros", async () => {
      const t = ev.evtimer_new(base, noop, null)!;
      expect(ev.evtimer_initialized(t)).to.equal(1);
      ev.evtimer_add(t, tv(100));
      expect(ev.evtimer_pending(t, null)).to.equal(ev.EV_TIMEOUT);
      ev.evtimer_del(t);
      const obj = {};
      ev.evtimer_assign(obj, base, noop, null);
      expect(ev.event_get_events(obj as any)).to.equal(0);
      const s = ev.evsignal_new(base, 12, noop, null)!;
      expect(ev.event_get_events(s)).to.equal(ev.EV_SIGNAL | ev.EV_PERSIST);
      expect(ev.evsignal_add(s, null)).to.equal(0);
      expect(ev.evsignal_pending(s, null)).to.equal(ev.EV_SIGNAL);
      expect(ev.evsignal_initialized(s)).to.equal(1);
      expect(ev.evsignal_del(s)).to.equal(0);
      const sobj = {};
      ev.evsignal_assign(sobj, base, 12, noop, null);
      expect(ev.event_get_signal(sobj as any)).to.equal(12);
      logged(() =>
        expect(ev.evsignal_add(ev.evsignal_new(base, 9, noop, null)!, null)).to.equal(-1),
      );
      let calls = 0;
      const u = ev.evuser_new(base, () => calls++, null)!;
      expect(ev.evuser_initialized(u)).to.equal(1);
      ev.evuser_trigger(u);
      expect(ev.evuser_pending(u, null)).to.equal(0); // res 0, and 0 asked
      await ev.event_base_dispatch(base);
      expect(calls).to.equal(1);
      expect(ev.evuser_del(u)).to.equal(0);
    });
  });

  describe("logging and global settings", () => {
    it("a log callback switching on the obsolete _EVENT_LOG_* names sees their severities", () => {
      expect([
        ev._EVENT_LOG_DEBUG,
        ev._EVENT_LOG_MSG,
        ev._EVENT_LOG_WARN,
        ev._EVENT_LOG_ERR,
      ]).to.deep.equal([ev.EVENT_LOG_DEBUG, ev.EVENT_LOG_MSG, ev.EVENT_LOG_WARN, ev.EVENT_LOG_ERR]);
      const seen: string[] = [];
      ev.event_set_log_callback((severity, msg) => {
        switch (severity) {
          case ev._EVENT_LOG_WARN:
            seen.push(`warn ${msg}`);
            break;
          default:
            seen.push(`other ${severity}`);
        }
      });
      try {
        const e: any = {};
        compat.event_set(e, -1, 0, noop, null);
        ev.event_add(e, null);
      } finally {
        ev.event_set_log_callback(null);
      }
      expect(seen).to.have.length(1);
      expect(seen[0]).to.match(/^warn event_add/);
    });

    it("event_set_log_callback, event_enable_debug_logging, event_set_fatal_callback, mem functions, shutdown", () => {
      expect(() => ev.event_set_log_callback(42 as any)).to.throw(
        TypeError,
        /event_set_log_callback: argument 'cb'/,
      );
      ev.event_enable_debug_logging(ev.EVENT_DBG_ALL);
      ev.event_enable_debug_logging(ev.EVENT_DBG_NONE);
      ev.event_set_fatal_callback(noop);
      expect(ev.fatalCallback()).to.equal(noop);
      ev.event_set_fatal_callback(null);
      ev.event_set_mem_functions(null, null, null);
      expect(() => ev.event_set_mem_functions(1, null, null)).to.throw(
        TypeError,
        /event_set_mem_functions: argument 'malloc_fn'/,
      );
      ev.event_enable_debug_mode();
      ev.libevent_global_shutdown();
    });
  });

  it("debug mode: EV_ET and level-triggered events on one descriptor refuse each other until libevent_global_shutdown", () => {
    const p: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
    try {
      const et = ev.event_new(base, p[0], ev.EV_READ | ev.EV_ET, noop, null)!;
      const lt = ev.event_new(base, p[0], ev.EV_WRITE, noop, null)!;
      const msgs = logged(() => {
        ev.event_enable_debug_mode();
        expect(ev.event_add(et, null)).to.equal(0);
        expect(ev.event_add(lt, null)).to.equal(-1);
        expect(ev.event_pending(lt, ev.EV_WRITE, null)).to.equal(0);
        expect(ev.event_del(et)).to.equal(0);
        expect(ev.event_add(lt, null)).to.equal(0);
        expect(ev.event_add(et, null)).to.equal(-1);
        ev.libevent_global_shutdown();
        // without debug mode libevent lets them mix
        expect(ev.event_add(et, null)).to.equal(0);
      });
      expect(msgs).to.deep.equal([
        `2:Tried to mix edge-triggered and non-edge-triggered events on fd ${p[0]}`,
        `2:Tried to mix edge-triggered and non-edge-triggered events on fd ${p[0]}`,
      ]);
      ev.event_free(et);
      ev.event_free(lt);
    } finally {
      p.forEach((fd) => close(fd));
    }
  });

  describe("misuse throws naming the function and the argument", () => {
    const b = () => ev.event_base_new()!;
    const cases: [string, () => unknown, RegExp][] = [
      [
        "event_base_dispatch(NULL)",
        () => ev.event_base_dispatch(null as any),
        /event_base_dispatch: argument 'base' is NULL/,
      ],
      [
        "event_base_loop(base, 1.5)",
        () => ev.event_base_loop(b(), 1.5),
        /event_base_loop: argument 'flags'/,
      ],
      [
        "event_base_got_exit({})",
        () => ev.event_base_got_exit({} as any),
        /event_base_got_exit: argument 'base' must be a struct event_base/,
      ],
      [
        "event_base_got_break(NULL)",
        () => ev.event_base_got_break(null as any),
        /event_base_got_break: argument 'base'/,
      ],
      [
        "event_base_priority_init(NULL)",
        () => ev.event_base_priority_init(null as any, 2),
        /event_base_priority_init: argument 'base'/,
      ],
      [
        "event_base_get_method(NULL)",
        () => ev.event_base_get_method(null as any),
        /event_base_get_method: argument 'base'/,
      ],
      [
        "event_base_get_npriorities(NULL) without a current base",
        () => ev.event_base_get_npriorities(null),
        /event_base_get_npriorities: argument 'base'/,
      ],
      [
        "event_base_loopexit(base, 'x')",
        () => ev.event_base_loopexit(b(), "x" as any),
        /event_base_loopexit: argument 'tv'/,
      ],
      [
        "event_base_gettimeofday_cached(base, NULL)",
        () => ev.event_base_gettimeofday_cached(b(), null as any),
        /event_base_gettimeofday_cached: argument 'tv'/,
      ],
      [
        "event_base_get_num_events(NULL)",
        () => ev.event_base_get_num_events(null as any, 1),
        /event_base_get_num_events: argument 'base'/,
      ],
      [
        "event_base_dump_events(base, 1)",
        () => ev.event_base_dump_events(b(), 1 as any),
        /event_base_dump_events: argument 'output'/,
      ],
      [
        "event_new(base, 'x')",
        () => ev.event_new(b(), "x" as any, 0, noop, null),
        /event_new: argument 'fd'/,
      ],
      [
        "event_new(base, -1, 0, 5)",
        () => ev.event_new(b(), -1, 0, 5 as any, null),
        /event_new: argument 'callback'/,
      ],
      [
        "event_new on a freed base",
        () => {
          const x = b();
          ev.event_base_free(x);
          ev.event_new(x, -1, 0, noop, null);
        },
        /event_new: argument 'base'.*freed/,
      ],
      [
        "event_assign(NULL)",
        () => ev.event_assign(null as any, b(), -1, 0, noop, null),
        /event_assign: argument 'ev'/,
      ],
      [
        "event_add(NULL)",
        () => ev.event_add(null as any, null),
        /event_add: argument 'ev' is NULL/,
      ],
      [
        "event_add(ev, {tv_sec: NaN})",
        () => ev.event_add(ev.evtimer_new(b(), noop, null)!, { tv_sec: NaN, tv_usec: 0 }),
        /event_add: argument 'tv'/,
      ],
      ["event_del('x')", () => ev.event_del("x" as any), /event_del: argument 'ev'/],
      [
        "event_active(ev, 'r')",
        () => ev.event_active(ev.evtimer_new(b(), noop, null)!, "r" as any, 0),
        /event_active: argument 'res'/,
      ],
      [
        "event_pending(ev, 1, 5)",
        () => ev.event_pending(ev.evtimer_new(b(), noop, null)!, 1, 5 as any),
        /event_pending: argument 'tv'/,
      ],
      [
        "event_priority_set(NULL)",
        () => ev.event_priority_set(null as any, 0),
        /event_priority_set: argument 'ev'/,
      ],
      [
        "event_get_fd({})",
        () => ev.event_get_fd({} as any),
        /event_get_fd: argument 'ev' must be a struct event/,
      ],
      [
        "event_get_assignment(ev, 5)",
        () =>
          ev.event_get_assignment(
            ev.evtimer_new(b(), noop, null)!,
            5 as any,
            null,
            null,
            null,
            null,
          ),
        /event_get_assignment: argument 'base_out'/,
      ],
      ["event_free(NULL)", () => ev.event_free(null as any), /event_free: argument 'ev' is NULL/],
      [
        "event_base_set(NULL, ev)",
        () => ev.event_base_set(null as any, ev.evtimer_new(b(), noop, null)!),
        /event_base_set: argument 'base'/,
      ],
      [
        "event_config_avoid_method(NULL)",
        () => ev.event_config_avoid_method(null as any, "epoll"),
        /event_config_avoid_method: argument 'cfg'/,
      ],
      [
        "event_config_avoid_method(cfg, 3)",
        () => ev.event_config_avoid_method(ev.event_config_new(), 3 as any),
        /event_config_avoid_method: argument 'method'/,
      ],
      [
        "event_config_set_max_dispatch_interval(NULL)",
        () => ev.event_config_set_max_dispatch_interval(null as any, null, 1, 0),
        /event_config_set_max_dispatch_interval: argument 'cfg'/,
      ],
      [
        "event_config_free(NULL)",
        () => ev.event_config_free(null as any),
        /event_config_free: argument 'cfg'/,
      ],
      [
        "event_base_foreach_event(base, 3)",
        () => ev.event_base_foreach_event(b(), 3 as any, null),
        /event_base_foreach_event: argument 'fn'/,
      ],
      [
        "event_base_init_common_timeout(base, NULL)",
        () => ev.event_base_init_common_timeout(b(), null as any),
        /event_base_init_common_timeout: argument 'duration'/,
      ],
      [
        "event_base_active_by_signal(base, 'x')",
        () => ev.event_base_active_by_signal(b(), "x" as any),
        /event_base_active_by_signal: argument 'sig'/,
      ],
      [
        "event_dispatch() without event_init",
        () => compat.event_dispatch(),
        /event_dispatch: argument '\(current base\)'/,
      ],
      [
        "event_set with EV_SIGNAL|EV_READ",
        () => logged(() => compat.event_set({}, 10, ev.EV_SIGNAL | ev.EV_READ, noop, null)),
        /event_set: argument 'events'/,
      ],
      [
        "evthread_set_lock_callbacks(5)",
        () => thread.evthread_set_lock_callbacks(5 as any),
        /evthread_set_lock_callbacks: argument 'cbs'/,
      ],
      [
        "evthread_set_id_callback(5)",
        () => thread.evthread_set_id_callback(5 as any),
        /evthread_set_id_callback: argument 'id_fn'/,
      ],
      [
        "evthread_make_base_notifiable({})",
        () => thread.evthread_make_base_notifiable({}),
        /evthread_make_base_notifiable: argument 'base'/,
      ],
    ];
    for (const [name, call, msg] of cases) it(name, () => expect(call).to.throw(msg));
  });

  describe("event_compat.h: the current base", () => {
    afterEach(() => logged(() => ev.event_base_free(null))); // frees a current base left behind

    it("event_init makes the current base; NULL-base calls use it; freeing it clears it", async () => {
      const got: string[] = [];
      const cur = compat.event_init();
      expect(compat.event_get_method()).to.equal("epoll");
      expect(compat.event_priority_init(3)).to.equal(0);
      expect(ev.event_base_get_npriorities(null)).to.equal(3);
      const e: any = {};
      compat.event_set(e, -1, 0, (_f, w, a) => got.push(`${a}:${w}`), "set");
      expect(ev.event_get_base(e)).to.equal(cur);
      expect(ev.event_get_priority(e)).to.equal(1);
      const n = ev.event_new(null, -1, 0, noop, null)!;
      expect(ev.event_get_base(n)).to.equal(cur);
      compat.timeout_add(e, tv(5));
      expect(compat.timeout_pending(e, null)).to.equal(ev.EV_TIMEOUT);
      expect(compat.timeout_initialized(e)).to.equal(1);
      expect(compat.EVENT_FD(e)).to.equal(-1);
      expect(
        compat.event_once(-1, ev.EV_TIMEOUT, (_f, w, a) => got.push(`${a}:${w}`), "once", null),
      ).to.equal(0);
      expect(await compat.event_dispatch()).to.equal(1);
      expect(got).to.deep.equal(["once:1", "set:1"]);
      compat.event_loopexit(null);
      expect(await compat.event_loop(0)).to.equal(0);
      expect(compat.event_loopbreak()).to.equal(0);
      const s: any = {};
      compat.signal_set(s, 12, noop, null);
      expect(compat.signal_add(s, null)).to.equal(0);
      expect(compat.signal_pending(s, null)).to.equal(ev.EV_SIGNAL);
      expect(compat.signal_initialized(s)).to.equal(1);
      expect(compat.EVENT_SIGNAL(s)).to.equal(12);
      expect(compat.signal_del(s)).to.equal(0);
      compat.timeout_set(e, noop, null);
      expect(compat.timeout_del(e)).to.equal(0);
      const s2: any = {};
      compat.evsignal_set(s2, 10, noop, null);
      expect(ev.event_get_events(s2)).to.equal(ev.EV_SIGNAL | ev.EV_PERSIST);
      const t2: any = {};
      compat.evtimer_set(t2, noop, null);
      expect(ev.event_get_events(t2)).to.equal(0);
      ev.event_base_free(null);
      expect(compat.event_loopbreak()).to.equal(-1);
      expect(compat.event_loopexit(null)).to.equal(-1);
      expect(compat.event_once(-1, ev.EV_TIMEOUT, noop, null, null)).to.equal(-1);
      expect(() => compat.event_loop(0)).to.throw(TypeError, /event_loop/);
    });
  });

  describe("event2/thread.h", () => {
    it("lock callbacks: all four required; the same set again is fine, another is refused", () => {
      const cbs: thread.evthread_lock_callbacks = {
        lock_api_version: 1,
        supported_locktypes: 1,
        alloc: () => ({}),
        free: noop,
        lock: () => 0,
        unlock: () => 0,
      };
      expect(thread.evthread_set_lock_callbacks({ ...cbs, unlock: null })).to.equal(-1);
      expect(thread.evthreadEnabled()).to.equal(false);
      expect(thread.evthread_set_lock_callbacks(cbs)).to.equal(0);
      expect(thread.evthreadEnabled()).to.equal(true);
      expect(thread.evthread_set_lock_callbacks({ ...cbs })).to.equal(0);
      const msgs = logged(() => {
        expect(thread.evthread_set_lock_callbacks({ ...cbs, lock: () => 1 })).to.equal(-1);
        expect(thread.evthread_use_pthreads()).to.equal(-1);
        expect(thread.evthread_set_lock_callbacks(null)).to.equal(0);
      });
      expect(msgs).to.deep.equal([
        "2:Can't change lock callbacks once they have been initialized.",
        "2:Can't change lock callbacks once they have been initialized.",
        "2:Trying to disable lock functions after they have been set up will probaby not work.",
      ]);
      expect(thread.evthreadEnabled()).to.equal(false);
    });

    it("evthread_use_pthreads (twice is fine), condition and id callbacks, lock debugging, notifiable bases", () => {
      logged(() => thread.evthread_set_lock_callbacks(null));
      expect(thread.evthread_use_pthreads()).to.equal(0);
      expect(thread.evthread_use_pthreads()).to.equal(0);
      expect(thread.evthreadEnabled()).to.equal(true);
      const cond = {
        condition_api_version: 1,
        alloc_condition: () => ({}),
        free_condition: noop,
        signal_condition: () => 0,
        wait_condition: () => 0,
      };
      expect(
        logged(() => expect(thread.evthread_set_condition_callbacks(cond)).to.equal(-1)),
      ).to.have.length(1);
      thread.evthread_set_id_callback(() => 7);
      thread.evthread_set_id_callback(null);
      thread.evthread_enable_lock_debugging();
      thread.evthread_enable_lock_debuging();
      expect(thread.evthread_make_base_notifiable(base)).to.equal(0);
      expect(thread.evthread_make_base_notifiable(null)).to.equal(-1);
      logged(() => {
        thread.evthread_set_lock_callbacks(null);
        thread.evthread_set_condition_callbacks(null);
      });
    });
  });
});
