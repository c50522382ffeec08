// Rate limiting: libevent's bufferevent_ratelim.c. Token buckets refilled
// once per tick of the base's cached wall clock, a per-bufferevent limit
// with its own refill timer, and groups whose members share one bucket.
//
// A bufferevent's RateLimit is its ByteBudget: BufferEvent.maxToRead/Write
// ask it how much may move and the kinds that enforce limits (socket) charge
// it what moved. Kinds that never charge (pair) keep only the suspensions.
// Buckets may go negative ("deficit spending"); a direction whose bucket is
// at or below 0 is suspended (Suspend.BW, Suspend.BW_GROUP) until a refill.
import { BufferEvent, Suspend, type ByteBudget } from "./bufferevent.js";
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { EV_PERSIST } from "./flags.js";
import { timevalToUs, type Timeval } from "./time.js";

/** EV_RATE_LIMIT_MAX (EV_SSIZE_MAX), as a double. */
const RATE_LIMIT_MAX = 2 ** 63;
const INT_MAX = 0x7fffffff;
/** Tick numbers are C's `unsigned`: they wrap at 2^32. */
const TICK_WRAP = 2 ** 32;
/** The low bits of tv_usec that count: libevent masks out its common-timeout tag. */
const USEC_MASK = 0xfffff;
/** A group's min_share until set_min_share changes it. */
const DEFAULT_MIN_SHARE = 64;

/** A direction: the index into each [read, write] pair. */
export const enum Dir {
  Read = 0,
  Write = 1,
}
const DIRS = [Dir.Read, Dir.Write] as const;

function suspend(bev: BufferEvent, d: Dir, why: Suspend): void {
  if (d === Dir.Read) bev.suspendRead(why);
  else bev.suspendWrite(why);
}

function unsuspend(bev: BufferEvent, d: Dir, why: Suspend): void {
  if (d === Dir.Read) bev.unsuspendRead(why);
  else bev.unsuspendWrite(why);
}

function suspendedBy(bev: BufferEvent, d: Dir, why: Suspend): boolean {
  return ((d === Dir.Read ? bev.readSuspended : bev.writeSuspended) & why) !== 0;
}

/** struct ev_token_bucket_cfg: rates and bursts per direction, and the tick. */
export class TokenBucketCfg {
  freed = false;

  constructor(
    /** Bytes added per tick: [read, write]. */
    readonly rate: readonly [number, number],
    /** The most a bucket holds after a refill (the burst): [read, write]. */
    readonly maximum: readonly [number, number],
    readonly tickTimeout: Readonly<Timeval>,
    /** Whole milliseconds per tick; 0 when tick_len is under 1 ms. */
    readonly msecPerTick: number,
  ) {}

  /** ev_token_bucket_cfg_new: null for a rate under 1, a rate above its burst, or a value above EV_RATE_LIMIT_MAX. */
  static create(
    readRate: number,
    readBurst: number,
    writeRate: number,
    writeBurst: number,
    tickLen: Timeval | null,
  ): TokenBucketCfg | null {
    if (readRate > readBurst || writeRate > writeBurst || readRate < 1 || writeRate < 1)
      return null;
    if (Math.max(readRate, readBurst, writeRate, writeBurst) > RATE_LIMIT_MAX) return null;
    const tv = tickLen
      ? { tv_sec: tickLen.tv_sec, tv_usec: tickLen.tv_usec }
      : { tv_sec: 1, tv_usec: 0 };
    // C computes this in `unsigned`: sub-millisecond fractions are dropped.
    const msec = (tv.tv_sec * 1000 + Math.trunc((tv.tv_usec & USEC_MASK) / 1000)) >>> 0;
    return new TokenBucketCfg([readRate, writeRate], [readBurst, writeBurst], tv, msec);
  }

  /** A group keeps its own copy (libevent memcpys the cfg into the group). */
  copy(): TokenBucketCfg {
    return new TokenBucketCfg(this.rate, this.maximum, { ...this.tickTimeout }, this.msecPerTick);
  }

  /** ev_token_bucket_get_tick_: the tick a wall-clock instant (µs) falls in. */
  tickAt(wallUs: number): number {
    return Math.floor(Math.floor(wallUs / 1000) / this.msecPerTick) % TICK_WRAP;
  }

  /** The refill timers' period, µs. */
  get tickUs(): number {
    return Math.max(0, timevalToUs(this.tickTimeout));
  }

  sameTick(other: TokenBucketCfg): boolean {
    const a = this.tickTimeout;
    const b = other.tickTimeout;
    return a.tv_sec === b.tv_sec && a.tv_usec === b.tv_usec;
  }
}

/** struct ev_token_bucket: the bytes each direction may still move, and the tick of the last refill. */
class TokenBucket {
  readonly limit: [number, number] = [0, 0];
  lastUpdated = 0;

  /** A new bucket starts at the rate, not the burst. */
  reset(cfg: TokenBucketCfg, tick: number): void {
    this.limit[Dir.Read] = cfg.rate[Dir.Read];
    this.limit[Dir.Write] = cfg.rate[Dir.Write];
    this.lastUpdated = tick;
  }

  /** A new cfg for a bucket in use only clips it down to the new bursts. */
  clip(cfg: TokenBucketCfg): void {
    for (const d of DIRS) if (this.limit[d] > cfg.maximum[d]) this.limit[d] = cfg.maximum[d];
  }

  /**
   * ev_token_bucket_update_: adds a rate per tick gone by, up to the burst.
   * No ticks, or time gone backwards (more than INT_MAX ticks), changes
   * nothing. A bucket a negative decrement pushed above its burst keeps
   * growing: C's unsigned `burst - limit` wraps and never caps it.
   */
  update(cfg: TokenBucketCfg, tick: number): void {
    const n = (tick - this.lastUpdated) >>> 0;
    if (n === 0 || n > INT_MAX) return;
    for (const d of DIRS) {
      const grown = this.limit[d] + n * cfg.rate[d];
      this.limit[d] = this.limit[d] > cfg.maximum[d] ? grown : Math.min(grown, cfg.maximum[d]);
    }
    this.lastUpdated = tick;
  }
}

const bevRefillCb = (_fd: number, _what: number, rl: RateLimit) => rl.refill();
const groupRefillCb = (_fd: number, _what: number, g: RateLimitGroup) => g.refill();

/**
 * struct bufferevent_rate_limit: a bufferevent's own bucket (while a cfg is
 * set) and its group (while it is a member). Made on first use; lives until
 * the bufferevent is released.
 */
export class RateLimit implements ByteBudget {
  cfg: TokenBucketCfg | null = null;
  readonly bucket = new TokenBucket();
  group: RateLimitGroup | null = null;
  /** One tick after a bucket ran dry (an ordinary timer: it keeps dispatch running). */
  private readonly refillEv: Event;

  private constructor(readonly bev: BufferEvent) {
    this.refillEv = new Event(bev.base, -1, 0, bevRefillCb, this);
  }

  static find(bev: BufferEvent): RateLimit | null {
    return bev.budget instanceof RateLimit ? bev.budget : null;
  }

  static of(bev: BufferEvent): RateLimit {
    const found = RateLimit.find(bev);
    if (found) return found;
    const rl = new RateLimit(bev);
    bev.budget = rl;
    return rl;
  }

  /** bufferevent_set_rate_limit. */
  static set(bev: BufferEvent, cfg: TokenBucketCfg | null): void {
    if (cfg) RateLimit.of(bev).setCfg(cfg);
    else RateLimit.find(bev)?.clearCfg();
  }

  private get base(): EventBase {
    return this.bev.base;
  }

  private setCfg(cfg: TokenBucketCfg): void {
    if (this.cfg === cfg) return;
    const tick = cfg.tickAt(this.base.wallNow());
    const reinit = this.cfg !== null;
    this.cfg = cfg;
    if (reinit) this.bucket.clip(cfg);
    else this.bucket.reset(cfg, tick);
    // event_assign again: the bufferevent may have moved to another base.
    this.base.del(this.refillEv);
    Event.init(this.refillEv, this.base, -1, 0, bevRefillCb, this);
    let dry = false;
    for (const d of DIRS) {
      if (this.bucket.limit[d] > 0) unsuspend(this.bev, d, Suspend.BW);
      else {
        suspend(this.bev, d, Suspend.BW);
        dry = true;
      }
    }
    if (dry) this.base.add(this.refillEv, cfg.tickUs);
  }

  private clearCfg(): void {
    this.cfg = null;
    unsuspend(this.bev, Dir.Read, Suspend.BW);
    unsuspend(this.bev, Dir.Write, Suspend.BW);
    this.base.del(this.refillEv);
  }

  /** bufferevent_get_read_limit / write_limit: EV_SSIZE_MAX without a cfg; the group is not consulted. */
  static limitOf(bev: BufferEvent, d: Dir): number {
    const rl = RateLimit.find(bev);
    return rl?.cfg ? rl.level(d) : RATE_LIMIT_MAX;
  }

  /** The own bucket after a lazy refill (needs a cfg). */
  private level(d: Dir): number {
    const cfg = this.cfg!;
    this.bucket.update(cfg, cfg.tickAt(this.base.wallNow()));
    return this.bucket.limit[d];
  }

  /**
   * bufferevent_get_rlim_max_: the own bucket (after a lazy refill) in place
   * of max_single_read/write, as libevent has it, then clamped to the group
   * share. BufferEvent floors it at 0.
   */
  private limitFor(d: Dir): number {
    const bev = this.bev;
    let max = this.cfg ? this.level(d) : d === Dir.Read ? bev.maxSingleRead : bev.maxSingleWrite;
    if (this.group) max = Math.min(max, this.group.share(d));
    return max;
  }

  readLimit(): number {
    return this.limitFor(Dir.Read);
  }

  writeLimit(): number {
    return this.limitFor(Dir.Write);
  }

  /** bufferevent_decrement_read/write_buckets_: bytes that really moved. */
  private charge(d: Dir, n: number): void {
    const cfg = this.cfg;
    if (cfg) {
      // Each charge that leaves the bucket dry pushes the refill one tick further.
      if ((this.bucket.limit[d] -= n) <= 0) this.dryUp(d, cfg);
      else if (suspendedBy(this.bev, d, Suspend.BW)) this.wetAgain(d);
    }
    this.group?.charge(d, n);
  }

  chargeRead(_bev: BufferEvent, n: number): void {
    this.charge(Dir.Read, n);
  }

  chargeWrite(_bev: BufferEvent, n: number): void {
    this.charge(Dir.Write, n);
  }

  /** bufferevent_decrement_read/write_limit (needs a cfg): only crossing 0 changes the suspension. */
  decrement(d: Dir, decr: number): void {
    const old = this.bucket.limit[d];
    const now = (this.bucket.limit[d] -= decr);
    if (old > 0 && now <= 0) this.dryUp(d, this.cfg!);
    else if (old <= 0 && now > 0) this.wetAgain(d);
  }

  private dryUp(d: Dir, cfg: TokenBucketCfg): void {
    suspend(this.bev, d, Suspend.BW);
    this.base.add(this.refillEv, cfg.tickUs);
  }

  private wetAgain(d: Dir): void {
    if (!suspendedBy(this.bev, d === Dir.Read ? Dir.Write : Dir.Read, Suspend.BW))
      this.base.del(this.refillEv);
    unsuspend(this.bev, d, Suspend.BW);
  }

  /** bev_refill_callback_: refills, resumes what has bytes again, waits another tick for the rest. */
  refill(): void {
    const cfg = this.cfg!;
    this.bucket.update(cfg, cfg.tickAt(this.base.wallNow()));
    let again = false;
    for (const d of DIRS) {
      if (!suspendedBy(this.bev, d, Suspend.BW)) continue;
      if (this.bucket.limit[d] > 0) unsuspend(this.bev, d, Suspend.BW);
      else again = true;
    }
    if (again) this.base.add(this.refillEv, cfg.tickUs);
  }

  /** The bufferevent is released: leave the group (no resumes) and stop the timer now. */
  release(): void {
    this.group?.remove(this);
    this.base.del(this.refillEv);
  }
}

/** libevent's weak LCG (glibc's TYPE_0): picks where a group's resume starts. */
class WeakRand {
  constructor(private seed: number) {}

  /** evutil_weakrand_range_: 0 <= result < top, from the high bits. */
  range(top: number): number {
    const divisor = Math.floor(INT_MAX / top);
    let r: number;
    do {
      this.seed = (Math.imul(this.seed, 1103515245) + 12345) & INT_MAX;
      r = Math.floor(this.seed / divisor);
    } while (r >= top);
    return r;
  }
}

/** Stands in for the group's address in the random seed. */
let groupSerial = 0;

/** struct bufferevent_rate_limit_group: one bucket shared by its members, refilled by a persistent timer. */
export class RateLimitGroup {
  freed = false;
  cfg: TokenBucketCfg;
  readonly bucket = new TokenBucket();
  /** Newest first (LIST_INSERT_HEAD). */
  readonly members: RateLimit[] = [];
  readonly suspended: [boolean, boolean] = [false, false];
  private configuredMinShare = 0;
  minShare = 0;
  /** Bytes members moved since the last reset: [read, written]. */
  readonly totals: [number, number] = [0, 0];
  private readonly refillEv: Event;
  private readonly rand: WeakRand;

  /** bufferevent_rate_limit_group_new: the bucket starts at the rate; the timer runs from now on. */
  constructor(
    private readonly base: EventBase,
    cfg: TokenBucketCfg,
  ) {
    const now = base.wallNow();
    this.cfg = cfg.copy();
    this.bucket.reset(cfg, cfg.tickAt(now));
    this.refillEv = new Event(base, -1, EV_PERSIST, groupRefillCb, this);
    base.add(this.refillEv, cfg.tickUs);
    this.setMinShare(DEFAULT_MIN_SHARE);
    const sec = Math.floor(now / 1e6);
    this.rand = new WeakRand(
      (sec + (now - sec * 1e6) + Math.imul(++groupSerial, 0x9e3779b9)) >>> 0,
    );
  }

  /** bufferevent_rate_limit_group_set_cfg: clips the bucket, restarts the timer if the tick changed. */
  setCfg(cfg: TokenBucketCfg): void {
    const sameTick = this.cfg.sameTick(cfg);
    this.cfg = cfg.copy();
    this.bucket.clip(cfg);
    if (!sameTick) this.base.add(this.refillEv, cfg.tickUs);
    this.setMinShare(this.configuredMinShare);
  }

  /** bufferevent_rate_limit_group_set_min_share: -1 above EV_SSIZE_MAX; the share used never exceeds a rate. */
  setMinShare(share: number): number {
    if (share > RATE_LIMIT_MAX) return -1;
    this.configuredMinShare = share;
    this.minShare = Math.min(share, this.cfg.rate[Dir.Read], this.cfg.rate[Dir.Write]);
    return 0;
  }

  /** What one member may move now: an equal part of the bucket, at least min_share; 0 while suspended. */
  share(d: Dir): number {
    if (this.suspended[d]) return 0;
    return Math.max(Math.trunc(this.bucket.limit[d] / this.members.length), this.minShare);
  }

  /** bufferevent_add_to_rate_limit_group: a member joins at the head, suspended at once if the group is. */
  add(rl: RateLimit): void {
    if (rl.group === this) return;
    if (rl.group) RateLimitGroup.leave(rl.bev);
    rl.group = this;
    this.members.unshift(rl);
    for (const d of DIRS) if (this.suspended[d]) suspend(rl.bev, d, Suspend.BW_GROUP);
  }

  /** bufferevent_remove_from_rate_limit_group: leaves any group, then resumes what the group held. */
  static leave(bev: BufferEvent): void {
    const rl = RateLimit.find(bev);
    if (rl?.group) rl.group.remove(rl);
    unsuspend(bev, Dir.Read, Suspend.BW_GROUP);
    unsuspend(bev, Dir.Write, Suspend.BW_GROUP);
  }

  remove(rl: RateLimit): void {
    this.members.splice(this.members.indexOf(rl), 1);
    rl.group = null;
  }

  charge(d: Dir, n: number): void {
    this.totals[d] += n;
    if ((this.bucket.limit[d] -= n) <= 0) this.suspendAll(d);
    else if (this.suspended[d]) this.resumeAll(d);
  }

  /** bufferevent_rate_limit_group_decrement_read/write: like charging, but not counted in the totals, and only crossing 0 acts. */
  decrement(d: Dir, decr: number): void {
    const old = this.bucket.limit[d];
    const now = (this.bucket.limit[d] -= decr);
    if (old > 0 && now <= 0) this.suspendAll(d);
    else if (old <= 0 && now > 0) this.resumeAll(d);
  }

  resetTotals(): void {
    this.totals[Dir.Read] = this.totals[Dir.Write] = 0;
  }

  private suspendAll(d: Dir): void {
    this.suspended[d] = true;
    for (const rl of this.members) suspend(rl.bev, d, Suspend.BW_GROUP);
  }

  /**
   * Members resume in turn from a randomly chosen one, so none is always
   * first to take the bucket. (libevent retries members it could not lock at
   * the next tick, pending_unsuspend; one thread always can.)
   */
  private resumeAll(d: Dir): void {
    this.suspended[d] = false;
    const members = this.members.slice();
    const n = members.length;
    if (n === 0) return;
    const first = this.rand.range(n);
    for (let i = 0; i < n; i++) unsuspend(members[(first + i) % n]!.bev, d, Suspend.BW_GROUP);
  }

  /** bev_group_refill_callback_: each tick, refill; resume once the bucket holds min_share. */
  refill(): void {
    const cfg = this.cfg;
    this.bucket.update(cfg, cfg.tickAt(this.base.wallNow()));
    for (const d of DIRS)
      if (this.suspended[d] && this.bucket.limit[d] >= this.minShare) this.resumeAll(d);
  }

  /** bufferevent_rate_limit_group_free (the caller checks that no member remains). */
  free(): void {
    this.base.del(this.refillEv);
    this.freed = true;
  }
}
