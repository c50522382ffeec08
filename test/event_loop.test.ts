// The engine's scheduling rules that the C-vs-port traces cannot reach
// (deferred callbacks are not public in C) or that need the real clock and
// Node: deferred queueing, time caching, real signals, waking from Node,
// errors inside callbacks. Behaviours marked [probe] were checked with C.
import { expect } from "chai";
import { Deferred } from "../src/core/callback.js";
import type { EventBase } from "../src/core/event_base.js";
import * as ev from "../src/event2/event.js";

const tv = (ms: number) => ({ tv_sec: Math.floor(ms / 1000), tv_usec: (ms % 1000) * 1000 });
const newBase = (npri = 1): EventBase => {
  const b = ev.event_base_new()!;
  if (npri > 1) ev.event_base_priority_init(b, npri);
  return b;
};
const busyWait = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("event loop engine", () => {
  it("dispatch resolves 1 when nothing is pending", async () => {
    const base = newBase();
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    ev.event_base_free(base);
  });

  it("runs no user callback outside dispatch", async () => {
    const base = newBase();
    const trace: string[] = [];
    const e = ev.event_new(base, -1, 0, () => trace.push("cb"), null)!;
    ev.event_active(e, ev.EV_TIMEOUT, 0);
    await new Promise((r) => setTimeout(r, 5));
    expect(trace).to.deep.equal([]);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal(["cb"]);
  });

  it("fires timers with equal deadlines in libevent's heap order [probe]", async () => {
    const base = newBase();
    const trace: number[] = [];
    const timers = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
      ev.evtimer_new(base, () => trace.push(i), null)!,
    );
    const start = ev.evtimer_new(
      base,
      () => timers.forEach((t) => ev.evtimer_add(t, tv(2))),
      null,
    )!;
    ev.evtimer_add(start, tv(0));
    await ev.event_base_dispatch(base);
    expect(trace).to.deep.equal([0, 7, 6, 5, 4, 3, 2, 1]);
  });

  it("fires timers far apart in deadline order on the real clock", async () => {
    const base = newBase();
    const trace: number[] = [];
    for (const ms of [60, 0, 30])
      ev.evtimer_add(
        ev.evtimer_new(base, () => trace.push(ms), null)!,
        tv(ms),
      );
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal([0, 30, 60]);
  });

  describe("deferred callbacks (scheduleDeferred)", () => {
    it("share the FIFO of their priority with events; 33 run per pass, the rest in the next [probe]", async () => {
      const base = newBase();
      const trace: string[] = [];
      const m1 = ev.event_new(base, -1, 0, () => trace.push("m1"), null)!;
      const m2 = ev.event_new(base, -1, 0, () => trace.push("m2"), null)!;
      const ds = Array.from({ length: 40 }, (_, i) => new Deferred(() => trace.push(`d${i}`)));
      const go = ev.event_new(
        base,
        -1,
        0,
        () => {
          ev.event_active(m1, ev.EV_READ, 0);
          for (const d of ds) base.scheduleDeferred(d);
          ev.event_active(m2, ev.EV_READ, 0);
        },
        null,
      )!;
      ev.event_active(go, ev.EV_READ, 0);
      const passes: string[][] = [];
      // EVLOOP_ONCE returns only once the deferreds left for the next pass have run too.
      expect(await ev.event_base_loop(base, ev.EVLOOP_ONCE)).to.equal(0);
      passes.push(trace.splice(0));
      expect(passes[0]).to.deep.equal([
        "m1",
        ...ds.slice(0, 33).map((_, i) => `d${i}`),
        "m2",
        ...ds.slice(33).map((_, i) => `d${i + 33}`),
      ]);
    });

    it("promoted ones count toward the next pass's 32 [probe]", async () => {
      const base = newBase();
      const trace: string[] = [];
      const marker = ev.event_new(base, -1, 0, () => trace.push("marker"), null)!;
      const more = Array.from({ length: 40 }, (_, i) => new Deferred(() => trace.push(`n${i}`)));
      const first = Array.from(
        { length: 40 },
        (_, i) =>
          new Deferred(() => {
            trace.push(`d${i}`);
            if (i === 33) {
              for (const d of more) base.scheduleDeferred(d);
              ev.event_active(marker, ev.EV_READ, 0);
            }
          }),
      );
      const go = ev.event_new(
        base,
        -1,
        0,
        () => first.forEach((d) => base.scheduleDeferred(d)),
        null,
      )!;
      ev.event_active(go, ev.EV_READ, 0);
      await ev.event_base_loop(base, ev.EVLOOP_ONCE);
      const at = trace.indexOf("marker");
      // 7 promoted (d33..d39), then 26 of the new ones (n0..n25) in that pass.
      expect(trace.slice(at - 27, at)).to.deep.equal([
        "d39",
        ...more.slice(0, 26).map((_, i) => `n${i}`),
      ]);
      expect(trace.slice(at + 1)).to.deep.equal(more.slice(26).map((_, i) => `n${i + 26}`));
    });

    it("run at npriorities/2 unless given a priority; cancel and re-schedule", async () => {
      const base = newBase(5);
      const trace: string[] = [];
      const d = new Deferred(() => trace.push("default"));
      const urgent = new Deferred(() => trace.push("urgent"));
      urgent.priority = 0;
      const e = ev.event_new(
        base,
        -1,
        0,
        () => trace.push(`event pri ${ev.event_get_priority(e)}`),
        null,
      )!;
      ev.event_active(e, ev.EV_READ, 0);
      base.scheduleDeferred(d);
      base.scheduleDeferred(d); // already queued: still once
      base.scheduleDeferred(urgent);
      expect(d.priority).to.equal(2);
      expect(base.isActive(d)).to.equal(true);
      const gone = new Deferred(() => trace.push("cancelled"));
      base.scheduleDeferred(gone);
      base.cancelDeferred(gone);
      expect(ev.event_base_get_num_events(base, ev.EVENT_BASE_COUNT_ACTIVE)).to.equal(3);
      await ev.event_base_dispatch(base);
      expect(trace).to.deep.equal(["urgent", "event pri 2", "default"]);
    });

    it("a chain that keeps re-scheduling keeps EVLOOP_NONBLOCK from returning", async () => {
      const base = newBase();
      let n = 0;
      const d: Deferred = new Deferred(() => {
        if (++n < 100) base.scheduleDeferred(d);
      });
      base.scheduleDeferred(d);
      expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK)).to.equal(1);
      expect(n).to.equal(100);
    });
  });

  describe("the time cache", () => {
    it("holds one instant per pass; update_cache_time refreshes it; none outside the loop", async () => {
      const base = newBase();
      const seen: boolean[] = [];
      const e = ev.event_new(
        base,
        -1,
        0,
        () => {
          const a = { tv_sec: 0, tv_usec: 0 },
            b = { tv_sec: 0, tv_usec: 0 },
            c = { tv_sec: 0, tv_usec: 0 };
          ev.event_base_gettimeofday_cached(base, a);
          busyWait(3);
          ev.event_base_gettimeofday_cached(base, b);
          ev.event_base_update_cache_time(base);
          ev.event_base_gettimeofday_cached(base, c);
          seen.push(
            a.tv_sec === b.tv_sec && a.tv_usec === b.tv_usec,
            c.tv_sec * 1e6 + c.tv_usec > b.tv_sec * 1e6 + b.tv_usec,
          );
        },
        null,
      )!;
      ev.event_active(e, 0, 0);
      await ev.event_base_dispatch(base);
      expect(seen).to.deep.equal([true, true]);
      const a = { tv_sec: 0, tv_usec: 0 },
        b = { tv_sec: 0, tv_usec: 0 };
      ev.event_base_gettimeofday_cached(base, a);
      busyWait(2);
      ev.event_base_gettimeofday_cached(base, b);
      expect(b.tv_sec * 1e6 + b.tv_usec).to.be.greaterThan(a.tv_sec * 1e6 + a.tv_usec);
      // The cached time is wall-clock time.
      expect(Math.abs(b.tv_sec - Date.now() / 1000)).to.be.lessThan(5);
    });

    it("EVENT_BASE_FLAG_NO_CACHE_TIME: every read is fresh", async () => {
      const cfg = ev.event_config_new();
      ev.event_config_set_flag(cfg, ev.EVENT_BASE_FLAG_NO_CACHE_TIME);
      const base = ev.event_base_new_with_config(cfg)!;
      let differs = false;
      const e = ev.event_new(
        base,
        -1,
        0,
        () => {
          const a = { tv_sec: 0, tv_usec: 0 },
            b = { tv_sec: 0, tv_usec: 0 };
          ev.event_base_gettimeofday_cached(base, a);
          busyWait(2);
          ev.event_base_gettimeofday_cached(base, b);
          differs = a.tv_sec !== b.tv_sec || a.tv_usec !== b.tv_usec;
        },
        null,
      )!;
      ev.event_active(e, 0, 0);
      await ev.event_base_dispatch(base);
      expect(differs).to.equal(true);
    });

    it("timers added in one callback share its instant (equal delays, equal deadlines)", async () => {
      const base = newBase();
      const at: number[] = [];
      const t1 = ev.evtimer_new(base, () => {}, null)!;
      const t2 = ev.evtimer_new(base, () => {}, null)!;
      const e = ev.event_new(
        base,
        -1,
        0,
        () => {
          ev.evtimer_add(t1, tv(50));
          busyWait(2);
          ev.evtimer_add(t2, tv(50));
          for (const t of [t1, t2]) {
            const out = { tv_sec: 0, tv_usec: 0 };
            ev.evtimer_pending(t, out);
            at.push(out.tv_sec * 1e6 + out.tv_usec);
          }
          ev.event_del(t1);
          ev.event_del(t2);
        },
        null,
      )!;
      ev.event_active(e, 0, 0);
      await ev.event_base_dispatch(base);
      expect(at[0]).to.equal(at[1]);
    });
  });

  it("delivers real signals: two deliveries before the loop looks are one activation with 2 calls", async () => {
    const base = newBase();
    const calls: number[][] = [];
    const s = ev.evsignal_new(base, 10, (fd, what) => calls.push([fd, what]), null)!;
    ev.evsignal_add(s, null);
    const kill = ev.evtimer_new(
      base,
      () => {
        process.kill(process.pid, "SIGUSR1");
        process.kill(process.pid, "SIGUSR1");
      },
      null,
    )!;
    ev.evtimer_add(kill, tv(0));
    const stop = ev.evtimer_new(base, () => ev.event_del(s), null)!;
    ev.evtimer_add(stop, tv(100));
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(calls).to.deep.equal([
      [10, ev.EV_SIGNAL],
      [10, ev.EV_SIGNAL],
    ]);
  });

  it("one base receives signals: the last to add a signal event or to start a loop with one", async () => {
    const b1 = newBase();
    const b2 = newBase();
    const got: string[] = [];
    const e1 = ev.evsignal_new(b1, 10, () => got.push("b1"), null)!;
    const e2 = ev.evsignal_new(b2, 10, () => got.push("b2"), null)!;
    const warnings: string[] = [];
    ev.event_set_log_callback((_s, m) => warnings.push(m));
    ev.evsignal_add(e1, null);
    ev.evsignal_add(e2, null);
    ev.event_set_log_callback(null);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(
      /^Added a signal to event base 0x[0-9a-f]+ with signals already added/,
    );
    /** Sends SIGUSR1 to the process, waits until Node has seen it, then runs b1 and b2 once each. */
    const round = async (first: EventBase, second: EventBase) => {
      got.push("kill");
      process.kill(process.pid, "SIGUSR1");
      await new Promise((r) => setTimeout(r, 20));
      await ev.event_base_loop(first, ev.EVLOOP_NONBLOCK);
      await ev.event_base_loop(second, ev.EVLOOP_NONBLOCK);
    };
    await round(b2, b1); // b2 added last: only it sees the signal; b1's loop then claims signals
    await round(b2, b1); // now only b1 sees it
    ev.event_base_free(b1); // signals caught for a freed base are lost
    got.push("kill");
    process.kill(process.pid, "SIGUSR1");
    await new Promise((r) => setTimeout(r, 20));
    await ev.event_base_loop(b2, ev.EVLOOP_NONBLOCK);
    ev.event_free(e2);
    expect(got).to.deep.equal(["kill", "b2", "kill", "b1", "kill"]);
  });

  it("wakes a waiting loop when Node activates an event", async () => {
    const base = newBase();
    const trace: number[] = [];
    const e = ev.event_new(
      base,
      -1,
      ev.EV_READ | ev.EV_PERSIST,
      (_fd, what) => trace.push(what),
      null,
    )!;
    ev.event_add(e, null);
    setTimeout(() => ev.event_active(e, ev.EV_READ | ev.EV_WRITE, 0), 10);
    setTimeout(() => ev.event_base_loopbreak(base), 40);
    expect(await ev.event_base_dispatch(base)).to.equal(0);
    expect(trace).to.deep.equal([ev.EV_READ | ev.EV_WRITE]);
    ev.event_free(e);
  });

  it("virtual events keep the loop from returning 1 until they go", async () => {
    const base = newBase();
    base.virtualCount++;
    expect(ev.event_base_get_num_events(base, ev.EVENT_BASE_COUNT_VIRTUAL)).to.equal(1);
    setTimeout(() => base.virtualCount--, 20);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(ev.event_base_get_max_events(base, ev.EVENT_BASE_COUNT_VIRTUAL, 1)).to.equal(1);
    expect(ev.event_base_get_max_events(base, ev.EVENT_BASE_COUNT_VIRTUAL, 0)).to.equal(0);
  });

  it("a throwing callback rejects the loop and leaves the base usable", async () => {
    const base = newBase();
    const bad = ev.event_new(
      base,
      -1,
      0,
      () => {
        throw new Error("boom");
      },
      null,
    )!;
    ev.event_active(bad, ev.EV_TIMEOUT, 0);
    let err: unknown = null;
    await ev.event_base_dispatch(base).catch((x) => (err = x));
    expect((err as Error).message).to.equal("boom");
    const trace: string[] = [];
    ev.event_active(
      ev.event_new(base, -1, 0, () => trace.push("ok"), null)!,
      ev.EV_TIMEOUT,
      0,
    );
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal(["ok"]);
  });

  it("an event whose priority the base no longer has throws when activated (libevent aborts)", () => {
    const base = newBase(5);
    const e = ev.event_new(base, -1, 0, () => {}, null)!; // priority 2
    ev.event_base_priority_init(base, 1);
    expect(() => ev.event_active(e, ev.EV_READ, 0)).to.throw(
      RangeError,
      /priority 2 is out of range/,
    );
  });

  it("event_base_free from inside the running loop throws (a use-after-free in C)", async () => {
    const base = newBase();
    let err: unknown = null;
    const e = ev.event_new(
      base,
      -1,
      0,
      () => {
        try {
          ev.event_base_free(base);
        } catch (x) {
          err = x;
        }
      },
      null,
    )!;
    ev.event_active(e, 0, 0);
    await ev.event_base_dispatch(base);
    expect(String(err)).to.match(/event_base_free: argument 'base' is running a loop/);
    ev.event_base_free(base);
    expect(() => ev.event_base_dispatch(base)).to.throw(TypeError, /already freed/);
  });
});
