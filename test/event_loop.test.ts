import { expect } from "chai";
import * as ev from "../src/event2/event.js";

const tv = (sec: number, usec = 0) => ({ tv_sec: sec, tv_usec: usec });

describe("event loop", () => {
  it("dispatch resolves 1 when nothing is pending", async () => {
    const base = ev.event_base_new();
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    ev.event_base_free(base);
  });

  it("runs no user callback outside dispatch", async () => {
    const base = ev.event_base_new();
    const trace: string[] = [];
    const e = ev.event_new(base, -1, 0, () => trace.push("cb"), null)!;
    ev.event_active(e, ev.EV_TIMEOUT, 0);
    await new Promise((r) => setTimeout(r, 5));
    expect(trace).to.deep.equal([]);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal(["cb"]);
  });

  it("fires timers with equal deadlines in insertion order, shorter first", async () => {
    const base = ev.event_base_new();
    const trace: string[] = [];
    const mk = (name: string, t: { tv_sec: number; tv_usec: number }) => {
      const e = ev.evtimer_new(base, () => trace.push(name), null)!;
      ev.evtimer_add(e, t);
    };
    ev.event_base_update_cache_time(base);
    const a = ev.evtimer_new(
      base,
      () => {
        // Added from a callback: the cached time makes the deadlines equal.
        mk("x", tv(0, 2000));
        mk("y", tv(0, 2000));
        mk("z", tv(0, 1000));
      },
      null,
    )!;
    ev.evtimer_add(a, tv(0, 0));
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal(["z", "x", "y"]);
  });

  it("runs higher priorities first and holds lower ones while a higher one is active", async () => {
    const base = ev.event_base_new();
    expect(ev.event_base_priority_init(base, 3)).to.equal(0);
    expect(ev.event_base_get_npriorities(base)).to.equal(3);
    const trace: string[] = [];
    const events = [2, 0, 1].map((p) => {
      const e = ev.event_new(
        base,
        -1,
        0,
        () => {
          trace.push(`p${p}`);
          if (p === 0 && trace.length === 1) ev.event_active(events[1], ev.EV_TIMEOUT, 0);
        },
        null,
      )!;
      expect(ev.event_priority_set(e, p)).to.equal(0);
      return e;
    });
    for (const e of events) ev.event_active(e, ev.EV_TIMEOUT, 0);
    await ev.event_base_dispatch(base);
    expect(trace).to.deep.equal(["p0", "p0", "p1", "p2"]);
  });

  it("priority_init refuses 0, 256 and active callbacks", () => {
    const base = ev.event_base_new();
    expect(ev.event_base_priority_init(base, 0)).to.equal(-1);
    expect(ev.event_base_priority_init(base, 256)).to.equal(-1);
    const e = ev.event_new(base, -1, 0, null, null)!;
    ev.event_active(e, ev.EV_TIMEOUT, 0);
    expect(ev.event_base_priority_init(base, 2)).to.equal(-1);
  });

  it("loopexit with a timeval ends the loop after the delay, resolving 0", async () => {
    const base = ev.event_base_new();
    const keep = ev.evtimer_new(base, () => {}, null)!;
    ev.evtimer_add(keep, tv(10));
    const t0 = Date.now();
    ev.event_base_loopexit(base, tv(0, 50000));
    expect(await ev.event_base_dispatch(base)).to.equal(0);
    expect(Date.now() - t0).to.be.at.least(45);
    expect(ev.event_base_got_exit(base)).to.equal(1);
    expect(ev.event_base_got_break(base)).to.equal(0);
  });

  it("loopbreak stops after the current callback", async () => {
    const base = ev.event_base_new();
    const trace: number[] = [];
    const es = [1, 2, 3].map((i) =>
      ev.event_new(
        base,
        -1,
        0,
        () => {
          trace.push(i);
          if (i === 2) ev.event_base_loopbreak(base);
        },
        null,
      )!,
    );
    for (const e of es) ev.event_active(e, ev.EV_TIMEOUT, 0);
    expect(await ev.event_base_dispatch(base)).to.equal(0);
    expect(trace).to.deep.equal([1, 2]);
    expect(ev.event_base_got_break(base)).to.equal(1);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(trace).to.deep.equal([1, 2, 3]);
  });

  it("EVLOOP_NONBLOCK returns at once with nothing active; EVLOOP_ONCE after one batch", async () => {
    const base = ev.event_base_new();
    const trace: string[] = [];
    const t = ev.evtimer_new(base, () => trace.push("t"), null)!;
    ev.evtimer_add(t, tv(0, 20000));
    expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK)).to.equal(0);
    expect(trace).to.deep.equal([]);
    expect(await ev.event_base_loop(base, ev.EVLOOP_ONCE)).to.equal(0);
    expect(trace).to.deep.equal(["t"]);
  });

  it("a reentrant loop resolves -1; a throwing callback rejects and leaves the base usable", async () => {
    const base = ev.event_base_new();
    let inner: Promise<number> | null = null;
    const e = ev.event_new(
      base,
      -1,
      0,
      () => {
        inner = ev.event_base_dispatch(base);
      },
      null,
    )!;
    ev.event_active(e, ev.EV_TIMEOUT, 0);
    await ev.event_base_dispatch(base);
    expect(await inner).to.equal(-1);
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

  it("misuse throws naming the function and argument", () => {
    expect(() => ev.event_base_dispatch(null as any)).to.throw(
      TypeError,
      /event_base_dispatch: argument 'base'/,
    );
    const base = ev.event_base_new();
    const e = ev.evtimer_new(base, null, null)!;
    ev.event_free(e);
    expect(() => ev.event_add(e, null)).to.throw(TypeError, /event_add: argument 'ev'.*freed/);
    expect(() => ev.event_base_loop(base, 1.5)).to.throw(
      RangeError,
      /event_base_loop: argument 'flags'/,
    );
  });
});
