// <time.h>'s time and clock, and <unistd.h>'s sleep/usleep. The sleeps block the whole
// process, as they block a single-threaded C program: no event fires meanwhile.
import { size } from "../args.js";
import { flushWrites } from "../core/stream_net.js";
import { box } from "../event2/checks.js";

/** Seconds since the Epoch; also stored in the `{ value }` box when one is given. */
export function time(tloc?: { value: number } | null): number {
  const out = box<number>("time", tloc, "tloc");
  const t = Math.floor(Date.now() / 1000);
  if (out) out.value = t;
  return t;
}

/** glibc's CLOCKS_PER_SEC (POSIX fixes it at one million). */
export const CLOCKS_PER_SEC = 1000000;

/** The processor time the process has used, in CLOCKS_PER_SEC units (user + system, as glibc's clock()). */
export function clock(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Returns 0: the whole time was slept (no signal interrupts a blocked Node thread). */
export function sleep(seconds: number): number {
  block(size("sleep", "seconds", seconds) * 1000);
  return 0;
}

export function usleep(usec: number): number {
  block(size("usleep", "usec", usec) / 1000);
  return 0;
}

const cell = new Int32Array(new SharedArrayBuffer(4));

function block(ms: number): void {
  flushWrites();
  if (ms > 0) Atomics.wait(cell, 0, 0, ms);
}
