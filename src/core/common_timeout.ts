// Common timeouts (event_base_init_common_timeout). libevent hands out a
// timeval whose tv_usec carries a magic tag and the timeout's index on top of
// the microseconds; event_add recognises such a timeval by its bits (a copy
// works too) and uses the duration below them. The scheduling optimisation
// behind it does not change what a program observes, so only the encoding is
// kept: the same duration gives back the same object, as C gets the same
// pointer.
import { warn } from "./log.js";
import type { Timeval } from "./time.js";

const MICROSECONDS_MASK = 0x000fffff;
const IDX_MASK = 0x0ff00000;
const IDX_SHIFT = 20;
const MAGIC_MASK = 0xf0000000;
const MAGIC = 0x50000000;
const MAX_COMMON_TIMEOUTS = 256;

export class CommonTimeouts {
  private readonly list: Timeval[] = [];

  /** The index of a common-timeout timeval of this base, or -1. */
  private indexOf(tv: Timeval): number {
    const u = tv.tv_usec;
    if (!Number.isInteger(u) || (u & MAGIC_MASK) !== MAGIC) return -1;
    const i = (u & IDX_MASK) >>> IDX_SHIFT;
    return i < this.list.length ? i : -1;
  }

  /** event_base_init_common_timeout: the timeval for `duration`; null once 256 are in use. */
  get(duration: Timeval): Timeval | null {
    let sec = duration.tv_sec;
    let usec = duration.tv_usec;
    if (this.indexOf(duration) >= 0) usec &= MICROSECONDS_MASK;
    if (usec > 1_000_000) {
      sec += Math.floor(usec / 1_000_000);
      usec %= 1_000_000;
    }
    for (const c of this.list)
      if (c.tv_sec === sec && (c.tv_usec & MICROSECONDS_MASK) === usec) return c;
    if (this.list.length === MAX_COMMON_TIMEOUTS) {
      warn(
        `event_base_init_common_timeout: Too many common timeouts already in use; we only support ${MAX_COMMON_TIMEOUTS} per event_base`,
      );
      return null;
    }
    const c = { tv_sec: sec, tv_usec: usec | MAGIC | (this.list.length << IDX_SHIFT) };
    this.list.push(c);
    return c;
  }

  /** The duration in µs a common-timeout timeval of this base stands for; null for any other timeval. */
  durationUs(tv: Timeval): number | null {
    return this.indexOf(tv) < 0 ? null : tv.tv_sec * 1_000_000 + (tv.tv_usec & MICROSECONDS_MASK);
  }
}
