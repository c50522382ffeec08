// Clocks. Timers run on a monotonic microsecond clock (libevent uses
// CLOCK_MONOTONIC); wall-clock time (event_base_gettimeofday_cached,
// event_pending's tv) is that clock plus a fixed offset, as libevent adds
// tv_clock_diff.
//
// A virtual clock can replace both for differential tests: it stands still
// while callbacks run and jumps only when a loop would sleep until a timer,
// exactly as the C twins of those tests make libevent's clock behave. Then a
// trace with 0-3 ms timers is a pure function of its script on both sides.
import { performance } from "node:perf_hooks";

export interface Timeval {
  tv_sec: number;
  tv_usec: number;
}

/** Virtual monotonic time in µs, or -1 when the real clock runs. */
let virtualUs = -1;
/** Wall clock minus monotonic clock, µs. */
let wallOffsetUs = Math.round(performance.timeOrigin * 1000);
const realWallOffsetUs = wallOffsetUs;

/** Monotonic time in microseconds. */
export function monotonicUs(): number {
  return virtualUs >= 0 ? virtualUs : Math.floor(performance.now() * 1000);
}

/** Wall-clock time in microseconds since the epoch. */
export function wallUs(): number {
  return monotonicUs() + wallOffsetUs;
}

/** Wall time of a monotonic instant. */
export function monoToWallUs(mono: number): number {
  return mono + wallOffsetUs;
}

/** Test hook: run every base on a virtual clock starting at `startUs` (monotonic) and `wallStartUs`; null returns to real time. */
export function setVirtualClock(startUs: number | null, wallStartUs = 0): void {
  if (startUs === null) {
    virtualUs = -1;
    wallOffsetUs = realWallOffsetUs;
  } else {
    virtualUs = startUs;
    wallOffsetUs = wallStartUs - startUs;
  }
}

export function virtualClockOn(): boolean {
  return virtualUs >= 0;
}

/** What a sleep of `us` does on the virtual clock: time jumps by the whole milliseconds epoll would wait. */
export function sleepVirtual(us: number): void {
  virtualUs += Math.ceil(us / 1000) * 1000;
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
