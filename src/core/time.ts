// Clocks. Timers run on a monotonic microsecond clock (libevent uses
// CLOCK_MONOTONIC); the cached wall-clock time is what
// event_base_gettimeofday_cached reports.
import { performance } from "node:perf_hooks";

export interface Timeval {
  tv_sec: number;
  tv_usec: number;
}

/** Monotonic time in microseconds. */
export function monotonicUs(): number {
  return Math.floor(performance.now() * 1000);
}

/** Wall-clock time in microseconds since the epoch, with sub-millisecond precision. */
export function wallUs(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

export function timevalToUs(tv: Timeval): number {
  return tv.tv_sec * 1_000_000 + tv.tv_usec;
}

export function usToTimeval(us: number, out: Partial<Timeval> = {}): Timeval {
  const sec = Math.floor(us / 1_000_000);
  out.tv_sec = sec;
  out.tv_usec = us - sec * 1_000_000;
  return out as Timeval;
}
