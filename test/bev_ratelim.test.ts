/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// Rate limiting: the port of test/c/bev_ratelim.c (compared with libevent's
// own trace), and the port's own rules where C would abort or crash.
import { expect } from "chai";
import { EV_SIZE_MAX, EV_SSIZE_MAX } from "../src/args.js";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_WRITE, EVLOOP_NONBLOCK, EVLOOP_ONCE } from "../src/event2/event.js";
import { evbuffer_drain, evbuffer_get_length, evbuffer_remove } from "../src/event2/buffer.js";
import {
  BEV_OPT_CLOSE_ON_FREE,
  EV_RATE_LIMIT_MAX,
  bufferevent_add_to_rate_limit_group,
  bufferevent_decrement_read_limit,
  bufferevent_decrement_write_limit,
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_max_to_read,
  bufferevent_get_max_to_write,
  bufferevent_get_output,
  bufferevent_get_read_limit,
  bufferevent_get_token_bucket_cfg,
  bufferevent_get_write_limit,
  bufferevent_pair_new,
  bufferevent_rate_limit_group_decrement_read,
  bufferevent_rate_limit_group_decrement_write,
  bufferevent_rate_limit_group_free,
  bufferevent_rate_limit_group_get_read_limit,
  bufferevent_rate_limit_group_get_totals,
  bufferevent_rate_limit_group_get_write_limit,
  bufferevent_rate_limit_group_new,
  bufferevent_rate_limit_group_reset_totals,
  bufferevent_rate_limit_group_set_cfg,
  bufferevent_rate_limit_group_set_min_share,
  bufferevent_remove_from_rate_limit_group,
  bufferevent_set_rate_limit,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_write,
  ev_token_bucket_cfg_free,
  bufferevent_set_max_single_read,
  ev_token_bucket_cfg_new,
  type BufferEvent,
  type bufferevent_rate_limit_group,
  type ev_token_bucket_cfg,
} from "../src/event2/bufferevent.js";
import * as root from "../src/index.js";
import {
  AF_UNIX,
  MSG_DONTWAIT,
  SOCK_STREAM,
  evutil_closesocket,
  evutil_gettimeofday,
  evutil_make_socket_nonblocking,
  evutil_socketpair,
  recv,
  send,
} from "../src/event2/util.js";
import { exit, memcmp, memset, perror, usleep } from "../src/libc/index.js";
import { Trace, cTraceAsync, expectSameTrace } from "./bev_harness.test.js";

/** The line-by-line port of test/c/bev_ratelim.c. */
async function bev_ratelim_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;
  let t0 = 0;
  let got = 0;
  let want = 0;
  let in_order: number;

  /* Waits, blocking (nothing may run meanwhile), until `at` ms into a `period` ms slice of the wall clock. */
  function sync_to(period: number, at: number) {
    const tv = { tv_sec: 0, tv_usec: 0 };
    let ms: number;
    evutil_gettimeofday(tv, null);
    ms = (tv.tv_sec % 1000) * 1000 + Math.trunc(tv.tv_usec / 1000);
    usleep(((period + at - (ms % period)) % period) * 1000);
  }

  /* The 100 ms tick the loop's cached time falls in, counted from t0. */
  function tick(): number {
    const tv = { tv_sec: 0, tv_usec: 0 };
    ev.event_base_gettimeofday_cached(base, tv);
    return (Math.floor((tv.tv_sec * 1000 + Math.trunc(tv.tv_usec / 1000)) / 100) - t0) >>> 0;
  }

  function start_ticks() {
    sync_to(100, 5);
    t0 = 0;
    t0 = tick();
  }

  function newpair(fds: number[]) {
    if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
      perror("socketpair");
      exit(1);
    }
    evutil_make_socket_nonblocking(fds[0]);
    evutil_make_socket_nonblocking(fds[1]);
  }

  /* n bytes of the pattern 'a'..'z', starting at position `from` of it. */
  function pattern(buf: Uint8Array, from: number, n: number) {
    let i: number;
    for (i = 0; i < n; i++) buf[i] = 0x61 + ((from + i) % 26);
  }

  function cfg_name(cfg: ev_token_bucket_cfg | null): string {
    if (!cfg) return "NULL";
    ev_token_bucket_cfg_free(cfg);
    return "cfg";
  }

  function limits(label: string, bev: BufferEvent) {
    const r = bufferevent_get_read_limit(bev),
      w = bufferevent_get_write_limit(bev);
    printf("%s: read_limit=", label);
    if (r === EV_SSIZE_MAX) printf("MAX");
    else printf("%zd", r);
    printf(" write_limit=");
    if (w === EV_SSIZE_MAX) printf("MAX");
    else printf("%zd", w);
    printf(
      " max_to_read=%zd max_to_write=%zd\n",
      bufferevent_get_max_to_read(bev),
      bufferevent_get_max_to_write(bev),
    );
  }

  function totals(g: bufferevent_rate_limit_group) {
    const r = { value: 7 },
      w = { value: 7 };
    bufferevent_rate_limit_group_get_totals(g, r, w);
    printf("totals read=%llu written=%llu\n", r.value, w.value);
  }

  /* Checks the bytes against the pattern; ends the loop once `want` bytes came. */
  function take(inp: ReturnType<typeof bufferevent_get_input>, n: number) {
    const buf = new Uint8Array(4096),
      exp = new Uint8Array(4096);
    evbuffer_remove(inp, buf, n);
    pattern(exp, got, n);
    if (memcmp(buf, exp, n)) in_order = 0;
    got += n;
    if (got >= want) ev.event_base_loopbreak(base);
  }

  function readcb(bev: BufferEvent, _ctx: any) {
    const inp = bufferevent_get_input(bev);
    const n = evbuffer_get_length(inp);
    printf("readcb n=%zu tick=+%u read_limit=%zd\n", n, tick(), bufferevent_get_read_limit(bev));
    take(inp, n);
  }

  function writecb(bev: BufferEvent, _ctx: any) {
    const n = evbuffer_get_length(bufferevent_get_output(bev));
    printf(
      "writecb outlen=%zu tick=+%u write_limit=%zd\n",
      n,
      tick(),
      bufferevent_get_write_limit(bev),
    );
    if (n === 0) ev.event_base_loopbreak(base);
  }

  /* Group members: sizes and ticks only (which member the random resume picks first varies). */
  function group_readcb(bev: BufferEvent, ctx: { value: number }) {
    const inp = bufferevent_get_input(bev);
    const n = evbuffer_get_length(inp);
    printf("group readcb n=%zu tick=+%u\n", n, tick());
    ctx.value += n;
    evbuffer_drain(inp, n);
  }

  function plain_readcb(bev: BufferEvent, _ctx: any) {
    const inp = bufferevent_get_input(bev);
    printf("readcb n=%zu\n", evbuffer_get_length(inp));
    evbuffer_drain(inp, evbuffer_get_length(inp));
  }

  function guard_cb(_fd: number, _what: number, _ctx: any) {
    ev.event_base_loopbreak(base);
  }

  /* Runs the loop until a callback breaks it, at most `ms` milliseconds. */
  async function run_for(label: string, ms: number) {
    const tv = { tv_sec: Math.trunc(ms / 1000), tv_usec: (ms % 1000) * 1000 };
    const guard = ev.evtimer_new(base, guard_cb, null)!;
    printf("run %s\n", label);
    ev.evtimer_add(guard, tv);
    await ev.event_base_dispatch(base);
    ev.event_free(guard);
  }

  const fds: number[] = [],
    fx: number[] = [],
    fy: number[] = [];
  let bev: BufferEvent, x: BufferEvent, y: BufferEvent, z: BufferEvent;
  let hour: ev_token_bucket_cfg,
    hour2: ev_token_bucket_cfg,
    asym: ev_token_bucket_cfg,
    t100: ev_token_bucket_cfg,
    sec: ev_token_bucket_cfg,
    big: ev_token_bucket_cfg;
  let g: bufferevent_rate_limit_group;
  const tv_hour = { tv_sec: 3600, tv_usec: 0 },
    tv_100ms = { tv_sec: 0, tv_usec: 100000 };
  const buf = new Uint8Array(1200);
  const nx = { value: 0 },
    ny = { value: 0 };
  let r: number, n: number, i: number;

  base = ev.event_base_new()!;

  /* cfg_new: NULL for a rate under 1, a rate above its burst, a value above EV_RATE_LIMIT_MAX */
  printf("read_rate 0: %s\n", cfg_name(ev_token_bucket_cfg_new(0, 10, 1, 10, null)));
  printf("write_rate 0: %s\n", cfg_name(ev_token_bucket_cfg_new(1, 10, 0, 10, null)));
  printf("read_rate > burst: %s\n", cfg_name(ev_token_bucket_cfg_new(11, 10, 1, 10, null)));
  printf("write_rate > burst: %s\n", cfg_name(ev_token_bucket_cfg_new(1, 10, 11, 10, null)));
  printf("burst SIZE_MAX: %s\n", cfg_name(ev_token_bucket_cfg_new(1, EV_SIZE_MAX, 1, 10, null)));
  printf(
    "rates SIZE_MAX: %s\n",
    cfg_name(ev_token_bucket_cfg_new(EV_SIZE_MAX, EV_SIZE_MAX, EV_SIZE_MAX, EV_SIZE_MAX, null)),
  );
  printf(
    "burst EV_RATE_LIMIT_MAX: %s\n",
    cfg_name(ev_token_bucket_cfg_new(1, EV_RATE_LIMIT_MAX, 1, EV_RATE_LIMIT_MAX, tv_100ms)),
  );
  printf("rate == burst: %s\n", cfg_name(ev_token_bucket_cfg_new(5, 5, 5, 5, tv_100ms)));

  hour = ev_token_bucket_cfg_new(100, 250, 100, 250, tv_hour)!;
  hour2 = ev_token_bucket_cfg_new(50, 80, 30, 40, tv_hour)!;
  t100 = ev_token_bucket_cfg_new(100, 250, 100, 250, tv_100ms)!;
  newpair(fds);
  bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;

  /* defaults, then a limit: the bucket starts at the rate, not the burst */
  sync_to(100, 5);
  limits("no limit", bev);
  printf("cfg=%s\n", bufferevent_get_token_bucket_cfg(bev) ? "set" : "NULL");
  printf("set_rate_limit=%d\n", bufferevent_set_rate_limit(bev, hour));
  printf("cfg is hour=%d\n", bufferevent_get_token_bucket_cfg(bev) === hour ? 1 : 0);
  limits("hour", bev);

  /* decrements: crossing 0 suspends, crossing back resumes */
  printf("decrement_read(150)=%d\n", bufferevent_decrement_read_limit(bev, 150));
  limits("read -50", bev);
  printf("decrement_read(-1000)=%d\n", bufferevent_decrement_read_limit(bev, -1000));
  limits("read 950", bev);
  printf("decrement_write(100)=%d\n", bufferevent_decrement_write_limit(bev, 100));
  printf("decrement_write(-1)=%d\n", bufferevent_decrement_write_limit(bev, -1));
  limits("write 1", bev);

  /* another cfg clips down to its bursts; the same cfg again changes nothing */
  printf("set_rate_limit(hour2)=%d\n", bufferevent_set_rate_limit(bev, hour2));
  limits("hour2", bev);
  printf("set_rate_limit(hour2)=%d\n", bufferevent_set_rate_limit(bev, hour2));
  limits("hour2 again", bev);
  bufferevent_decrement_read_limit(bev, 100);
  printf("set_rate_limit(hour)=%d\n", bufferevent_set_rate_limit(bev, hour));
  limits("back to hour, no clip up", bev);
  printf("set_rate_limit(NULL)=%d\n", bufferevent_set_rate_limit(bev, null));
  limits("removed", bev);
  printf("cfg=%s\n", bufferevent_get_token_bucket_cfg(bev) ? "set" : "NULL");
  bufferevent_set_rate_limit(bev, hour);
  limits("hour after removal", bev);
  bufferevent_set_rate_limit(bev, null);

  /* a bufferevent's own bucket stands in for max_single, it does not sit under it */
  big = ev_token_bucket_cfg_new(100000, 100000, 100000, 100000, tv_hour)!;
  bufferevent_set_max_single_read(bev, 1000);
  bufferevent_set_rate_limit(bev, big);
  limits("big bucket, max_single_read 1000", bev);
  bufferevent_set_rate_limit(bev, null);
  limits("no bucket, max_single_read 1000", bev);
  bufferevent_set_max_single_read(bev, 0);
  ev_token_bucket_cfg_free(big);

  /* NULL tick_len is one second: ticks are whole seconds of the wall clock */
  sec = ev_token_bucket_cfg_new(100, 250, 100, 250, null)!;
  sync_to(1000, 900);
  bufferevent_set_rate_limit(bev, sec);
  bufferevent_decrement_read_limit(bev, 100);
  limits("1 s tick, drained at .900", bev);
  usleep(200000);
  limits("at .100, a new second", bev);
  bufferevent_decrement_read_limit(bev, 100);
  usleep(200000);
  limits("at .300, the same second", bev);
  bufferevent_set_rate_limit(bev, null);
  ev_token_bucket_cfg_free(sec);

  /* the refill timer is an ordinary event: dispatch runs until it fired */
  start_ticks();
  bufferevent_set_rate_limit(bev, t100);
  bufferevent_decrement_read_limit(bev, 150);
  r = await ev.event_base_dispatch(base);
  printf("dispatch=%d tick=+%u\n", r, tick());
  limits("refilled once", bev);
  /* a bucket pushed above its burst keeps growing */
  bufferevent_decrement_read_limit(bev, -1000);
  limits("pushed to 1050", bev);
  usleep(100000);
  limits("a tick later", bev);
  bufferevent_set_rate_limit(bev, null);

  /* the group's timer is persistent: the loop has an event until the group is freed */
  g = bufferevent_rate_limit_group_new(base, t100);
  printf("nonblock loop with a group=%d\n", await ev.event_base_loop(base, EVLOOP_NONBLOCK));
  bufferevent_rate_limit_group_free(g);
  printf("nonblock loop after group_free=%d\n", await ev.event_base_loop(base, EVLOOP_NONBLOCK));

  /* groups: shares, min share, set_cfg, decrements */
  sync_to(100, 5);
  newpair(fx);
  newpair(fy);
  x = bufferevent_socket_new(base, fx[0], BEV_OPT_CLOSE_ON_FREE)!;
  y = bufferevent_socket_new(base, fy[0], BEV_OPT_CLOSE_ON_FREE)!;
  z = bufferevent_socket_new(base, -1, 0)!;
  g = bufferevent_rate_limit_group_new(base, hour);
  printf(
    "group read=%zd write=%zd\n",
    bufferevent_rate_limit_group_get_read_limit(g),
    bufferevent_rate_limit_group_get_write_limit(g),
  );
  printf("add x=%d\n", bufferevent_add_to_rate_limit_group(x, g));
  printf("add x again=%d\n", bufferevent_add_to_rate_limit_group(x, g));
  limits("x alone", x);
  printf("add y=%d\n", bufferevent_add_to_rate_limit_group(y, g));
  limits("x of two (min share 64)", x);
  printf("min_share(10)=%d\n", bufferevent_rate_limit_group_set_min_share(g, 10));
  limits("x, min share 10", x);
  printf("min_share(1000)=%d\n", bufferevent_rate_limit_group_set_min_share(g, 1000));
  limits("x, min share 1000 (clamped to 100)", x);
  printf("min_share(SIZE_MAX)=%d\n", bufferevent_rate_limit_group_set_min_share(g, EV_SIZE_MAX));
  printf(
    "min_share(EV_SSIZE_MAX)=%d\n",
    bufferevent_rate_limit_group_set_min_share(g, EV_SSIZE_MAX),
  );
  limits("x, min share EV_SSIZE_MAX", x);
  bufferevent_rate_limit_group_set_min_share(g, 64);
  printf("set_cfg(NULL, hour)=%d\n", bufferevent_rate_limit_group_set_cfg(null, hour));
  printf("set_cfg(g, NULL)=%d\n", bufferevent_rate_limit_group_set_cfg(g, null));
  asym = ev_token_bucket_cfg_new(100, 250, 30, 250, tv_hour)!;
  printf("set_cfg(asym)=%d\n", bufferevent_rate_limit_group_set_cfg(g, asym));
  ev_token_bucket_cfg_free(asym);
  bufferevent_rate_limit_group_decrement_write(g, 60);
  limits("x, min share 30 (write rate)", x);
  bufferevent_rate_limit_group_decrement_read(g, -500);
  printf("set_cfg(hour2)=%d\n", bufferevent_rate_limit_group_set_cfg(g, hour2));
  printf(
    "group read=%zd write=%zd\n",
    bufferevent_rate_limit_group_get_read_limit(g),
    bufferevent_rate_limit_group_get_write_limit(g),
  );
  limits("x, hour2 (min share 30)", x);
  bufferevent_rate_limit_group_set_cfg(g, hour);
  limits("x, hour again", x);
  printf("decrement_read(200)=%d\n", bufferevent_rate_limit_group_decrement_read(g, 200));
  printf("group read=%zd\n", bufferevent_rate_limit_group_get_read_limit(g));
  limits("x, group suspended", x);
  printf("add z=%d\n", bufferevent_add_to_rate_limit_group(z, g));
  limits("z, joined suspended", z);
  printf("remove y=%d\n", bufferevent_remove_from_rate_limit_group(y));
  limits("y, removed", y);
  totals(g);
  printf("decrement_read(-300)=%d\n", bufferevent_rate_limit_group_decrement_read(g, -300));
  limits("x, resumed, of two", x);
  printf("remove z=%d\n", bufferevent_remove_from_rate_limit_group(z));
  limits("x alone again", x);
  limits("z, left", z);
  printf("remove z again=%d\n", bufferevent_remove_from_rate_limit_group(z));
  /* NULL "removes" only from no group: 2.1.12 crashes on a member */
  printf("add y NULL=%d\n", bufferevent_add_to_rate_limit_group(y, null));

  /* a suspended member does not read; leaving resumes it; joining again suspends it at once */
  bufferevent_setcb(x, plain_readcb, null, null, null);
  bufferevent_enable(x, EV_READ);
  bufferevent_rate_limit_group_decrement_read(g, 1000);
  send(fx[1], "abc", 3, 0);
  await run_for("x in a suspended group", 50);
  bufferevent_remove_from_rate_limit_group(x);
  await run_for("x left the group", 50);
  bufferevent_add_to_rate_limit_group(x, g);
  send(fx[1], "def", 3, 0);
  await run_for("x joined again", 50);
  bufferevent_remove_from_rate_limit_group(x);
  await run_for("x left again", 50);
  bufferevent_rate_limit_group_free(g);
  bufferevent_free(z);

  /* reading at 100 bytes a tick: each readcb takes what the bucket holds */
  bufferevent_setcb(bev, readcb, null, null, null);
  pattern(buf, 0, 600);
  send(fds[1], buf, 600, 0);
  got = 0;
  want = 600;
  in_order = 1;
  start_ticks();
  bufferevent_set_rate_limit(bev, t100);
  bufferevent_enable(bev, EV_READ);
  await run_for("read 600 at 100/tick", 3000);
  /* idle for three ticks, the bucket fills up to the burst */
  await run_for("idle", 300);
  start_ticks();
  limits("after idling", bev);
  pattern(buf, 600, 500);
  send(fds[1], buf, 500, 0);
  want = 1100;
  await run_for("read 500 with a full bucket", 3000);
  printf("got=%zu in order=%d\n", got, in_order);
  bufferevent_disable(bev, EV_READ);

  /* writing at 100 bytes a tick: a writecb after each write (low watermark 500) */
  bufferevent_setcb(bev, null, writecb, null, null);
  bufferevent_setwatermark(bev, EV_WRITE, 500, 0);
  bufferevent_set_rate_limit(bev, null);
  start_ticks();
  bufferevent_set_rate_limit(bev, t100);
  pattern(buf, 0, 500);
  bufferevent_write(bev, buf, 500);
  await run_for("write 500 at 100/tick", 3000);
  /* the peer reads what arrived, the loop turning while it waits */
  for (r = 0, i = 0; i < 2000 && r < 500; i++) {
    n = recv(fds[1], buf.subarray(r), buf.length - r, MSG_DONTWAIT);
    if (n > 0) r += n;
    else await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
  }
  pattern(buf.subarray(600), 0, 500);
  printf("peer got %d in order=%d\n", r, r === 500 && !memcmp(buf, buf.subarray(600), 500) ? 1 : 0);
  bufferevent_free(bev);
  evutil_closesocket(fds[1]);

  /* a group of two at 100 a tick, min share 64: 64+64, 64+64, nothing, 72+64+64 */
  bufferevent_setcb(x, group_readcb, null, null, nx);
  bufferevent_setcb(y, group_readcb, null, null, ny);
  memset(buf, 0x67, 400);
  send(fx[1], buf, 400, 0);
  send(fy[1], buf, 400, 0);
  start_ticks();
  g = bufferevent_rate_limit_group_new(base, t100);
  bufferevent_add_to_rate_limit_group(x, g);
  bufferevent_add_to_rate_limit_group(y, g);
  bufferevent_enable(x, EV_READ);
  bufferevent_enable(y, EV_READ);
  bufferevent_write(x, buf, 50);
  bufferevent_write(y, buf, 50);
  await run_for("group of two", 350);
  totals(g);
  printf("both read: %d\n", nx.value >= 128 && ny.value >= 128 ? 1 : 0);
  bufferevent_rate_limit_group_reset_totals(g);
  totals(g);
  bufferevent_rate_limit_group_get_totals(g, null, null);
  printf(
    "group read=%zd write=%zd\n",
    bufferevent_rate_limit_group_get_read_limit(g),
    bufferevent_rate_limit_group_get_write_limit(g),
  );
  bufferevent_remove_from_rate_limit_group(x);
  bufferevent_remove_from_rate_limit_group(y);
  bufferevent_rate_limit_group_free(g);
  bufferevent_free(x);
  bufferevent_free(y);
  evutil_closesocket(fx[1]);
  evutil_closesocket(fy[1]);

  ev_token_bucket_cfg_free(hour);
  ev_token_bucket_cfg_free(hour2);
  ev_token_bucket_cfg_free(t100);
  printf("dispatch=%d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
  return 0;
}

/** A cfg whose tick never ends while a test runs (no refill can happen). */
function hourCfg(rate: number, burst: number): ev_token_bucket_cfg {
  return ev_token_bucket_cfg_new(rate, burst, rate, burst, { tv_sec: 3600, tv_usec: 0 })!;
}

describe("rate limiting", function () {
  this.timeout(20000);

  it("prints the same trace as libevent (test/c/bev_ratelim.c)", async () => {
    const t = new Trace();
    // The C program is built (synchronously, by cTraceAsync) before the port
    // starts: a build inside the port's timed stretch would delay its timers.
    const c = cTraceAsync("bev_ratelim");
    await bev_ratelim_main(t.printf);
    expectSameTrace(t.out, await c);
  });

  it("exports every rate-limit name from event2/bufferevent and the root", () => {
    const names = [
      "ev_token_bucket_cfg_new",
      "ev_token_bucket_cfg_free",
      "bufferevent_set_rate_limit",
      "bufferevent_get_token_bucket_cfg",
      "bufferevent_get_read_limit",
      "bufferevent_get_write_limit",
      "bufferevent_decrement_read_limit",
      "bufferevent_decrement_write_limit",
      "bufferevent_add_to_rate_limit_group",
      "bufferevent_remove_from_rate_limit_group",
      "bufferevent_rate_limit_group_new",
      "bufferevent_rate_limit_group_free",
      "bufferevent_rate_limit_group_set_cfg",
      "bufferevent_rate_limit_group_set_min_share",
      "bufferevent_rate_limit_group_get_read_limit",
      "bufferevent_rate_limit_group_get_write_limit",
      "bufferevent_rate_limit_group_decrement_read",
      "bufferevent_rate_limit_group_decrement_write",
      "bufferevent_rate_limit_group_get_totals",
      "bufferevent_rate_limit_group_reset_totals",
    ];
    const missing = names.filter((n) => typeof (root as Record<string, unknown>)[n] !== "function");
    expect(missing).to.deep.equal([]);
  });

  it("lets a pair move everything at once: pairs never charge the buckets", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    expect(bufferevent_pair_new(base, 0, pair)).to.equal(0);
    const cfg = ev_token_bucket_cfg_new(1, 1, 1, 1, { tv_sec: 3600, tv_usec: 0 })!;
    bufferevent_set_rate_limit(pair[0], cfg);
    bufferevent_set_rate_limit(pair[1], cfg);
    const sizes: number[] = [];
    bufferevent_setcb(
      pair[1],
      (b) => {
        sizes.push(evbuffer_get_length(bufferevent_get_input(b)));
        evbuffer_drain(bufferevent_get_input(b), 1 << 20);
      },
      null,
      null,
    );
    bufferevent_enable(pair[1], EV_READ);
    bufferevent_write(pair[0], new Uint8Array(1000));
    expect(await ev.event_base_loop(base, EVLOOP_ONCE)).to.equal(0);
    expect(sizes).to.deep.equal([1000]);
    expect(bufferevent_get_read_limit(pair[1])).to.equal(1);
    expect(bufferevent_get_write_limit(pair[0])).to.equal(1);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev_token_bucket_cfg_free(cfg);
    ev.event_base_free(base);
  });

  it("takes a freed member out of its group at once: group_free then succeeds", async () => {
    const base = ev.event_base_new()!;
    const cfg = hourCfg(100, 250);
    const g = bufferevent_rate_limit_group_new(base, cfg);
    const a = bufferevent_socket_new(base, -1, 0)!;
    const b = bufferevent_socket_new(base, -1, 0)!;
    bufferevent_set_rate_limit(a, cfg);
    bufferevent_decrement_read_limit(a, 500); // its refill timer is now pending
    bufferevent_add_to_rate_limit_group(a, g);
    bufferevent_add_to_rate_limit_group(b, g);
    expect(bufferevent_get_max_to_read(b)).to.equal(64);
    bufferevent_free(a);
    // one member left: it gets the whole bucket
    expect(bufferevent_get_max_to_read(b)).to.equal(100);
    expect(() => bufferevent_rate_limit_group_free(g)).to.throw(
      Error,
      /bufferevent_rate_limit_group_free: argument 'g' still has 1 member/,
    );
    bufferevent_free(b);
    bufferevent_rate_limit_group_free(g);
    // neither a's refill timer nor the group's timer is left: the loop has nothing to wait for
    expect(await ev.event_base_loop(base, EVLOOP_NONBLOCK)).to.equal(1);
    ev_token_bucket_cfg_free(cfg);
    ev.event_base_free(base);
  });

  it("treats add_to_rate_limit_group(bev, NULL) as removal, resuming the member", () => {
    const base = ev.event_base_new()!;
    const cfg = hourCfg(100, 250);
    const g = bufferevent_rate_limit_group_new(base, cfg);
    const a = bufferevent_socket_new(base, -1, 0)!;
    bufferevent_add_to_rate_limit_group(a, g);
    bufferevent_rate_limit_group_decrement_read(g, 100);
    expect(bufferevent_get_max_to_read(a)).to.equal(0);
    expect(bufferevent_add_to_rate_limit_group(a, null)).to.equal(0);
    expect(bufferevent_get_max_to_read(a)).to.equal(16384);
    bufferevent_rate_limit_group_free(g);
    bufferevent_free(a);
    ev_token_bucket_cfg_free(cfg);
    ev.event_base_free(base);
  });

  it("throws where libevent asserts or divides by zero", () => {
    const base = ev.event_base_new()!;
    const a = bufferevent_socket_new(base, -1, 0)!;
    expect(() => bufferevent_decrement_read_limit(a, 1)).to.throw(
      Error,
      /bufferevent_decrement_read_limit: argument 'bev' has no rate limit/,
    );
    expect(() => bufferevent_decrement_write_limit(a, 1)).to.throw(
      Error,
      /bufferevent_decrement_write_limit: argument 'bev' has no rate limit/,
    );
    // a group alone is no per-bufferevent limit
    const cfg = hourCfg(100, 250);
    const g = bufferevent_rate_limit_group_new(base, cfg);
    bufferevent_add_to_rate_limit_group(a, g);
    expect(() => bufferevent_decrement_read_limit(a, 1)).to.throw(Error, /has no rate limit/);
    bufferevent_remove_from_rate_limit_group(a);
    // a tick under 1 ms: libevent's msec_per_tick is 0 and the first use divides by it
    const fine = ev_token_bucket_cfg_new(10, 10, 10, 10, { tv_sec: 0, tv_usec: 999 });
    expect(fine).to.not.equal(null);
    expect(() => bufferevent_set_rate_limit(a, fine)).to.throw(
      RangeError,
      /bufferevent_set_rate_limit: argument 'cfg' has a tick_len under 1 ms/,
    );
    expect(() => bufferevent_rate_limit_group_new(base, fine!)).to.throw(RangeError, /'cfg'/);
    const backwards = ev_token_bucket_cfg_new(10, 10, 10, 10, { tv_sec: -1, tv_usec: 0 });
    expect(() => bufferevent_set_rate_limit(a, backwards)).to.throw(RangeError, /under 1 ms/);
    expect(() => bufferevent_rate_limit_group_set_cfg(g, fine)).to.throw(RangeError, /'cfg'/);
    expect(() => ev_token_bucket_cfg_new(-1, 10, 1, 10, null)).to.throw(
      RangeError,
      /ev_token_bucket_cfg_new: argument 'read_rate'/,
    );
    expect(() => bufferevent_rate_limit_group_get_totals(null as never, null, null)).to.throw(
      TypeError,
      /argument 'grp' is NULL/,
    );
    bufferevent_rate_limit_group_free(g);
    expect(() => bufferevent_rate_limit_group_set_min_share(g, 1)).to.throw(
      TypeError,
      /already freed/,
    );
    ev_token_bucket_cfg_free(cfg);
    expect(() => bufferevent_set_rate_limit(a, cfg)).to.throw(TypeError, /already freed/);
    ev_token_bucket_cfg_free(null);
    bufferevent_free(a);
    ev.event_base_free(base);
  });
});
