// libevent's sample/time-test.c, ported line by line from
// examples/c/time_test.c: one timer, added again from its own callback (or
// made EV_PERSIST with -p), that prints the wall-clock second it ran at and
// the time since it last ran. It never ends.
//
// Usage: node dist/examples/time_test.js [-p] [msec]   (interval, default 2000)
import {
  EV_PERSIST,
  event_add,
  event_assign,
  event_base_dispatch,
  event_base_new,
  type Event,
  type Timeval,
} from "bufferevent/event2/event";
import { evutil_gettimeofday, evutil_timerclear, evutil_timersub } from "bufferevent/event2/util";
import { argc, argv, atoi, printf, strcmp } from "bufferevent/libc";

let lasttime: Timeval = { tv_sec: 0, tv_usec: 0 };
const interval: Timeval = { tv_sec: 0, tv_usec: 0 };
let persistent = 0;

function on_timeout(fd: number, what: number, arg: any): void {
  const timeout: Event = arg;
  const now: Timeval = { tv_sec: 0, tv_usec: 0 };
  const diff: Timeval = { tv_sec: 0, tv_usec: 0 };

  evutil_gettimeofday(now, null);
  evutil_timersub(now, lasttime, diff);
  const elapsed = diff.tv_sec + diff.tv_usec / 1.0e6;

  printf("timeout_cb called at %d: %.3f seconds elapsed.\n", now.tv_sec, elapsed);
  lasttime = now;

  // A non-persistent timer is gone once it fired: schedule it again.
  if (!persistent) event_add(timeout, interval);
}

const timeout: any = {};
let i = 1;
let msec = 2000;

if (i < argc && strcmp(argv[i], "-p") === 0) {
  persistent = 1;
  i++;
}
if (i < argc) msec = atoi(argv[i]);

const base = event_base_new()!;

event_assign(timeout, base, -1, persistent ? EV_PERSIST : 0, on_timeout, timeout);

evutil_timerclear(interval);
interval.tv_sec = Math.trunc(msec / 1000);
interval.tv_usec = (msec % 1000) * 1000;
event_add(timeout, interval);

evutil_gettimeofday(lasttime, null);

await event_base_dispatch(base);
