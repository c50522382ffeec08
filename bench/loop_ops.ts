// loop_ops: the event loop's hot paths, ported line by line from
// bench/c/loop_ops.c (run both: `cc -O2 bench/c/loop_ops.c -levent`).
//   active_pingpong  two events activating each other from their callbacks
//   timer_churn      evtimer_add + evtimer_del of 1000 timers, repeatedly
//   timer_fire       1000 timers of 0 ms re-added from their callbacks
// usage: node dist/bench/loop_ops.js [scale]   (1 = the default counts)
import {
  EV_READ,
  event_active,
  event_assign,
  event_base_dispatch,
  event_base_loopbreak,
  event_base_new,
  event_new,
  event_self_cbarg,
  evtimer_add,
  evtimer_del,
  evtimer_new,
  type Event,
  type EventBase,
} from "../src/event2/event.js";

let base: EventBase;
let a: Event, b: Event;
let n = 0,
  target = 0;

const now = () => performance.now() / 1e3;

function report(name: string, ops: number, secs: number): void {
  console.log(
    `bench=loop case=${name} impl=ts ops=${ops} secs=${secs.toFixed(3)} ops_per_s=${(ops / secs).toFixed(0)}`,
  );
}

function ping(_fd: number, _what: number, arg: any): void {
  if (++n >= target) {
    event_base_loopbreak(base);
    return;
  }
  event_active(arg === a ? b : a, EV_READ, 0);
}

const NTIMERS = 1000;
const timers: Event[] = [];
const zero = { tv_sec: 0, tv_usec: 0 };

function refire(_fd: number, _what: number, arg: any): void {
  if (++n >= target) {
    event_base_loopbreak(base);
    return;
  }
  evtimer_add(arg as Event, zero);
}

async function main(): Promise<void> {
  const scale = process.argv[2] ? Number(process.argv[2]) : 1;
  base = event_base_new()!;

  a = event_new(base, -1, 0, ping, event_self_cbarg())!;
  b = event_new(base, -1, 0, ping, event_self_cbarg())!;
  n = 0;
  target = Math.floor(5e6 * scale);
  event_active(a, EV_READ, 0);
  let t0 = now();
  await event_base_dispatch(base);
  report("active_pingpong", n, now() - t0);

  for (let i = 0; i < NTIMERS; i++) timers.push(evtimer_new(base, refire, null)!);
  const rounds = Math.floor(2000 * scale);
  const tv = { tv_sec: 0, tv_usec: 0 };
  t0 = now();
  for (let r = 0; r < rounds; r++) {
    tv.tv_sec = 1 + (r % 7);
    tv.tv_usec = (r * 7919) % 1000000;
    for (let i = 0; i < NTIMERS; i++) evtimer_add(timers[i], tv);
    for (let i = 0; i < NTIMERS; i++) evtimer_del(timers[i]);
  }
  report("timer_churn", rounds * NTIMERS * 2, now() - t0);

  for (let i = 0; i < NTIMERS; i++) {
    event_assign(timers[i], base, -1, 0, refire, timers[i]);
    evtimer_add(timers[i], zero);
  }
  n = 0;
  target = Math.floor(2e6 * scale);
  t0 = now();
  await event_base_dispatch(base);
  report("timer_fire", n, now() - t0);
}

await main();
