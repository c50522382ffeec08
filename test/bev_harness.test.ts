// The C-vs-TypeScript trace harness of the bufferevent tests: a C program
// of test/c/bev_*.c and its line-by-line port print the same trace. The port
// prints through `printf` of a Trace (C's formatting, collected in memory).
import { expect } from "chai";
import { spawn } from "node:child_process";
import { setLogCallback } from "../src/core/log.js";
import { cformat } from "../src/core/printf.js";
import { evthread_set_lock_callbacks, evthread_use_pthreads } from "../src/event2/thread.js";
import { buildC, runC } from "./support/cc.js";

export class Trace {
  out = "";
  printf = (fmt: string, ...a: unknown[]): void => {
    const b = cformat(fmt, a);
    if (b === null) throw new Error(`bad format ${fmt}`);
    this.out += b.toString("latin1");
  };
}

/** Builds and runs test/c/<name>.c; its stdout. */
export function cTrace(name: string, argv: string[] = []): string {
  return runC(buildC(name), argv);
}

/** Like cTrace, without blocking Node's loop (for C programs that talk to sockets this process owns). */
export function cTraceAsync(name: string, argv: string[] = [], timeoutMs = 20000): Promise<string> {
  const bin = buildC(name);
  return new Promise((resolve, reject) => {
    const p = spawn(bin, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => {
      if (out.length < 1 << 20) out += d.toString("latin1");
    });
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("close", (code, sig) =>
      code === 0 ? resolve(out) : reject(new Error(`${name} exited ${code} ${sig ?? ""}: ${err}`)),
    );
  });
}

/** Line-by-line comparison, so a failure shows the first lines that differ. */
export function expectSameTrace(ts: string, c: string): void {
  expect(ts.split("\n")).to.deep.equal(c.split("\n"));
}

/**
 * Runs `fn` with lock callbacks installed (what BEV_OPT_THREADSAFE needs),
 * then removes them again so later tests see a fresh process.
 */
export async function withThreads<T>(fn: () => T | Promise<T>): Promise<T> {
  evthread_use_pthreads();
  try {
    return await fn();
  } finally {
    // libevent warns that disabling locks late "will probably not work"; a test may.
    setLogCallback(() => {});
    evthread_set_lock_callbacks(null);
    setLogCallback(null);
  }
}

describe("bufferevent trace harness", () => {
  it("formats like C's printf", () => {
    const t = new Trace();
    t.printf("%s=%d 0x%x %zu %zd\n", "a", -1, 0x11, 7, -1);
    expect(t.out).to.equal("a=-1 0x11 7 -1\n");
  });
});
