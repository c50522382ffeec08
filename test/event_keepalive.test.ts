// Contract item 9: while a loop runs, every pending event keeps Node alive, so
// `await event_base_dispatch(base)` at a module's top level never leaves Node
// with an unsettled top-level await (exit status 13); with nothing pending it
// resolves 1; once the loop has returned, nothing the library holds keeps
// Node alive. Each case runs a small ESM program in a child `node`.
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "./support/cc.js";

const lib = pathToFileURL(join(projectRoot, "dist", "src", "event2", "event.js")).href;

function child(body: string): string {
  return `import * as ev from ${JSON.stringify(lib)};\nconst tv = (ms) => ({ tv_sec: Math.floor(ms / 1000), tv_usec: (ms % 1000) * 1000 });\n${body}`;
}

function run(body: string): {
  status: number | null;
  signal: string | null;
  out: string;
  err: string;
} {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", child(body)], {
    encoding: "utf8",
    timeout: 15000,
  });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe("keep-alive (contract item 9), in child processes", function () {
  this.timeout(30000);

  it("the harness sees an unsettled top-level await as exit status 13", () => {
    const r = run("await new Promise(() => {});");
    expect(r.status).to.equal(13);
  });

  it("a loop with nothing pending resolves 1 and the program ends", () => {
    const r = run(
      "const base = ev.event_base_new();\nconsole.log('dispatch', await ev.event_base_dispatch(base));",
    );
    expect(r).to.include({ status: 0, out: "dispatch 1\n" });
  });

  it("a timer alone keeps Node alive until it fires", () => {
    const r = run(`
const base = ev.event_base_new();
const t = ev.evtimer_new(base, () => console.log("timer"), null);
ev.evtimer_add(t, tv(80));
console.log("dispatch", await ev.event_base_dispatch(base));`);
    expect(r).to.include({ status: 0, out: "timer\ndispatch 1\n" });
  });

  it("a persistent timer keeps Node alive across its calls", () => {
    const r = run(`
const base = ev.event_base_new();
let n = 0;
const t = ev.event_new(base, -1, ev.EV_PERSIST, () => { console.log("tick", ++n); if (n === 3) ev.event_del(t); }, null);
ev.evtimer_add(t, tv(20));
console.log("dispatch", await ev.event_base_dispatch(base));`);
    expect(r).to.include({ status: 0, out: "tick 1\ntick 2\ntick 3\ndispatch 1\n" });
  });

  it("a signal event alone keeps Node alive until the parent sends the signal", async () => {
    const body = child(`
const base = ev.event_base_new();
const s = ev.evsignal_new(base, 12, (fd, what) => { console.log("signal", fd, what); ev.event_del(s); }, null);
ev.evsignal_add(s, null);
console.log("ready");
console.log("dispatch", await ev.event_base_dispatch(base));`);
    const p = spawn(process.execPath, ["--input-type=module", "-e", body], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const done = new Promise<number | null>((resolve) => p.on("exit", (code) => resolve(code)));
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (d: string) => {
      out += d;
      // Wait a while first: the child must stay alive with nothing but the signal pending.
      if (d.includes("ready")) setTimeout(() => p.kill("SIGUSR2"), 200);
    });
    const killer = setTimeout(() => p.kill("SIGKILL"), 15000);
    const code = await done;
    clearTimeout(killer);
    expect(code).to.equal(0);
    expect(out).to.equal("ready\nsignal 12 8\ndispatch 1\n");
  });

  it("EVLOOP_NO_EXIT_ON_EMPTY keeps Node alive with nothing pending, until a loopexit timer", () => {
    const r = run(`
const base = ev.event_base_new();
ev.event_base_loopexit(base, tv(60));
console.log("loop", await ev.event_base_loop(base, ev.EVLOOP_NO_EXIT_ON_EMPTY), ev.event_base_got_exit(base));`);
    expect(r).to.include({ status: 0, out: "loop 0 1\n" });
  });

  it("EVLOOP_NO_EXIT_ON_EMPTY keeps Node alive with no event at all, until a loopbreak from Node", () => {
    // The only Node timer is unref'd: the waiting loop alone must hold the process.
    const r = run(`
const base = ev.event_base_new();
setTimeout(() => ev.event_base_loopbreak(base), 60).unref();
console.log("loop", await ev.event_base_loop(base, ev.EVLOOP_NO_EXIT_ON_EMPTY), ev.event_base_got_break(base));`);
    expect(r).to.include({ status: 0, out: "loop 0 1\n" });
  });

  it("an event activated from Node wakes the waiting loop", () => {
    const r = run(`
const base = ev.event_base_new();
const e = ev.event_new(base, -1, ev.EV_READ | ev.EV_PERSIST, (fd, what) => { console.log("active", what); ev.event_del(e); }, null);
ev.event_add(e, null); // fd -1: pending, never ready by itself
setTimeout(() => ev.event_active(e, ev.EV_READ, 0), 40).unref();
console.log("dispatch", await ev.event_base_dispatch(base));`);
    expect(r).to.include({ status: 0, out: "active 2\ndispatch 1\n" });
  });

  it("after the loop returns, pending timers and signal events do not keep Node alive", () => {
    const r = run(`
const base = ev.event_base_new();
const t = ev.evtimer_new(base, () => console.log("never"), null);
ev.evtimer_add(t, tv(60000));
const s = ev.evsignal_new(base, 12, () => {}, null);
ev.evsignal_add(s, null);
const e = ev.event_new(base, -1, ev.EV_READ, () => {}, null);
ev.event_add(e, null);
ev.event_base_loopexit(base, tv(30));
console.log("dispatch", await ev.event_base_dispatch(base));
console.log("pending", ev.event_pending(t, ev.EV_TIMEOUT, null), ev.event_pending(s, ev.EV_SIGNAL, null));`);
    // Exits at once (a hang would hit spawnSync's timeout and show as a signal).
    expect(r).to.include({ status: 0, signal: null, out: "dispatch 0\npending 1 8\n" });
  });

  it("a reentrant dispatch from a callback resolves -1 and warns", () => {
    const r = run(`
const base = ev.event_base_new();
let inner;
const e = ev.event_new(base, -1, 0, () => { inner = ev.event_base_dispatch(base); }, null);
ev.event_active(e, ev.EV_READ, 0);
console.log("outer", await ev.event_base_dispatch(base), "inner", await inner);`);
    expect(r).to.include({ status: 0, out: "outer 1 inner -1\n" });
    expect(r.err).to.equal(
      "[warn] event_base_loop: reentrant invocation.  Only one event_base_loop can run on each event_base at once.\n",
    );
  });
});
