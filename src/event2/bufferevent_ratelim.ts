// The rate-limit part of event2/bufferevent.h: token bucket configurations,
// per-bufferevent limits and rate-limit groups. Thin: checks arguments and
// calls src/core/bufferevent_ratelim.ts.
//
// C mapping: `struct ev_token_bucket_cfg *` is a TokenBucketCfg, `struct
// bufferevent_rate_limit_group *` a RateLimitGroup; `ev_uint64_t *` out
// parameters are `{ value }` boxes or null. Where libevent asserts (a
// decrement without a cfg, freeing a group that still has members) or would
// divide by zero (using a tick shorter than 1 ms), an Error is thrown instead.
import * as args from "../args.js";
import { BufferEvent } from "../core/bufferevent.js";
import { Dir, RateLimit, RateLimitGroup, TokenBucketCfg } from "../core/bufferevent_ratelim.js";
import type { EventBase } from "../core/event_base.js";
import type { Timeval } from "../core/time.js";
import * as checks from "./checks.js";

export type ev_token_bucket_cfg = TokenBucketCfg;
export type bufferevent_rate_limit_group = RateLimitGroup;

// ---- argument checks ----

function bev(fn: string, v: unknown): BufferEvent {
  return args.obj(fn, "bev", v, BufferEvent, "struct bufferevent");
}

/**
 * A cfg the buckets can use. Under 1 ms libevent divides by its
 * msec_per_tick of 0; a negative tick_len would refill in a busy loop.
 */
function cfgArg(fn: string, v: unknown, arg = "cfg"): TokenBucketCfg {
  const cfg = args.obj(fn, arg, v, TokenBucketCfg, "struct ev_token_bucket_cfg");
  if (cfg.msecPerTick === 0 || cfg.tickUs < 1000)
    throw args.rangeError(
      fn,
      arg,
      "has a tick_len under 1 ms (libevent would divide by zero or spin)",
    );
  return cfg;
}

function group(fn: string, v: unknown, arg: string): RateLimitGroup {
  return args.obj(fn, arg, v, RateLimitGroup, "struct bufferevent_rate_limit_group");
}

/** The bufferevent's limiter, where libevent asserts that a cfg is set. */
function limited(fn: string, v: unknown): RateLimit {
  const rl = RateLimit.find(bev(fn, v));
  if (!rl?.cfg) throw new Error(`${fn}: argument 'bev' has no rate limit (libevent asserts)`);
  return rl;
}

// ---- configurations ----

/** null where libevent returns NULL: a rate under 1, a rate above its burst, a value above EV_RATE_LIMIT_MAX. */
export function ev_token_bucket_cfg_new(
  read_rate: number,
  read_burst: number,
  write_rate: number,
  write_burst: number,
  tick_len: Timeval | null,
): ev_token_bucket_cfg | null {
  const fn = "ev_token_bucket_cfg_new";
  const rr = args.size(fn, "read_rate", read_rate);
  const rb = args.size(fn, "read_burst", read_burst);
  const wr = args.size(fn, "write_rate", write_rate);
  const wb = args.size(fn, "write_burst", write_burst);
  const tick = checks.timeval(fn, tick_len, "tick_len") === null ? null : tick_len;
  return TokenBucketCfg.create(rr, rb, wr, wb, tick);
}

/** NULL is accepted, as free(NULL) is. The cfg must no longer be in use (libevent does not count references). */
export function ev_token_bucket_cfg_free(cfg: ev_token_bucket_cfg | null): void {
  if (cfg === null || cfg === undefined) return;
  args.obj(
    "ev_token_bucket_cfg_free",
    "cfg",
    cfg,
    TokenBucketCfg,
    "struct ev_token_bucket_cfg",
  ).freed = true;
}

// ---- per-bufferevent limits ----

/** cfg null removes the limit. Always 0. */
export function bufferevent_set_rate_limit(
  bev_: BufferEvent,
  cfg: ev_token_bucket_cfg | null,
): number {
  const fn = "bufferevent_set_rate_limit";
  const b = bev(fn, bev_);
  RateLimit.set(b, cfg === null || cfg === undefined ? null : cfgArg(fn, cfg));
  return 0;
}

export function bufferevent_get_token_bucket_cfg(bev_: BufferEvent): ev_token_bucket_cfg | null {
  return RateLimit.find(bev("bufferevent_get_token_bucket_cfg", bev_))?.cfg ?? null;
}

/** The bufferevent's own bucket (possibly negative); EV_SSIZE_MAX without a limit. */
export function bufferevent_get_read_limit(bev_: BufferEvent): number {
  return RateLimit.limitOf(bev("bufferevent_get_read_limit", bev_), Dir.Read);
}

export function bufferevent_get_write_limit(bev_: BufferEvent): number {
  return RateLimit.limitOf(bev("bufferevent_get_write_limit", bev_), Dir.Write);
}

/** decr may be negative (a refill). Throws without a rate limit, where libevent asserts. 0. */
export function bufferevent_decrement_read_limit(bev_: BufferEvent, decr: number): number {
  const fn = "bufferevent_decrement_read_limit";
  limited(fn, bev_).decrement(Dir.Read, args.ssize(fn, "decr", decr));
  return 0;
}

export function bufferevent_decrement_write_limit(bev_: BufferEvent, decr: number): number {
  const fn = "bufferevent_decrement_write_limit";
  limited(fn, bev_).decrement(Dir.Write, args.ssize(fn, "decr", decr));
  return 0;
}

// ---- groups ----

/** NULL base = the current base. The group's refill timer keeps the loop running until it is freed. */
export function bufferevent_rate_limit_group_new(
  base: EventBase | null,
  cfg: ev_token_bucket_cfg,
): bufferevent_rate_limit_group {
  const fn = "bufferevent_rate_limit_group_new";
  const b = checks.baseOrCurrent(fn, base);
  return new RateLimitGroup(b, cfgArg(fn, cfg));
}

/** -1 if either is NULL, else 0. */
export function bufferevent_rate_limit_group_set_cfg(
  g: bufferevent_rate_limit_group | null,
  cfg: ev_token_bucket_cfg | null,
): number {
  const fn = "bufferevent_rate_limit_group_set_cfg";
  if (g === null || g === undefined || cfg === null || cfg === undefined) return -1;
  group(fn, g, "g").setCfg(cfgArg(fn, cfg));
  return 0;
}

/** -1 if share exceeds EV_SSIZE_MAX, else 0. */
export function bufferevent_rate_limit_group_set_min_share(
  g: bufferevent_rate_limit_group,
  share: number,
): number {
  const fn = "bufferevent_rate_limit_group_set_min_share";
  return group(fn, g, "g").setMinShare(args.size(fn, "share", share));
}

/** Throws while members remain, where libevent asserts. */
export function bufferevent_rate_limit_group_free(g: bufferevent_rate_limit_group): void {
  const fn = "bufferevent_rate_limit_group_free";
  const grp = group(fn, g, "g");
  const n = grp.members.length;
  if (n) throw new Error(`${fn}: argument 'g' still has ${n} member(s) (libevent asserts)`);
  grp.free();
}

/** g null removes bev from its group (the header's promise; 2.1.12 crashes when bev has one). 0. */
export function bufferevent_add_to_rate_limit_group(
  bev_: BufferEvent,
  g: bufferevent_rate_limit_group | null,
): number {
  const fn = "bufferevent_add_to_rate_limit_group";
  const b = bev(fn, bev_);
  if (g === null || g === undefined) RateLimitGroup.leave(b);
  else group(fn, g, "g").add(RateLimit.of(b));
  return 0;
}

export function bufferevent_remove_from_rate_limit_group(bev_: BufferEvent): number {
  RateLimitGroup.leave(bev("bufferevent_remove_from_rate_limit_group", bev_));
  return 0;
}

/** The group's bucket, possibly negative. */
export function bufferevent_rate_limit_group_get_read_limit(
  grp: bufferevent_rate_limit_group,
): number {
  return group("bufferevent_rate_limit_group_get_read_limit", grp, "grp").bucket.limit[Dir.Read];
}

export function bufferevent_rate_limit_group_get_write_limit(
  grp: bufferevent_rate_limit_group,
): number {
  return group("bufferevent_rate_limit_group_get_write_limit", grp, "grp").bucket.limit[Dir.Write];
}

/** Suspends or resumes every member when the bucket crosses 0; the totals do not change. 0. */
export function bufferevent_rate_limit_group_decrement_read(
  grp: bufferevent_rate_limit_group,
  decr: number,
): number {
  const fn = "bufferevent_rate_limit_group_decrement_read";
  group(fn, grp, "grp").decrement(Dir.Read, args.ssize(fn, "decr", decr));
  return 0;
}

export function bufferevent_rate_limit_group_decrement_write(
  grp: bufferevent_rate_limit_group,
  decr: number,
): number {
  const fn = "bufferevent_rate_limit_group_decrement_write";
  group(fn, grp, "grp").decrement(Dir.Write, args.ssize(fn, "decr", decr));
  return 0;
}

/** Bytes the members moved since the last reset, into `{ value }` boxes (either may be null). */
export function bufferevent_rate_limit_group_get_totals(
  grp: bufferevent_rate_limit_group,
  total_read_out: { value: number } | null,
  total_written_out: { value: number } | null,
): void {
  const fn = "bufferevent_rate_limit_group_get_totals";
  const g = group(fn, grp, "grp");
  const r = checks.box<number>(fn, total_read_out, "total_read_out");
  const w = checks.box<number>(fn, total_written_out, "total_written_out");
  if (r) r.value = g.totals[Dir.Read];
  if (w) w.value = g.totals[Dir.Write];
}

export function bufferevent_rate_limit_group_reset_totals(grp: bufferevent_rate_limit_group): void {
  group("bufferevent_rate_limit_group_reset_totals", grp, "grp").resetTotals();
}
