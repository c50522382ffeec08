// common_timeouts: the line-by-line TypeScript port of test/c/common_timeouts.c
// (read that file's header). Run as `node dist/test/common_timeouts.js`;
// test/common_timeouts.test.ts compares its output with the C program's.
import {
  EVENT_BASE_COUNT_ADDED,
  EV_PERSIST,
  EV_READ,
  EV_TIMEOUT,
  event_active,
  event_add,
  event_base_dispatch,
  event_base_foreach_event,
  event_base_free,
  event_base_get_num_events,
  event_base_init_common_timeout,
  event_base_loopexit,
  event_base_new,
  event_base_once,
  event_base_priority_init,
  event_del,
  event_free,
  event_get_events,
  event_get_fd,
  event_new,
  event_priority_set,
  evtimer_add,
  evtimer_new,
  type Event,
  type EventBase,
  type event_callback_fn,
  type Timeval,
} from "../src/event2/event.js";
import {
  bufferevent_enable,
  bufferevent_free,
  bufferevent_pair_new,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { printf, setvbuf, stdout, _IONBF } from "../src/libc/index.js";

const N = 24;
let base: EventBase;
const evs: (Event | null)[] = [];
let c10: Timeval, c5: Timeval;
let persist_runs = 0;
const pair: (BufferEvent | null)[] = [null, null];

function say(fd: number, what: number, arg: any): void {
  void fd;
  printf("%d%s ", arg, what & EV_TIMEOUT ? "" : "?");
}

function persist(fd: number, what: number, arg: any): void {
  say(fd, what, arg);
  if (++persist_runs === 6) {
    event_del(evs[0]!);
    event_del(evs[1]!);
  }
}

function visit(b: EventBase, e: Event, arg: any): number {
  void b;
  void arg;
  for (let i = 0; i < N; i++)
    if (e === evs[i]) {
      printf("v%d ", i);
      return 0;
    }
  printf("v(fd %d, events %d) ", event_get_fd(e), event_get_events(e));
  return 0;
}

function ties(): void {
  const ten = { tv_sec: 0, tv_usec: 10000 },
    five = { tv_sec: 0, tv_usec: 5000 };
  for (let i = 0; i < N; i++) {
    evs[i] = evtimer_new(base, say, i);
    if (i % 3 === 0) evtimer_add(evs[i]!, c10);
    else if (i % 3 === 1) evtimer_add(evs[i]!, ten);
    else evtimer_add(evs[i]!, i % 4 ? five : c5);
  }
  event_del(evs[3]!);
  event_del(evs[4]!);
  evtimer_add(evs[0]!, c10); // to the back of its queue
  evtimer_add(evs[6]!, ten);
  evtimer_add(evs[2]!, c10); // from the heap to the queue
  evtimer_add(evs[9]!, five); // from the queue to the heap
  printf("added %d: ", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
  event_base_foreach_event(base, visit, null);
  printf("\n");
}

function persistent(): void {
  const ten = { tv_sec: 0, tv_usec: 10000 };
  evs[0] = event_new(base, -1, EV_PERSIST, persist, 0);
  evs[1] = event_new(base, -1, EV_PERSIST, persist, 1);
  evs[2] = evtimer_new(base, say, 2);
  event_add(evs[0]!, c10);
  event_add(evs[1]!, ten);
  event_add(evs[2]!, c10);
}

function prio(): void {
  for (let i = 0; i < 6; i++) {
    evs[i] = evtimer_new(base, say, i);
    event_priority_set(evs[i]!, i % 3);
    evtimer_add(evs[i]!, i < 3 ? c10 : c5);
  }
}

function once(): void {
  const ten = { tv_sec: 0, tv_usec: 10000 };
  event_base_once(base, -1, EV_TIMEOUT, say, 100, c10);
  event_base_once(base, -1, EV_TIMEOUT, say, 101, ten);
  event_base_once(base, -1, EV_TIMEOUT, say, 102, c10);
  event_base_loopexit(base, c10);
  event_base_once(base, -1, EV_TIMEOUT, say, 103, c10);
}

function bev_event(bev: BufferEvent, what: number, arg: any): void {
  void bev;
  printf("bev%d %x ", arg, what);
}

function bev_timeout(): void {
  bufferevent_pair_new(base, 0, pair);
  bufferevent_setcb(pair[0]!, null, null, bev_event, 0);
  bufferevent_enable(pair[0]!, EV_READ);
  evs[0] = evtimer_new(base, say, 0);
  evtimer_add(evs[0]!, c5);
  bufferevent_set_timeouts(pair[0]!, c10, null);
  evs[1] = evtimer_new(base, say, 1);
  evtimer_add(evs[1]!, c10);
}

async function run(name: string, start: event_callback_fn, nprio: number): Promise<void> {
  const ten = { tv_sec: 0, tv_usec: 10000 },
    five = { tv_sec: 0, tv_usec: 5000 };
  base = event_base_new()!;
  if (nprio > 1) event_base_priority_init(base, nprio);
  c10 = event_base_init_common_timeout(base, ten)!;
  c5 = event_base_init_common_timeout(base, five)!;
  for (let i = 0; i < N; i++) evs[i] = null;
  printf("%s: ", name);
  const s = evtimer_new(base, start, null)!;
  event_active(s, EV_TIMEOUT, 1);
  printf("loop %d\n", await event_base_dispatch(base));
  event_free(s);
  for (let i = 0; i < N; i++) if (evs[i]) event_free(evs[i]!);
  if (pair[0]) {
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]!);
    pair[0] = pair[1] = null;
  }
  event_base_free(base);
}

setvbuf(stdout, null, _IONBF, 0);
await run("ties", ties, 1);
await run("persistent", persistent, 1);
await run("priorities", prio, 3);
await run("once", once, 1);
await run("bufferevent", bev_timeout, 1);
