// Differential tests of the event loop against libevent 2.1.12: the C program
// test/c/loop_trace.c and its line-by-line port test/loop_trace.ts print one
// line per callback and return value; their outputs must be identical.
//  - "scenarios": numbered scenarios on the real clock, written so that their
//    output does not depend on timing.
//  - "random": seeded scripts of >= 10,000 operations (activate, add a 0-3 ms
//    timer, delete, set priorities, pending, counts, loopbreak/-exit/-continue,
//    event_base_once, re-assign, finalize, free_finalize, remove_timer,
//    active_by_fd, foreach order, cached time, loop flags) run by
//    both on the same virtual clock. LOOP_TRACE_SEED=n reruns one seed.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildC, projectRoot, runC } from "./support/cc.js";

const port = join(projectRoot, "dist", "test", "loop_trace.js");

function runPort(mode: string, input?: string): string {
  const r = spawnSync(process.execPath, [port, mode], {
    input,
    encoding: "utf8",
    timeout: 30000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`loop_trace.js exited ${r.status} ${r.signal ?? ""}: ${r.stderr}`);
  return r.stdout;
}

/** Asserts equal traces, reporting the first difference with context. */
function sameTrace(ts: string, c: string, what: string): void {
  const a = ts.split("\n"),
    b = c.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  const at = i < 0 && a.length !== b.length ? Math.min(a.length, b.length) : i;
  if (at < 0) return;
  const ctx = (l: string[]) => l.slice(Math.max(0, at - 8), at + 3).join("\n");
  expect.fail(
    `${what}: traces differ at line ${at + 1}\n--- libevent:\n${ctx(b)}\n--- port:\n${ctx(a)}`,
  );
}

/** mulberry32: a small seeded PRNG, the same on every machine. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOOP_FLAGS = [0, 1, 2, 3, 4, 5, 6, 0, 1, 2];

/** A script of main lines (ops, then `L flags`) and callback lines, with at least `minOps` operations. */
export function genScript(
  seed: number,
  npri: number,
  minOps: number,
): { text: string; ops: number } {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]) => a[int(a.length)];
  const ev = () => int(16);
  const delay = () => pick([-1, 0, 0, 1, 2, 3]);
  let onceId = 100;
  const ops: [number, () => string][] = [
    [8, () => `a ${ev()} ${pick([0, 1, 2, 3, 4, 6])}`],
    [8, () => `t ${ev()} ${delay()}`],
    [2, () => `d ${ev()}`],
    [1.5, () => `p ${ev()} ${int(npri + 2) - 1}`],
    [2, () => `q ${ev()}`],
    [1, () => "c"],
    [0.25, () => "b"],
    [0.5, () => "k"],
    [0.25, () => `x ${delay()}`],
    [1.5, () => `o ${onceId++} ${delay()}`],
    [0.8, () => `r ${ev()} ${int(4)}`],
    [0.3, () => `f ${ev()}`],
    [0.2, () => `F ${ev()}`],
    [0.4, () => `m ${ev()}`],
    [0.15, () => "g"],
    [0.3, () => "v"],
    [0.6, () => "s"],
    [0.2, () => "u"],
  ];
  const total = ops.reduce((s, [w]) => s + w, 0);
  const op = () => {
    let r = rnd() * total;
    for (const [w, f] of ops) if ((r -= w) < 0) return f();
    return ops[0][1]();
  };
  const mains: string[] = [],
    cbs: string[] = [];
  let n = 0;
  while (n < minOps) {
    if (int(10) === 0) {
      const line: string[] = [];
      for (let k = 1 + int(6); k > 0; k--)
        line.push(int(25) === 0 ? `P ${pick([1, 2, 3, 5, 8])}` : op());
      line.push(`L ${pick(LOOP_FLAGS)}`);
      mains.push(line.join(" "));
      n += line.length;
    } else {
      const line: string[] = [];
      for (let k = int(6); k > 0; k--) line.push(op());
      cbs.push(line.join(" "));
      n += line.length;
    }
  }
  const text = `npri ${npri} mains ${mains.length} cbs ${cbs.length}\n${mains.join("\n")}\n${cbs.join("\n")}\n`;
  return { text, ops: n };
}

describe("event loop vs libevent 2.1.12 (loop_trace)", function () {
  this.timeout(60000);
  let bin = "";
  before(() => {
    bin = buildC("loop_trace");
  });

  it("runs the numbered scenarios identically", () => {
    const c = runC(bin, ["scenarios"]);
    expect(c).to.match(/^done$/m);
    sameTrace(runPort("scenarios"), c, "scenarios");
  });

  const seedEnv = process.env.LOOP_TRACE_SEED;
  const seeds = seedEnv ? [Number(seedEnv)] : [20201, 31337, 7];
  for (const [k, seed] of seeds.entries()) {
    const npri = [1, 3, 5][k % 3];
    it(`runs random script seed=${seed} (${npri} priorities, >= 10,000 operations) identically`, () => {
      const { text, ops } = genScript(seed, npri, 10000);
      expect(ops).to.be.at.least(10000);
      const dir = join(projectRoot, "build", "loop_trace");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `script_${seed}.txt`), text); // to rerun by hand
      const c = runC(bin, ["random"], text, 30000);
      expect(c).to.match(/^done$/m);
      const [, used, of] = /^used (\d+) of (\d+) callback lines$/m.exec(c)!.map(Number);
      expect(used, "callback lines run").to.equal(of);
      sameTrace(runPort("random", text), c, `random seed ${seed}`);
    });
  }
});
