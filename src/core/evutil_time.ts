// util.h's time helpers: the timeval macros (glibc's timeradd/timersub, which
// normalise only one step, as C does), the monotonic timer, and the RFC 1123
// date HTTP uses.
import { performance } from "node:perf_hooks";
import type { Timeval } from "./time.js";

export const EV_MONOT_PRECISE = 1;
export const EV_MONOT_FALLBACK = 2;

export function timerAdd(a: Timeval, b: Timeval, out: Timeval): void {
  out.tv_sec = a.tv_sec + b.tv_sec;
  out.tv_usec = a.tv_usec + b.tv_usec;
  if (out.tv_usec >= 1_000_000) {
    out.tv_sec++;
    out.tv_usec -= 1_000_000;
  }
}

export function timerSub(a: Timeval, b: Timeval, out: Timeval): void {
  out.tv_sec = a.tv_sec - b.tv_sec;
  out.tv_usec = a.tv_usec - b.tv_usec;
  if (out.tv_usec < 0) {
    out.tv_sec--;
    out.tv_usec += 1_000_000;
  }
}

export type TimerOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

const OPS: Record<TimerOp, (x: number, y: number) => boolean> = {
  "<": (x, y) => x < y,
  "<=": (x, y) => x <= y,
  ">": (x, y) => x > y,
  ">=": (x, y) => x >= y,
  "==": (x, y) => x === y,
  "!=": (x, y) => x !== y,
};

export function isTimerOp(op: unknown): op is TimerOp {
  return typeof op === "string" && Object.hasOwn(OPS, op);
}

/** evutil_timercmp: compares seconds, or microseconds when the seconds are equal; 1 or 0. */
export function timerCmp(a: Timeval, b: Timeval, op: TimerOp): number {
  const f = OPS[op];
  return (a.tv_sec === b.tv_sec ? f(a.tv_usec, b.tv_usec) : f(a.tv_sec, b.tv_sec)) ? 1 : 0;
}

/** Wall-clock time (gettimeofday). */
export function wallClock(out: Timeval): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  out.tv_sec = Math.floor(us / 1e6);
  out.tv_usec = us - out.tv_sec * 1e6;
}

/** CLOCK_MONOTONIC, the clock libevent picks (process.hrtime reads the same clock). */
function monotonicClock(out: Timeval): void {
  const ns = process.hrtime.bigint();
  out.tv_sec = Number(ns / 1_000_000_000n);
  out.tv_usec = Number((ns % 1_000_000_000n) / 1000n);
}

/** struct evutil_monotonic_timer. */
export class MonotonicTimer {
  freed = false;
  /**
   * Which clock: a new (zeroed) timer reads clock 0, CLOCK_REALTIME, as in C
   * until evutil_configure_monotonic_time picks one.
   */
  private clock: "realtime" | "monotonic" | "fallback" = "realtime";
  private adjust: Timeval = { tv_sec: 0, tv_usec: 0 };
  private last: Timeval = { tv_sec: 0, tv_usec: 0 };

  configure(flags: number): number {
    this.clock = flags & EV_MONOT_FALLBACK ? "fallback" : "monotonic";
    return 0;
  }

  get(out: Timeval): number {
    if (this.clock === "monotonic") monotonicClock(out);
    else if (this.clock === "realtime") wallClock(out);
    else this.ratchet(out);
    return 0;
  }

  /** EV_MONOT_FALLBACK: gettimeofday, held from ever going backwards. */
  private ratchet(out: Timeval): void {
    wallClock(out);
    timerAdd(out, this.adjust, out);
    if (timerCmp(out, this.last, "<")) {
      const back: Timeval = { tv_sec: 0, tv_usec: 0 };
      timerSub(this.last, out, back);
      timerAdd(back, this.adjust, this.adjust);
      out.tv_sec = this.last.tv_sec;
      out.tv_usec = this.last.tv_usec;
    }
    this.last = { tv_sec: out.tv_sec, tv_usec: out.tv_usec };
  }
}

/** struct tm, the fields evutil_date_rfc1123 reads. */
export interface Tm {
  tm_sec: number;
  tm_min: number;
  tm_hour: number;
  tm_mday: number;
  tm_mon: number;
  tm_year: number;
  tm_wday: number;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** gmtime_r(time(NULL)). */
export function gmtimeNow(): Tm {
  const d = new Date(Math.floor(Date.now() / 1000) * 1000);
  return {
    tm_sec: d.getUTCSeconds(),
    tm_min: d.getUTCMinutes(),
    tm_hour: d.getUTCHours(),
    tm_mday: d.getUTCDate(),
    tm_mon: d.getUTCMonth(),
    tm_year: d.getUTCFullYear() - 1900,
    tm_wday: d.getUTCDay(),
  };
}

/** The format and arguments evutil_date_rfc1123 hands to evutil_snprintf. */
export function rfc1123Args(tm: Tm): [string, unknown[]] {
  return [
    "%s, %02d %s %4d %02d:%02d:%02d GMT",
    [
      DAYS[tm.tm_wday],
      tm.tm_mday,
      MONTHS[tm.tm_mon],
      1900 + tm.tm_year,
      tm.tm_hour,
      tm.tm_min,
      tm.tm_sec,
    ],
  ];
}
