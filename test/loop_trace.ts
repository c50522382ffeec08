// loop_trace: the line-by-line TypeScript port of test/c/loop_trace.c (read
// that file's header). Run as `node dist/test/loop_trace.js scenarios|random`;
// test/loop_trace.test.ts compares its output with the C program's.
//
// The C program makes libevent's clock virtual by defining clock_gettime,
// gettimeofday and epoll_wait; the port switches the library to the same
// virtual clock (setVirtualClock) for the random script.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EVENT_BASE_COUNT_ACTIVE,
  EVENT_BASE_COUNT_ADDED,
  EVENT_BASE_COUNT_VIRTUAL,
  EVLOOP_NONBLOCK,
  EVLOOP_NO_EXIT_ON_EMPTY,
  EVLOOP_ONCE,
  EV_PERSIST,
  EV_READ,
  EV_SIGNAL,
  EV_TIMEOUT,
  EV_WRITE,
  event_active,
  event_add,
  event_assign,
  event_base_active_by_fd,
  event_base_active_by_signal,
  event_base_dump_events,
  event_base_foreach_event,
  event_base_free,
  event_base_get_features,
  event_base_get_max_events,
  event_base_get_method,
  event_base_get_npriorities,
  event_base_get_num_events,
  event_base_get_running_event,
  event_base_got_break,
  event_base_got_exit,
  event_base_gettimeofday_cached,
  event_base_loop,
  event_base_loopbreak,
  event_base_loopcontinue,
  event_base_loopexit,
  event_base_new,
  event_base_new_with_config,
  event_base_once,
  event_base_priority_init,
  event_base_set,
  event_base_update_cache_time,
  event_config_avoid_method,
  event_config_free,
  event_config_new,
  event_config_require_features,
  event_config_set_flag,
  event_config_set_max_dispatch_interval,
  event_config_set_num_cpus_hint,
  event_debug_unassign,
  event_del,
  event_finalize,
  event_free,
  event_free_finalize,
  event_get_assignment,
  event_get_callback,
  event_get_callback_arg,
  event_get_events,
  event_get_fd,
  event_get_priority,
  event_get_supported_methods,
  event_get_version,
  event_get_version_number,
  event_gettime_monotonic,
  event_initialized,
  event_new,
  event_pending,
  event_priority_set,
  event_remove_timer,
  event_self_cbarg,
  evsignal_add,
  evsignal_new,
  evsignal_pending,
  evtimer_add,
  evtimer_new,
  evtimer_pending,
  type Event,
  type EventBase,
  type Timeval,
} from "../src/event2/event.js";
import {
  EVENT_FD,
  event_dispatch,
  event_get_method,
  event_init,
  event_loop,
  event_loopbreak,
  event_loopexit,
  event_once,
  event_priority_init,
  event_set,
  evtimer_set,
  signal_pending,
  timeout_add,
  timeout_initialized,
  timeout_pending,
} from "../compat/event_compat.js";
import { setVirtualClock } from "../src/core/time.js";

// ---- output (C's buffered stdout) ----

let outBuf = "";
function printf(line: string): void {
  outBuf += line;
  if (outBuf.length > 1 << 16) fflush();
}
function fflush(): void {
  writeSync(1, outBuf);
  outBuf = "";
}
process.on("exit", fflush); // what was printed before a crash still shows

// ---- the virtual clock ----

const VWALL_OFFSET_US = 1700000000000000;
const VSTART_US = 1000000000;

// ---- shared state ----

let base: EventBase;
const NEV = 16;
const ev: (Event | null)[] = new Array(NEV).fill(null);
const calls: number[] = new Array(NEV).fill(0);

function trace_cb(fd: number, what: number, arg: any): void {
  printf(`cb ${arg} fd=${fd} what=${what}\n`);
}

function new_base(npri: number): void {
  base = event_base_new()!;
  if (npri > 1) event_base_priority_init(base, npri);
  ev.fill(null);
  calls.fill(0);
}

function free_all(): void {
  for (let i = 0; i < NEV; i++) if (ev[i]) event_free(ev[i]!);
  event_base_free(base);
}

function ms(n: number): Timeval {
  return { tv_sec: Math.trunc(n / 1000), tv_usec: (n % 1000) * 1000 };
}

async function loop(name: string, flags: number): Promise<void> {
  printf(`${name} -> ${await event_base_loop(base, flags)}\n`);
}

function counts(when: string): void {
  printf(
    `${when}: added=${event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED)} ` +
      `active=${event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE)} ` +
      `virtual=${event_base_get_num_events(base, EVENT_BASE_COUNT_VIRTUAL)}\n`,
  );
}

function pending(i: number): void {
  const tv = { tv_sec: 0, tv_usec: 0 };
  const r = event_pending(ev[i]!, EV_TIMEOUT | EV_READ | EV_WRITE | EV_SIGNAL, tv);
  printf(`pending ${i} = ${r} tv_set=${tv.tv_sec !== 0 ? 1 : 0}\n`);
}

const b2i = (b: boolean) => (b ? 1 : 0);

// ---- 1: timers ----

function add_equal_timers(): void {
  const tv = ms(2);
  for (let i = 0; i < 8; i++) evtimer_add(ev[i]!, tv);
}

function add_mixed_timers(): void {
  const a = ms(30),
    b = ms(0),
    c = ms(15);
  evtimer_add(ev[0]!, a);
  evtimer_add(ev[1]!, b);
  evtimer_add(ev[2]!, c);
  evtimer_add(ev[3]!, a);
  evtimer_add(ev[4]!, c);
  evtimer_add(ev[5]!, b);
  evtimer_add(ev[6]!, a);
  event_del(ev[4]!);
  evtimer_add(ev[2]!, a); // re-adding moves it
}

async function scenario_timers(): Promise<void> {
  printf("== 1 timers\n");
  new_base(1);
  for (let i = 0; i < 8; i++) ev[i] = evtimer_new(base, trace_cb, i);
  const zero = ms(0);
  const start = evtimer_new(base, add_equal_timers, null)!;
  evtimer_add(start, zero);
  await loop("equal deadlines", 0);
  event_assign(start, base, -1, 0, add_mixed_timers, null);
  evtimer_add(start, zero);
  await loop("mixed deadlines", 0);
  event_free(start);
  free_all();
}

// ---- 2: priorities ----

let chain_step = 0;

function prio_cb(_fd: number, what: number, arg: any): void {
  const i = arg as number;
  printf(`cb ${i} pri=${event_get_priority(ev[i]!)} what=${what}\n`);
  if (i === 4 && chain_step === 0) {
    chain_step = 1;
    event_active(ev[0]!, EV_READ, 0); // more urgent: the pass ends after this callback
    event_active(ev[5]!, EV_WRITE, 0); // already active: ORs into its res
    event_active(ev[4]!, EV_READ, 0); // re-activates itself at the tail
  }
  if (i === 2 && chain_step === 1) {
    chain_step = 2;
    event_active(ev[3]!, EV_TIMEOUT, 0); // same priority: runs in this pass
    event_active(ev[5]!, EV_READ, 0); // less urgent: waits
  }
}

async function scenario_priorities(): Promise<void> {
  printf("== 2 priorities\n");
  const npris = [1, 3, 5];
  for (let k = 0; k < 3; k++) {
    const n = npris[k];
    new_base(n);
    chain_step = 0;
    const probe = event_new(base, -1, 0, trace_cb, null)!;
    printf(`npri=${event_base_get_npriorities(base)} default=${event_get_priority(probe)}\n`);
    event_free(probe);
    for (let i = 0; i < 6; i++) {
      ev[i] = event_new(base, -1, 0, prio_cb, i);
      const r = event_priority_set(ev[i]!, Math.trunc((i * n) / 6));
      printf(`set ${i} pri ${Math.trunc((i * n) / 6)} -> ${r}\n`);
    }
    printf(`set bad -> ${event_priority_set(ev[0]!, n)} ${event_priority_set(ev[0]!, -1)}\n`);
    event_active(ev[4]!, EV_READ, 0);
    event_active(ev[2]!, EV_READ, 0);
    event_active(ev[5]!, EV_READ, 0);
    event_active(ev[1]!, EV_WRITE, 0);
    event_active(ev[1]!, EV_READ, 0);
    printf(`set active -> ${event_priority_set(ev[1]!, 0)}\n`);
    printf(`init while active -> ${event_base_priority_init(base, 2)}\n`);
    await loop("dispatch", 0);
    free_all();
  }
  new_base(1);
  printf(`init 0 -> ${event_base_priority_init(base, 0)}\n`);
  printf(`init 256 -> ${event_base_priority_init(base, 256)}\n`);
  printf(`init 255 -> ${event_base_priority_init(base, 255)}\n`);
  printf(`npri=${event_base_get_npriorities(base)}\n`);
  free_all();
}

// ---- 3: what callbacks schedule: event_active, event_base_once, timers ----

function once_cb(fd: number, what: number, arg: any): void {
  printf(`once ${arg} fd=${fd} what=${what}\n`);
}

function scheduler(): void {
  const zero = ms(0);
  printf("scheduler\n");
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "null-tv", null);
  event_active(ev[1]!, EV_READ, 0);
  evtimer_add(ev[2]!, zero);
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "zero-tv", zero);
  event_active(ev[3]!, EV_WRITE, 0);
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "timer-0", null);
  evtimer_add(ev[4]!, zero);
}

async function scenario_scheduling(): Promise<void> {
  printf("== 3 scheduling from callbacks\n");
  new_base(1);
  for (let i = 1; i < 5; i++) ev[i] = event_new(base, -1, 0, trace_cb, i);
  ev[0] = event_new(base, -1, 0, scheduler, null);
  event_active(ev[0]!, EV_READ, 0);
  event_active(ev[1]!, EV_TIMEOUT, 0);
  await loop("dispatch", 0);
  const t = ms(5);
  printf(`once events=0 -> ${event_base_once(base, -1, 0, once_cb, "x", null)}\n`);
  printf(
    `once persist -> ${event_base_once(base, -1, EV_TIMEOUT | EV_PERSIST, once_cb, "x", null)}\n`,
  );
  printf(`once signal -> ${event_base_once(base, 10, EV_SIGNAL, once_cb, "x", null)}\n`);
  printf(`once read fd -1 -> ${event_base_once(base, -1, EV_READ, once_cb, "read", t)}\n`);
  printf(
    `once timeout|read -> ${event_base_once(base, -1, EV_TIMEOUT | EV_READ, once_cb, "tr", t)}\n`,
  );
  counts("two once events");
  await loop("dispatch", 0);
  free_all();
}

// ---- 4: loopexit, loopbreak, loopcontinue ----

function ctl_cb(_fd: number, _what: number, arg: any): void {
  const i = arg as number;
  const zero = ms(0);
  printf(`cb ${i}\n`);
  if (i === 10) event_base_loopbreak(base);
  if (i === 11) {
    evtimer_add(ev[3]!, zero);
    event_base_loopcontinue(base);
  }
  if (i === 12) evtimer_add(ev[3]!, zero);
}

async function scenario_loop_control(): Promise<void> {
  printf("== 4 loop control\n");
  new_base(1);
  for (let i = 0; i < 3; i++) ev[i] = event_new(base, -1, 0, ctl_cb, i);
  for (let i = 0; i < 3; i++) event_active(ev[i]!, EV_READ, 0);
  event_base_loopexit(base, null);
  counts("after loopexit(NULL)");
  await loop("loopexit(NULL) first", 0);
  printf(`got_exit=${event_base_got_exit(base)} got_break=${event_base_got_break(base)}\n`);
  await loop("empty", 0);
  printf(`got_exit=${event_base_got_exit(base)}\n`);

  for (let i = 0; i < 3; i++) event_active(ev[i]!, EV_READ, 0);
  event_base_loopbreak(base);
  await loop("loopbreak before", 0);

  event_assign(ev[1]!, base, -1, 0, ctl_cb, 10);
  for (let i = 0; i < 3; i++) event_active(ev[i]!, EV_READ, 0);
  await loop("loopbreak inside", 0);
  printf(`got_exit=${event_base_got_exit(base)} got_break=${event_base_got_break(base)}\n`);
  await loop("after break", 0);

  const t = ms(20);
  event_base_loopexit(base, t);
  counts("after loopexit(20ms)");
  await loop("loopexit(20ms), nothing else", 0);
  await loop("empty", 0);
  free_all();

  // loopcontinue: the pass ends, so a more urgent timer runs before the rest.
  for (let variant = 0; variant < 2; variant++) {
    new_base(2);
    ev[0] = event_new(base, -1, 0, ctl_cb, variant ? 11 : 12);
    ev[1] = event_new(base, -1, 0, ctl_cb, 1);
    ev[3] = evtimer_new(base, ctl_cb, 3);
    event_priority_set(ev[3]!, 0);
    event_active(ev[0]!, EV_READ, 0);
    event_active(ev[1]!, EV_READ, 0);
    await loop(variant ? "with loopcontinue" : "without loopcontinue", 0);
    free_all();
  }
}

// ---- 5: EVLOOP_ONCE, EVLOOP_NONBLOCK, EVLOOP_NO_EXIT_ON_EMPTY ----

function chain_cb(_fd: number, what: number, arg: any): void {
  const i = arg as number;
  printf(`cb ${i} what=${what}\n`);
  if (i < 3) event_active(ev[i + 1]!, EV_READ, 0);
}

async function scenario_loop_flags(): Promise<void> {
  printf("== 5 loop flags\n");
  new_base(1);
  await loop("NONBLOCK empty", EVLOOP_NONBLOCK);
  await loop("ONCE empty", EVLOOP_ONCE);
  await loop("dispatch empty", 0);
  for (let i = 0; i < 4; i++) ev[i] = event_new(base, -1, 0, chain_cb, i);
  const far = ms(60000),
    t10 = ms(10);
  evtimer_add(ev[3]!, far);
  await loop("NONBLOCK timer far away", EVLOOP_NONBLOCK);
  event_active(ev[0]!, EV_READ, 0);
  await loop("NONBLOCK chain", EVLOOP_NONBLOCK);
  event_active(ev[0]!, EV_READ, 0);
  await loop("ONCE chain", EVLOOP_ONCE);
  evtimer_add(ev[3]!, t10);
  await loop("ONCE waits for a timer", EVLOOP_ONCE);
  await loop("ONCE nothing left", EVLOOP_ONCE);
  await loop("NO_EXIT_ON_EMPTY|NONBLOCK", EVLOOP_NO_EXIT_ON_EMPTY | EVLOOP_NONBLOCK);
  event_base_loopexit(base, t10);
  await loop("NO_EXIT_ON_EMPTY + loopexit", EVLOOP_NO_EXIT_ON_EMPTY);
  // A read event on fd -1 is inserted: it keeps the loop alive and never fires.
  ev[5] = event_new(base, -1, EV_READ | EV_PERSIST, trace_cb, 5);
  printf(`add fd -1 -> ${event_add(ev[5]!, null)}\n`);
  pending(5);
  counts("user event");
  event_base_loopexit(base, t10);
  await loop("user event + loopexit", 0);
  event_active(ev[5]!, EV_READ, 0);
  await loop("user event activated, NONBLOCK", EVLOOP_NONBLOCK);
  event_free(ev[5]!);
  ev[5] = null;
  await loop("after freeing it", 0);
  free_all();
}

// ---- 6: persistent timers ----

function persist_cb(_fd: number, what: number, arg: any): void {
  const i = arg as number;
  calls[i]++;
  printf(`persist ${i} call ${calls[i]} what=${what}\n`);
  if (i === 0 && calls[0] === 3) event_del(ev[0]!);
  if (i === 2 && calls[2] === 1) event_active(ev[2]!, EV_READ, 0); // runs again at once, timer rescheduled
  if (i === 2 && calls[2] === 3) event_del(ev[2]!);
}

async function scenario_persist(): Promise<void> {
  printf("== 6 persistent timers\n");
  new_base(1);
  const t = ms(2),
    zero = ms(0);
  ev[0] = event_new(base, -1, EV_PERSIST, persist_cb, 0);
  evtimer_add(ev[0]!, t);
  await loop("three calls", 0);
  ev[1] = event_new(base, -1, EV_PERSIST, persist_cb, 1);
  evtimer_add(ev[1]!, zero);
  await loop("zero interval fires once", 0);
  pending(1);
  ev[2] = event_new(base, -1, EV_PERSIST, persist_cb, 2);
  evtimer_add(ev[2]!, t);
  await loop("activated while timed", 0);
  // event_add(NULL) keeps the pending timeout; event_remove_timer drops it.
  ev[3] = event_new(base, -1, EV_PERSIST, persist_cb, 3);
  evtimer_add(ev[3]!, t);
  evtimer_add(ev[3]!, null);
  pending(3);
  event_remove_timer(ev[3]!);
  pending(3);
  await loop("after remove_timer", 0);
  free_all();
}

// ---- 7: event_pending, del of active events, active on non-added ones ----

function readd_cb(_fd: number, _what: number, arg: any): void {
  const t = ms(50);
  printf(`cb ${arg} re-adds 0: pending before=${event_pending(ev[0]!, EV_TIMEOUT, null)}\n`);
  evtimer_add(ev[0]!, t);
}

async function scenario_pending(): Promise<void> {
  printf("== 7 pending, del, active\n");
  new_base(1);
  const t = ms(50);
  ev[0] = evtimer_new(base, trace_cb, 0);
  ev[1] = event_new(base, -1, EV_READ | EV_WRITE, trace_cb, 1);
  ev[2] = evsignal_new(base, 12, trace_cb, 2);
  pending(0);
  evtimer_add(ev[0]!, t);
  pending(0);
  event_add(ev[1]!, t);
  pending(1);
  evsignal_add(ev[2]!, null);
  pending(2);
  printf(
    `evsignal_pending=${evsignal_pending(ev[2]!, null)} evtimer_pending=${evtimer_pending(ev[0]!, null)}\n`,
  );
  event_active(ev[1]!, EV_WRITE, 0);
  pending(1);
  counts("inserted+timer+active");
  event_del(ev[1]!);
  pending(1);
  counts("after del of the active one");
  event_active(ev[0]!, EV_READ, 0);
  event_active(ev[0]!, EV_WRITE, 0);
  pending(0);
  await loop("NONBLOCK: ORed res, then the timer is gone", EVLOOP_NONBLOCK);
  pending(0);
  event_active(ev[1]!, EV_TIMEOUT, 0);
  await loop("active on a non-added event", EVLOOP_NONBLOCK);
  // event_add on a non-persistent event that is active does not insert it
  event_active(ev[1]!, EV_READ, 0);
  event_add(ev[1]!, null);
  pending(1);
  counts("add while active");
  await loop("NONBLOCK", EVLOOP_NONBLOCK);
  pending(1);
  // re-adding a timer that timed out cancels that activation
  const z = ms(0);
  ev[4] = evtimer_new(base, readd_cb, 4);
  evtimer_add(ev[4]!, z);
  evtimer_add(ev[0]!, z);
  await loop("NONBLOCK: 4 re-adds 0 before it runs", EVLOOP_NONBLOCK);
  pending(0);
  free_all();
}

// ---- 8: counting ----

async function scenario_counts(): Promise<void> {
  printf("== 8 counts\n");
  new_base(1);
  const t = ms(50);
  counts("new base");
  for (let i = 0; i < 4; i++) ev[i] = event_new(base, -1, i === 3 ? EV_READ : 0, trace_cb, i);
  evtimer_add(ev[0]!, t);
  evtimer_add(ev[1]!, t);
  event_add(ev[3]!, t);
  counts("two timers + read with timeout");
  event_active(ev[0]!, EV_READ, 0);
  event_active(ev[2]!, EV_READ, 0);
  counts("two active");
  printf(
    `max added=${event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 0)} ` +
      `active=${event_base_get_max_events(base, EVENT_BASE_COUNT_ACTIVE, 1)}\n`,
  );
  printf(`max all=${event_base_get_max_events(base, 7, 0)}\n`);
  event_del(ev[3]!);
  await event_base_loop(base, EVLOOP_NONBLOCK);
  counts("after the pass");
  printf(`max added=${event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 1)} (cleared)\n`);
  printf(`max added=${event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 0)}\n`);
  free_all();
}

// ---- 9: finalizers ----

function fin_cb(_e: Event, arg: any): void {
  printf(`fin ${arg}\n`);
}

function fin_from_cb(_fd: number, _what: number, arg: any): void {
  printf(`cb ${arg} finalizes itself\n`);
  event_finalize(0, ev[3]!, fin_cb);
  event_active(ev[3]!, EV_READ, 0);
}

async function scenario_finalize(): Promise<void> {
  printf("== 9 finalize\n");
  new_base(1);
  const t = ms(50);
  for (let i = 0; i < 3; i++) ev[i] = event_new(base, -1, 0, trace_cb, i);
  ev[3] = event_new(base, -1, 0, fin_from_cb, 3);
  evtimer_add(ev[0]!, t);
  event_active(ev[1]!, EV_READ, 0);
  event_active(ev[3]!, EV_READ, 0);
  event_finalize(0, ev[1]!, fin_cb);
  event_finalize(0, ev[0]!, fin_cb);
  printf(`finalizing: add=${event_add(ev[0]!, t)}\n`);
  printf(`finalizing: del=${event_del(ev[0]!)}\n`);
  printf(`finalizing: pending=${event_pending(ev[0]!, EV_TIMEOUT | EV_READ, null)}\n`);
  event_active(ev[0]!, EV_READ, 0);
  counts("two finalizing");
  const f = event_new(base, -1, 0, trace_cb, 7)!;
  event_free_finalize(0, f, fin_cb);
  await loop("dispatch", 0);
  printf(`after: add=${event_add(ev[1]!, t)}\n`);
  // event_base_free runs the finalizers still pending
  event_finalize(0, ev[2]!, fin_cb);
  event_base_free(base);
  printf("base freed\n");
}

// ---- 10: signals ----

const SIGUSR1 = 10,
  SIGUSR2 = 12,
  SIGKILL = 9;

function sig_cb(fd: number, what: number, arg: any): void {
  const i = arg as number;
  calls[i]++;
  printf(`sig ${i} signo=${fd} what=${what} call ${calls[i]}\n`);
  if (i === 1 && calls[1] === 2) event_base_loopbreak(base);
  if (i === 3 && calls[3] === 1) event_del(ev[3]!);
}

function killer(_fd: number, _what: number, arg: any): void {
  const n = arg as number;
  printf(`kill x${n}\n`);
  for (let k = 0; k < n; k++) process.kill(process.pid, "SIGUSR1");
  if (n === 1) process.kill(process.pid, "SIGUSR2");
}

async function scenario_signals(): Promise<void> {
  printf("== 10 signals\n");
  new_base(1);
  const z = ms(0);
  ev[0] = evsignal_new(base, SIGUSR1, sig_cb, 0);
  ev[1] = evsignal_new(base, SIGUSR1, sig_cb, 1);
  ev[2] = evsignal_new(base, SIGUSR2, sig_cb, 2);
  for (let i = 0; i < 3; i++) printf(`add ${i} -> ${evsignal_add(ev[i]!, null)}\n`);
  counts("three signal events");
  event_base_once(base, -1, EV_TIMEOUT, killer, 1, z);
  await loop("one SIGUSR2 and one SIGUSR1", EVLOOP_ONCE);
  await loop("ONCE again", EVLOOP_ONCE);
  event_base_once(base, -1, EV_TIMEOUT, killer, 3, z);
  await loop("three SIGUSR1, loopbreak at the second call", 0);
  event_del(ev[1]!);
  event_del(ev[2]!);
  event_base_active_by_signal(base, SIGUSR1);
  await loop("active_by_signal", EVLOOP_NONBLOCK);
  event_active(ev[0]!, EV_SIGNAL, 3);
  event_active(ev[0]!, EV_SIGNAL, 5);
  await loop("event_active ncalls 3 then 5", EVLOOP_NONBLOCK);
  event_active(ev[0]!, EV_READ, 0);
  await loop("event_active ncalls 0", EVLOOP_NONBLOCK);
  ev[3] = evsignal_new(base, SIGUSR1, sig_cb, 3);
  evsignal_add(ev[3]!, null);
  event_active(ev[3]!, EV_SIGNAL, 4);
  await loop("event_del inside the series", EVLOOP_NONBLOCK);
  event_del(ev[0]!);
  // a signal event with a timeout: the timeout fires once, then it watches no more
  const t = ms(5);
  evsignal_add(ev[3]!, t);
  await loop("signal timeout", 0);
  pending(3);
  ev[4] = evsignal_new(base, SIGKILL, sig_cb, 4);
  printf(`SIGKILL add -> ${evsignal_add(ev[4]!, null)}\n`);
  printf(
    `bad combination -> ${event_new(base, SIGUSR1, EV_SIGNAL | EV_READ, sig_cb, null) ? "event" : "NULL"}\n`,
  );
  free_all();
}

// ---- 11: foreach and dump ----

function visit(_b: EventBase, e: Event, arg: any): number {
  const n = arg as { value: number };
  if (event_get_callback(e) !== trace_cb) return 0;
  printf(
    `visit ${event_get_callback_arg(e)} fd=${event_get_fd(e)} events=${event_get_events(e)}\n`,
  );
  return ++n.value === 6 ? 42 : 0;
}

// Prints event_base_dump_events with addresses and times masked.
function dump(): void {
  const path = join(tmpdir(), `loop_trace_dump_${process.pid}`);
  const fd = openSync(path, "w+");
  event_base_dump_events(base, { fd });
  closeSync(fd);
  const text = readFileSync(path, "utf8");
  unlinkSync(path);
  for (const line of text.split(/(?<=\n)/)) {
    const out = line.replace(/0x[0-9a-f]*/g, "PTR").replace(/Timeout=[0-9][0-9.]*/g, "Timeout=T");
    if (!out.includes("Internal")) printf(out);
  }
}

async function scenario_inspect(): Promise<void> {
  printf("== 11 foreach and dump\n");
  new_base(3);
  const t = ms(50);
  ev[0] = evtimer_new(base, trace_cb, 0);
  ev[1] = evsignal_new(base, SIGUSR2, trace_cb, 1);
  ev[2] = evsignal_new(base, SIGUSR1, trace_cb, 2);
  ev[3] = evsignal_new(base, SIGUSR1, trace_cb, 3);
  ev[4] = event_new(base, -1, 0, trace_cb, 4);
  ev[5] = event_new(base, -1, EV_READ | EV_PERSIST, trace_cb, 5);
  ev[6] = evtimer_new(base, trace_cb, 6);
  ev[7] = evtimer_new(base, trace_cb, 7);
  evtimer_add(ev[0]!, t);
  evsignal_add(ev[1]!, t);
  evsignal_add(ev[2]!, null);
  evsignal_add(ev[3]!, null);
  event_active(ev[4]!, EV_WRITE, 0);
  event_add(ev[5]!, null);
  evtimer_add(ev[6]!, t);
  event_active(ev[6]!, EV_READ | EV_TIMEOUT, 0);
  event_priority_set(ev[7]!, 0);
  event_active(ev[7]!, EV_TIMEOUT, 0);
  const n = { value: 0 };
  printf(`foreach -> ${event_base_foreach_event(base, visit, n)}\n`);
  n.value = -100;
  printf(`foreach -> ${event_base_foreach_event(base, visit, n)}\n`);
  printf(`foreach NULL fn -> ${event_base_foreach_event(base, null, null)}\n`);
  dump();
  free_all();
}

// ---- 12: assign, accessors, self cbarg, configs, compat ----

const stack_ev: any = {};

function self_cb(_fd: number, _what: number, arg: any): void {
  printf(
    `self arg is the event: ${b2i(arg === stack_ev)}, running is it: ${b2i(event_base_get_running_event(base) === stack_ev)}\n`,
  );
}

async function scenario_setup(): Promise<void> {
  printf("== 12 setup calls\n");
  new_base(1);
  printf(`initialized before=${event_initialized(stack_ev)}\n`);
  printf(
    `assign -> ${event_assign(stack_ev, base, -1, EV_PERSIST, self_cb, event_self_cbarg())}\n`,
  );
  printf(
    `initialized=${event_initialized(stack_ev)} fd=${event_get_fd(stack_ev)} ` +
      `events=${event_get_events(stack_ev)} pri=${event_get_priority(stack_ev)}\n`,
  );
  const b_out = { value: null as EventBase | null },
    fd_out = { value: 0 },
    ev_out = { value: 0 },
    cb_out = { value: null as any },
    arg_out = { value: null as any };
  event_get_assignment(stack_ev, b_out, fd_out, ev_out, cb_out, arg_out);
  printf(
    `assignment base=${b2i(b_out.value === base)} fd=${fd_out.value} events=${ev_out.value} ` +
      `cb=${b2i(cb_out.value === self_cb)} arg=${b2i(arg_out.value === stack_ev)}\n`,
  );
  event_active(stack_ev, EV_READ, 0);
  await loop("self cbarg", 0);
  event_debug_unassign(stack_ev);
  printf(`after unassign initialized=${event_initialized(stack_ev)}\n`);
  printf(`version ${event_get_version()} ${event_get_version_number().toString(16)}\n`);
  printf(`method ${event_base_get_method(base)} features ${event_base_get_features(base)}\n`);
  for (const m of event_get_supported_methods()) printf(`supported ${m}\n`);
  event_base_free(base);

  const avoid = ["epoll", "poll", "select"];
  let cfg = event_config_new();
  for (let i = 0; i < 3; i++) {
    event_config_avoid_method(cfg, avoid[i]);
    const b = event_base_new_with_config(cfg);
    printf(`avoiding ${i + 1} methods: ${b ? event_base_get_method(b) : "NULL"}\n`);
    if (b) event_base_free(b);
  }
  event_config_free(cfg);
  for (let f = 0; f < 16; f++) {
    cfg = event_config_new();
    event_config_require_features(cfg, f);
    const b = event_base_new_with_config(cfg);
    printf(
      `require ${f}: ${b ? event_base_get_method(b) : "NULL"} ${b ? event_base_get_features(b) : -1}\n`,
    );
    if (b) event_base_free(b);
    event_config_free(cfg);
  }
  printf(
    `NULL config: set_flag=${event_config_set_flag(null as any, 1)} ` +
      `require=${event_config_require_features(null as any, 1)} ` +
      `cpus=${event_config_set_num_cpus_hint(null as any, 2)}\n`,
  );
  const tv = { tv_sec: 0, tv_usec: 0 };
  printf(
    `gettime_monotonic NULL -> ${event_gettime_monotonic(null, tv)}, ` +
      `NULL base update_cache -> ${event_base_update_cache_time(null)}\n`,
  );
  printf(
    `loopbreak NULL=${event_base_loopbreak(null)} loopcontinue NULL=${event_base_loopcontinue(null)} ` +
      `loopexit NULL=${event_base_loopexit(null, null)} ` +
      `once NULL=${event_base_once(null, -1, EV_TIMEOUT, once_cb, null, null)}\n`,
  );
}

async function scenario_max_dispatch(): Promise<void> {
  printf("== 13 max dispatch\n");
  for (let variant = 0; variant < 2; variant++) {
    const cfg = event_config_new();
    if (variant) event_config_set_max_dispatch_interval(cfg, null, 2, 0);
    base = event_base_new_with_config(cfg)!;
    event_config_free(cfg);
    event_base_priority_init(base, 2);
    for (let i = 0; i < 4; i++) ev[i] = event_new(base, -1, 0, ctl_cb, i === 0 ? 12 : i);
    event_priority_set(ev[3]!, 0);
    for (let i = 0; i < 3; i++) event_active(ev[i]!, EV_READ, 0);
    await loop(variant ? "two callbacks per pass" : "no limit", 0);
    free_all();
  }
}

// ---- 14: the compat current base ----

function compat_cb(_fd: number, what: number, arg: any): void {
  printf(`compat ${arg} what=${what}\n`);
}

async function scenario_compat(): Promise<void> {
  printf("== 14 compat\n");
  const e1: any = {},
    e2: any = {};
  const t = ms(5);
  printf(
    `no current base: loopexit=${event_loopexit(null)} loopbreak=${event_loopbreak()} ` +
      `once=${event_once(-1, EV_TIMEOUT, compat_cb, "x", null)}\n`,
  );
  event_set(e1, -1, 0, compat_cb, "baseless");
  printf(`baseless add=${event_add(e1, t)}\n`);
  const b = event_init();
  printf(`event_init: method=${event_get_method()} npri=${event_base_get_npriorities(null)}\n`);
  printf(`priority_init=${event_priority_init(3)}\n`);
  printf(`base_set=${event_base_set(b, e1)}\n`);
  printf(`pri after base_set=${event_get_priority(e1)}\n`);
  evtimer_set(e2, compat_cb, "evtimer_set");
  printf(`e2 pri=${event_get_priority(e2)}\n`);
  evtimer_add(e1, t);
  timeout_add(e2, t);
  printf(
    `timeout_pending=${timeout_pending(e2, null)} signal_pending=${signal_pending(e2, null)} ` +
      `initialized=${timeout_initialized(e2)} EVENT_FD=${EVENT_FD(e2)}\n`,
  );
  printf(`base_set on a pending event=${event_base_set(b, e2)}\n`);
  event_once(-1, EV_TIMEOUT, compat_cb, "once", null);
  printf(`dispatch -> ${await event_dispatch()}\n`);
  event_loopexit(null);
  event_once(-1, EV_TIMEOUT, compat_cb, "once2", null);
  printf(`loop -> ${await event_loop(0)}\n`);
  event_loopbreak();
  printf(`loop ONCE -> ${await event_loop(EVLOOP_ONCE)}\n`);
  event_base_free(null);
  printf(`after freeing the current base: loopbreak=${event_loopbreak()}\n`);
}

// ---- the random script ----

let mains: string[] = [],
  cbs: string[] = [];
let nmains = 0,
  ncbs = 0,
  next_cb = 0;
let ncallbacks = 0;
let npri_now = 1;
const fin_pending: boolean[] = new Array(NEV).fill(false),
  fin_frees: boolean[] = new Array(NEV).fill(false);

function rcb(_fd: number, what: number, arg: any): void {
  const i = arg as number;
  printf(`cb ${i} what=${what}\n`);
  if (++ncallbacks > 2000000) {
    printf("too many callbacks\n");
    event_base_loopbreak(base);
    return;
  }
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
  else if (i < NEV) event_del(ev[i]!);
}

function new_random_event(i: number): void {
  ev[i] = event_new(base, -1, kind_events(i), rcb, i);
  if (i % 3 === 0 && npri_now > 1) event_priority_set(ev[i]!, i % npri_now);
}

function rfin(_e: Event, arg: any): void {
  const i = arg as number;
  fin_pending[i] = false;
  printf(`fin ${i}\n`);
  if (fin_frees[i]) {
    // event_free_finalize: the event is freed after this returns
    fin_frees[i] = false;
    new_random_event(i);
  }
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
}

function rvisit(_b: EventBase, e: Event): number {
  if (event_get_callback(e) === rcb) printf(` ${event_get_callback_arg(e)}`);
  else printf(" other");
  return 0;
}

function ronce(_fd: number, what: number, arg: any): void {
  printf(`once ${arg} what=${what}\n`);
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
}

function kind_events(kind: number): number {
  const k = [0, EV_PERSIST, EV_READ | EV_PERSIST, EV_READ];
  return k[kind & 3];
}

/** Runs a line's operations; returns the flags of its final `L`, or null. */
function run_ops(line: string): number | null {
  const toks = line.split(" ").filter((t) => t !== "");
  let p = 0;
  const ARG = () => parseInt(toks[p++], 10);
  while (p < toks.length) {
    const op = toks[p++];
    let a: number, b: number;
    switch (op) {
      case "a": // activate i res
        a = ARG();
        b = ARG();
        event_active(ev[a]!, b, 1);
        break;
      case "t": {
        // add i ms (-1: NULL; read events always get a timeout)
        a = ARG();
        b = ARG();
        const tv = ms(b < 0 ? 0 : b);
        const r = event_add(ev[a]!, b < 0 && !(event_get_events(ev[a]!) & EV_READ) ? null : tv);
        if (r) printf(`add ${a} -> ${r}\n`);
        break;
      }
      case "d":
        a = ARG();
        event_del(ev[a]!);
        break;
      case "p":
        a = ARG();
        b = ARG();
        printf(`prio ${a} ${b} -> ${event_priority_set(ev[a]!, b)}\n`);
        break;
      case "q": {
        a = ARG();
        const tv = { tv_sec: 0, tv_usec: 0 };
        const r = event_pending(ev[a]!, EV_TIMEOUT | EV_READ | EV_WRITE | EV_SIGNAL, tv);
        const at = tv.tv_sec ? tv.tv_sec * 1000000 + tv.tv_usec - VWALL_OFFSET_US - VSTART_US : -1;
        printf(`pending ${a} = ${r} at=${at}\n`);
        break;
      }
      case "c":
        counts("counts");
        break;
      case "b":
        event_base_loopbreak(base);
        break;
      case "k":
        event_base_loopcontinue(base);
        break;
      case "x": {
        a = ARG();
        const tv = ms(a < 0 ? 0 : a);
        event_base_loopexit(base, a < 0 ? null : tv);
        break;
      }
      case "o": {
        a = ARG();
        b = ARG();
        const tv = ms(b < 0 ? 0 : b);
        event_base_once(base, -1, EV_TIMEOUT, ronce, a, b < 0 ? null : tv);
        break;
      }
      case "r": // reassign i kind
        a = ARG();
        b = ARG();
        if (fin_pending[a]) break;
        event_del(ev[a]!);
        event_assign(ev[a]!, base, -1, kind_events(b), rcb, a);
        if (a % 3 === 0 && npri_now > 1) event_priority_set(ev[a]!, a % npri_now);
        break;
      case "f":
        a = ARG();
        if (fin_pending[a]) break;
        fin_pending[a] = true;
        event_finalize(0, ev[a]!, rfin);
        break;
      case "F":
        a = ARG();
        if (fin_pending[a]) break;
        fin_pending[a] = fin_frees[a] = true;
        event_free_finalize(0, ev[a]!, rfin);
        break;
      case "m": // remove_timer, but never leave a read event inserted without one
        a = ARG();
        if (!(event_get_events(ev[a]!) & EV_READ)) event_remove_timer(ev[a]!);
        break;
      case "g":
        event_base_active_by_fd(base, -1, EV_TIMEOUT);
        break;
      case "v":
        printf("visit:");
        event_base_foreach_event(base, rvisit, null);
        printf("\n");
        break;
      case "s": {
        const tv = { tv_sec: 0, tv_usec: 0 };
        event_base_gettimeofday_cached(base, tv);
        printf(`now ${tv.tv_sec * 1000000 + tv.tv_usec - VWALL_OFFSET_US - VSTART_US}\n`);
        break;
      }
      case "u":
        event_base_update_cache_time(base);
        break;
      case "P": // priority_init n, only growing: every priority stays in range
        a = ARG();
        if (a < npri_now) {
          printf(`priority_init ${a} skipped\n`);
          break;
        }
        b = event_base_priority_init(base, a);
        printf(`priority_init ${a} -> ${b}\n`);
        if (b === 0) npri_now = a;
        break;
      case "L": // loop flags (main lines only, last)
        return ARG();
      default:
        printf(`bad op ${op}\n`);
        fflush();
        process.exit(2);
    }
  }
  return null;
}

async function random_script(): Promise<void> {
  const lines = readFileSync(0, "utf8").split("\n");
  const m = /^npri (\d+) mains (\d+) cbs (\d+)$/.exec(lines[0])!;
  const npri = +m[1];
  nmains = +m[2];
  ncbs = +m[3];
  mains = lines.slice(1, 1 + nmains);
  cbs = lines.slice(1 + nmains, 1 + nmains + ncbs);
  setVirtualClock(VSTART_US, VWALL_OFFSET_US + VSTART_US);
  new_base(npri);
  npri_now = npri;
  for (let i = 0; i < NEV; i++) new_random_event(i);
  for (let i = 0; i < nmains; i++) {
    const flags = run_ops(mains[i]);
    if (flags === null) continue;
    if (flags & EVLOOP_NO_EXIT_ON_EMPTY) event_base_loopexit(base, ms(7));
    printf(`loop ${flags} -> ${await event_base_loop(base, flags)}\n`);
  }
  // then until every callback line has run and nothing is left
  let r = 0;
  for (let rounds = 0; rounds < 100000 && (r === 0 || next_cb < ncbs); rounds++) {
    if (next_cb < ncbs) event_base_once(base, -1, EV_TIMEOUT, ronce, -1, null);
    r = await event_base_loop(base, 0);
    printf(`final loop -> ${r}\n`);
  }
  counts("end");
  printf(`used ${next_cb} of ${ncbs} callback lines\n`);
  free_all();
}

async function main(): Promise<void> {
  if (process.argv[2] === "random") {
    await random_script();
  } else {
    await scenario_timers();
    await scenario_priorities();
    await scenario_scheduling();
    await scenario_loop_control();
    await scenario_loop_flags();
    await scenario_persist();
    await scenario_pending();
    await scenario_counts();
    await scenario_finalize();
    await scenario_signals();
    await scenario_inspect();
    await scenario_setup();
    await scenario_max_dispatch();
    await scenario_compat();
  }
  printf("done\n");
  fflush();
}

await main();
