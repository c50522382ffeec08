/* loop_trace: observable scheduling of libevent 2.1.12's event loop, one
 * trace line per callback and return value. test/loop_trace.ts is its
 * line-by-line TypeScript port; test/loop_trace.test.ts runs both and
 * compares the traces.
 *
 *   loop_trace scenarios   numbered scenarios on the real clock (their output
 *                          does not depend on timing)
 *   loop_trace random      a generated script from stdin on a virtual clock
 *
 * The virtual clock: this program defines clock_gettime, gettimeofday and
 * epoll_wait, which libevent then calls instead of libc's. Time stands still
 * while callbacks run and jumps by the whole milliseconds epoll would sleep,
 * so 0-3 ms timers give a trace that is a function of the script alone. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/event_struct.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- the virtual clock ---- */

static int virtual_clock = 0;
static long long vnow_us = 1000000000LL; /* monotonic; the wall clock is 1.7e9 s later */
#define VWALL_OFFSET_US 1700000000000000LL

int clock_gettime(clockid_t id, struct timespec *ts) {
  if (!virtual_clock) return (int)syscall(SYS_clock_gettime, id, ts);
  ts->tv_sec = vnow_us / 1000000;
  ts->tv_nsec = (vnow_us % 1000000) * 1000;
  return 0;
}

int gettimeofday(struct timeval *tv, void *tz) {
  if (!virtual_clock) return (int)syscall(SYS_gettimeofday, tv, tz);
  long long w = vnow_us + VWALL_OFFSET_US;
  tv->tv_sec = w / 1000000;
  tv->tv_usec = w % 1000000;
  return 0;
}

int epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout) {
  static int (*real)(int, struct epoll_event *, int, int);
  if (!real) real = (int (*)(int, struct epoll_event *, int, int))dlsym(RTLD_NEXT, "epoll_wait");
  if (!virtual_clock) return real(epfd, evs, max, timeout);
  int n = real(epfd, evs, max, timeout < 0 ? -1 : 0);
  if (n == 0 && timeout > 0) vnow_us += (long long)timeout * 1000;
  return n;
}

/* ---- shared state ---- */

static struct event_base *base;
#define NEV 16
static struct event *ev[NEV];
static int calls[NEV];

static void trace_cb(evutil_socket_t fd, short what, void *arg) {
  printf("cb %d fd=%d what=%d\n", (int)(intptr_t)arg, (int)fd, what);
}

static void new_base(int npri) {
  base = event_base_new();
  if (npri > 1) event_base_priority_init(base, npri);
  for (int i = 0; i < NEV; i++) ev[i] = NULL;
  memset(calls, 0, sizeof(calls));
}

static void free_all(void) {
  for (int i = 0; i < NEV; i++)
    if (ev[i]) event_free(ev[i]);
  event_base_free(base);
}

static struct timeval ms(int n) {
  struct timeval tv = {n / 1000, (n % 1000) * 1000};
  return tv;
}

static void loop(const char *name, int flags) {
  printf("%s -> %d\n", name, event_base_loop(base, flags));
}

static void counts(const char *when) {
  printf("%s: added=%d active=%d virtual=%d\n", when,
         event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
         event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE),
         event_base_get_num_events(base, EVENT_BASE_COUNT_VIRTUAL));
}

static void pending(int i) {
  struct timeval tv = {0, 0};
  int r = event_pending(ev[i], EV_TIMEOUT | EV_READ | EV_WRITE | EV_SIGNAL, &tv);
  printf("pending %d = %d tv_set=%d\n", i, r, tv.tv_sec != 0);
}

/* ---- 1: timers ---- */

static void add_equal_timers(evutil_socket_t fd, short what, void *arg) {
  struct timeval tv = ms(2);
  for (int i = 0; i < 8; i++) evtimer_add(ev[i], &tv);
}

static void add_mixed_timers(evutil_socket_t fd, short what, void *arg) {
  struct timeval a = ms(30), b = ms(0), c = ms(15);
  evtimer_add(ev[0], &a);
  evtimer_add(ev[1], &b);
  evtimer_add(ev[2], &c);
  evtimer_add(ev[3], &a);
  evtimer_add(ev[4], &c);
  evtimer_add(ev[5], &b);
  evtimer_add(ev[6], &a);
  event_del(ev[4]);
  evtimer_add(ev[2], &a); /* re-adding moves it */
}

static void scenario_timers(void) {
  printf("== 1 timers\n");
  new_base(1);
  for (int i = 0; i < 8; i++) ev[i] = evtimer_new(base, trace_cb, (void *)(intptr_t)i);
  struct timeval zero = ms(0);
  struct event *start = evtimer_new(base, add_equal_timers, NULL);
  evtimer_add(start, &zero);
  loop("equal deadlines", 0);
  event_assign(start, base, -1, 0, add_mixed_timers, NULL);
  evtimer_add(start, &zero);
  loop("mixed deadlines", 0);
  event_free(start);
  free_all();
}

/* ---- 2: priorities ---- */

static int chain_step;

static void prio_cb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  printf("cb %d pri=%d what=%d\n", i, event_get_priority(ev[i]), what);
  if (i == 4 && chain_step == 0) {
    chain_step = 1;
    event_active(ev[0], EV_READ, 0); /* more urgent: the pass ends after this callback */
    event_active(ev[5], EV_WRITE, 0); /* already active: ORs into its res */
    event_active(ev[4], EV_READ, 0);  /* re-activates itself at the tail */
  }
  if (i == 2 && chain_step == 1) {
    chain_step = 2;
    event_active(ev[3], EV_TIMEOUT, 0); /* same priority: runs in this pass */
    event_active(ev[5], EV_READ, 0);    /* less urgent: waits */
  }
}

static void scenario_priorities(void) {
  printf("== 2 priorities\n");
  int npris[3] = {1, 3, 5};
  for (int k = 0; k < 3; k++) {
    int n = npris[k];
    new_base(n);
    chain_step = 0;
    struct event *probe = event_new(base, -1, 0, trace_cb, NULL);
    printf("npri=%d default=%d\n", event_base_get_npriorities(base), event_get_priority(probe));
    event_free(probe);
    for (int i = 0; i < 6; i++) {
      ev[i] = event_new(base, -1, 0, prio_cb, (void *)(intptr_t)i);
      int r = event_priority_set(ev[i], (i * n) / 6);
      printf("set %d pri %d -> %d\n", i, (i * n) / 6, r);
    }
    printf("set bad -> %d %d\n", event_priority_set(ev[0], n), event_priority_set(ev[0], -1));
    event_active(ev[4], EV_READ, 0);
    event_active(ev[2], EV_READ, 0);
    event_active(ev[5], EV_READ, 0);
    event_active(ev[1], EV_WRITE, 0);
    event_active(ev[1], EV_READ, 0);
    printf("set active -> %d\n", event_priority_set(ev[1], 0));
    printf("init while active -> %d\n", event_base_priority_init(base, 2));
    loop("dispatch", 0);
    free_all();
  }
  new_base(1);
  printf("init 0 -> %d\n", event_base_priority_init(base, 0));
  printf("init 256 -> %d\n", event_base_priority_init(base, 256));
  printf("init 255 -> %d\n", event_base_priority_init(base, 255));
  printf("npri=%d\n", event_base_get_npriorities(base));
  free_all();
}

/* ---- 3: what callbacks schedule: event_active, event_base_once, timers ---- */

static void once_cb(evutil_socket_t fd, short what, void *arg) {
  printf("once %s fd=%d what=%d\n", (const char *)arg, (int)fd, what);
}

static void scheduler(evutil_socket_t fd, short what, void *arg) {
  struct timeval zero = ms(0);
  printf("scheduler\n");
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "null-tv", NULL);
  event_active(ev[1], EV_READ, 0);
  evtimer_add(ev[2], &zero);
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "zero-tv", &zero);
  event_active(ev[3], EV_WRITE, 0);
  event_base_once(base, -1, EV_TIMEOUT, once_cb, "timer-0", NULL);
  evtimer_add(ev[4], &zero);
}

static void scenario_scheduling(void) {
  printf("== 3 scheduling from callbacks\n");
  new_base(1);
  for (int i = 1; i < 5; i++) ev[i] = event_new(base, -1, 0, trace_cb, (void *)(intptr_t)i);
  ev[0] = event_new(base, -1, 0, scheduler, NULL);
  event_active(ev[0], EV_READ, 0);
  event_active(ev[1], EV_TIMEOUT, 0);
  loop("dispatch", 0);
  struct timeval t = ms(5);
  printf("once events=0 -> %d\n", event_base_once(base, -1, 0, once_cb, "x", NULL));
  printf("once persist -> %d\n", event_base_once(base, -1, EV_TIMEOUT | EV_PERSIST, once_cb, "x", NULL));
  printf("once signal -> %d\n", event_base_once(base, SIGUSR1, EV_SIGNAL, once_cb, "x", NULL));
  printf("once read fd -1 -> %d\n", event_base_once(base, -1, EV_READ, once_cb, "read", &t));
  printf("once timeout|read -> %d\n", event_base_once(base, -1, EV_TIMEOUT | EV_READ, once_cb, "tr", &t));
  counts("two once events");
  loop("dispatch", 0);
  free_all();
}

/* ---- 4: loopexit, loopbreak, loopcontinue ---- */

static void ctl_cb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  struct timeval zero = ms(0);
  printf("cb %d\n", i);
  if (i == 10) event_base_loopbreak(base);
  if (i == 11) {
    evtimer_add(ev[3], &zero);
    event_base_loopcontinue(base);
  }
  if (i == 12) evtimer_add(ev[3], &zero);
}

static void scenario_loop_control(void) {
  printf("== 4 loop control\n");
  new_base(1);
  for (int i = 0; i < 3; i++) ev[i] = event_new(base, -1, 0, ctl_cb, (void *)(intptr_t)i);
  for (int i = 0; i < 3; i++) event_active(ev[i], EV_READ, 0);
  event_base_loopexit(base, NULL);
  counts("after loopexit(NULL)");
  loop("loopexit(NULL) first", 0);
  printf("got_exit=%d got_break=%d\n", event_base_got_exit(base), event_base_got_break(base));
  loop("empty", 0);
  printf("got_exit=%d\n", event_base_got_exit(base));

  for (int i = 0; i < 3; i++) event_active(ev[i], EV_READ, 0);
  event_base_loopbreak(base);
  loop("loopbreak before", 0);

  event_assign(ev[1], base, -1, 0, ctl_cb, (void *)(intptr_t)10);
  for (int i = 0; i < 3; i++) event_active(ev[i], EV_READ, 0);
  loop("loopbreak inside", 0);
  printf("got_exit=%d got_break=%d\n", event_base_got_exit(base), event_base_got_break(base));
  loop("after break", 0);

  struct timeval t = ms(20);
  event_base_loopexit(base, &t);
  counts("after loopexit(20ms)");
  loop("loopexit(20ms), nothing else", 0);
  loop("empty", 0);
  free_all();

  /* loopcontinue: the pass ends, so a more urgent timer runs before the rest. */
  for (int variant = 0; variant < 2; variant++) {
    new_base(2);
    ev[0] = event_new(base, -1, 0, ctl_cb, (void *)(intptr_t)(variant ? 11 : 12));
    ev[1] = event_new(base, -1, 0, ctl_cb, (void *)(intptr_t)1);
    ev[3] = evtimer_new(base, ctl_cb, (void *)(intptr_t)3);
    event_priority_set(ev[3], 0);
    event_active(ev[0], EV_READ, 0);
    event_active(ev[1], EV_READ, 0);
    loop(variant ? "with loopcontinue" : "without loopcontinue", 0);
    free_all();
  }
}

/* ---- 5: EVLOOP_ONCE, EVLOOP_NONBLOCK, EVLOOP_NO_EXIT_ON_EMPTY ---- */

static void chain_cb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  printf("cb %d what=%d\n", i, what);
  if (i < 3) event_active(ev[i + 1], EV_READ, 0);
}

static void scenario_loop_flags(void) {
  printf("== 5 loop flags\n");
  new_base(1);
  loop("NONBLOCK empty", EVLOOP_NONBLOCK);
  loop("ONCE empty", EVLOOP_ONCE);
  loop("dispatch empty", 0);
  for (int i = 0; i < 4; i++) ev[i] = event_new(base, -1, 0, chain_cb, (void *)(intptr_t)i);
  struct timeval far = ms(60000), t10 = ms(10);
  evtimer_add(ev[3], &far);
  loop("NONBLOCK timer far away", EVLOOP_NONBLOCK);
  event_active(ev[0], EV_READ, 0);
  loop("NONBLOCK chain", EVLOOP_NONBLOCK);
  event_active(ev[0], EV_READ, 0);
  loop("ONCE chain", EVLOOP_ONCE);
  evtimer_add(ev[3], &t10);
  loop("ONCE waits for a timer", EVLOOP_ONCE);
  loop("ONCE nothing left", EVLOOP_ONCE);
  loop("NO_EXIT_ON_EMPTY|NONBLOCK", EVLOOP_NO_EXIT_ON_EMPTY | EVLOOP_NONBLOCK);
  event_base_loopexit(base, &t10);
  loop("NO_EXIT_ON_EMPTY + loopexit", EVLOOP_NO_EXIT_ON_EMPTY);
  /* A read event on fd -1 is inserted: it keeps the loop alive and never fires. */
  ev[5] = event_new(base, -1, EV_READ | EV_PERSIST, trace_cb, (void *)(intptr_t)5);
  printf("add fd -1 -> %d\n", event_add(ev[5], NULL));
  pending(5);
  counts("user event");
  event_base_loopexit(base, &t10);
  loop("user event + loopexit", 0);
  event_active(ev[5], EV_READ, 0);
  loop("user event activated, NONBLOCK", EVLOOP_NONBLOCK);
  event_free(ev[5]);
  ev[5] = NULL;
  loop("after freeing it", 0);
  free_all();
}

/* ---- 6: persistent timers ---- */

static void persist_cb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  calls[i]++;
  printf("persist %d call %d what=%d\n", i, calls[i], what);
  if (i == 0 && calls[0] == 3) event_del(ev[0]);
  if (i == 2 && calls[2] == 1) event_active(ev[2], EV_READ, 0); /* runs again at once, timer rescheduled */
  if (i == 2 && calls[2] == 3) event_del(ev[2]);
}

static void scenario_persist(void) {
  printf("== 6 persistent timers\n");
  new_base(1);
  struct timeval t = ms(2), zero = ms(0);
  ev[0] = event_new(base, -1, EV_PERSIST, persist_cb, (void *)(intptr_t)0);
  evtimer_add(ev[0], &t);
  loop("three calls", 0);
  ev[1] = event_new(base, -1, EV_PERSIST, persist_cb, (void *)(intptr_t)1);
  evtimer_add(ev[1], &zero);
  loop("zero interval fires once", 0);
  pending(1);
  ev[2] = event_new(base, -1, EV_PERSIST, persist_cb, (void *)(intptr_t)2);
  evtimer_add(ev[2], &t);
  loop("activated while timed", 0);
  /* event_add(NULL) keeps the pending timeout; event_remove_timer drops it. */
  ev[3] = event_new(base, -1, EV_PERSIST, persist_cb, (void *)(intptr_t)3);
  evtimer_add(ev[3], &t);
  evtimer_add(ev[3], NULL);
  pending(3);
  event_remove_timer(ev[3]);
  pending(3);
  loop("after remove_timer", 0);
  free_all();
}

static void readd_cb(evutil_socket_t fd, short what, void *arg) {
  struct timeval t = ms(50);
  printf("cb %d re-adds 0: pending before=%d\n", (int)(intptr_t)arg, event_pending(ev[0], EV_TIMEOUT, NULL));
  evtimer_add(ev[0], &t);
}

/* ---- 7: event_pending, del of active events, active on non-added ones ---- */

static void scenario_pending(void) {
  printf("== 7 pending, del, active\n");
  new_base(1);
  struct timeval t = ms(50);
  ev[0] = evtimer_new(base, trace_cb, (void *)(intptr_t)0);
  ev[1] = event_new(base, -1, EV_READ | EV_WRITE, trace_cb, (void *)(intptr_t)1);
  ev[2] = evsignal_new(base, SIGUSR2, trace_cb, (void *)(intptr_t)2);
  pending(0);
  evtimer_add(ev[0], &t);
  pending(0);
  event_add(ev[1], &t);
  pending(1);
  evsignal_add(ev[2], NULL);
  pending(2);
  printf("evsignal_pending=%d evtimer_pending=%d\n", evsignal_pending(ev[2], NULL), evtimer_pending(ev[0], NULL));
  event_active(ev[1], EV_WRITE, 0);
  pending(1);
  counts("inserted+timer+active");
  event_del(ev[1]);
  pending(1);
  counts("after del of the active one");
  event_active(ev[0], EV_READ, 0);
  event_active(ev[0], EV_WRITE, 0);
  pending(0);
  loop("NONBLOCK: ORed res, then the timer is gone", EVLOOP_NONBLOCK);
  pending(0);
  event_active(ev[1], EV_TIMEOUT, 0);
  loop("active on a non-added event", EVLOOP_NONBLOCK);
  /* event_add on a non-persistent event that is active does not insert it */
  event_active(ev[1], EV_READ, 0);
  event_add(ev[1], NULL);
  pending(1);
  counts("add while active");
  loop("NONBLOCK", EVLOOP_NONBLOCK);
  pending(1);
  /* re-adding a timer that timed out cancels that activation */
  struct timeval z = ms(0);
  ev[4] = evtimer_new(base, readd_cb, (void *)(intptr_t)4);
  evtimer_add(ev[4], &z);
  evtimer_add(ev[0], &z);
  loop("NONBLOCK: 4 re-adds 0 before it runs", EVLOOP_NONBLOCK);
  pending(0);
  free_all();
}

/* ---- 8: counting ---- */

static void scenario_counts(void) {
  printf("== 8 counts\n");
  new_base(1);
  struct timeval t = ms(50);
  counts("new base");
  for (int i = 0; i < 4; i++) ev[i] = event_new(base, -1, i == 3 ? EV_READ : 0, trace_cb, (void *)(intptr_t)i);
  evtimer_add(ev[0], &t);
  evtimer_add(ev[1], &t);
  event_add(ev[3], &t);
  counts("two timers + read with timeout");
  event_active(ev[0], EV_READ, 0);
  event_active(ev[2], EV_READ, 0);
  counts("two active");
  printf("max added=%d active=%d\n", event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 0),
         event_base_get_max_events(base, EVENT_BASE_COUNT_ACTIVE, 1));
  printf("max all=%d\n", event_base_get_max_events(base, 7, 0));
  event_del(ev[3]);
  event_base_loop(base, EVLOOP_NONBLOCK);
  counts("after the pass");
  printf("max added=%d (cleared)\n", event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 1));
  printf("max added=%d\n", event_base_get_max_events(base, EVENT_BASE_COUNT_ADDED, 0));
  free_all();
}

/* ---- 9: finalizers ---- */

static void fin_cb(struct event *e, void *arg) {
  printf("fin %d\n", (int)(intptr_t)arg);
}

static void fin_from_cb(evutil_socket_t fd, short what, void *arg) {
  printf("cb %d finalizes itself\n", (int)(intptr_t)arg);
  event_finalize(0, ev[3], fin_cb);
  event_active(ev[3], EV_READ, 0);
}

static void scenario_finalize(void) {
  printf("== 9 finalize\n");
  new_base(1);
  struct timeval t = ms(50);
  for (int i = 0; i < 3; i++) ev[i] = event_new(base, -1, 0, trace_cb, (void *)(intptr_t)i);
  ev[3] = event_new(base, -1, 0, fin_from_cb, (void *)(intptr_t)3);
  evtimer_add(ev[0], &t);
  event_active(ev[1], EV_READ, 0);
  event_active(ev[3], EV_READ, 0);
  event_finalize(0, ev[1], fin_cb);
  event_finalize(0, ev[0], fin_cb);
  printf("finalizing: add=%d\n", event_add(ev[0], &t));
  printf("finalizing: del=%d\n", event_del(ev[0]));
  printf("finalizing: pending=%d\n", event_pending(ev[0], EV_TIMEOUT | EV_READ, NULL));
  event_active(ev[0], EV_READ, 0);
  counts("two finalizing");
  struct event *f = event_new(base, -1, 0, trace_cb, (void *)(intptr_t)7);
  event_free_finalize(0, f, fin_cb);
  loop("dispatch", 0);
  printf("after: add=%d\n", event_add(ev[1], &t));
  /* event_base_free runs the finalizers still pending */
  event_finalize(0, ev[2], fin_cb);
  event_base_free(base);
  printf("base freed\n");
}

/* ---- 10: signals ---- */

static void sig_cb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  calls[i]++;
  printf("sig %d signo=%d what=%d call %d\n", i, (int)fd, what, calls[i]);
  if (i == 1 && calls[1] == 2) event_base_loopbreak(base);
  if (i == 3 && calls[3] == 1) event_del(ev[3]);
}

static void killer(evutil_socket_t fd, short what, void *arg) {
  int n = (int)(intptr_t)arg;
  printf("kill x%d\n", n);
  for (int k = 0; k < n; k++) kill(getpid(), SIGUSR1);
  if (n == 1) kill(getpid(), SIGUSR2);
}

static void scenario_signals(void) {
  printf("== 10 signals\n");
  new_base(1);
  struct timeval z = ms(0);
  ev[0] = evsignal_new(base, SIGUSR1, sig_cb, (void *)(intptr_t)0);
  ev[1] = evsignal_new(base, SIGUSR1, sig_cb, (void *)(intptr_t)1);
  ev[2] = evsignal_new(base, SIGUSR2, sig_cb, (void *)(intptr_t)2);
  for (int i = 0; i < 3; i++) printf("add %d -> %d\n", i, evsignal_add(ev[i], NULL));
  counts("three signal events");
  event_base_once(base, -1, EV_TIMEOUT, killer, (void *)(intptr_t)1, &z);
  loop("one SIGUSR2 and one SIGUSR1", EVLOOP_ONCE);
  loop("ONCE again", EVLOOP_ONCE);
  event_base_once(base, -1, EV_TIMEOUT, killer, (void *)(intptr_t)3, &z);
  loop("three SIGUSR1, loopbreak at the second call", 0);
  event_del(ev[1]);
  event_del(ev[2]);
  event_base_active_by_signal(base, SIGUSR1);
  loop("active_by_signal", EVLOOP_NONBLOCK);
  event_active(ev[0], EV_SIGNAL, 3);
  event_active(ev[0], EV_SIGNAL, 5);
  loop("event_active ncalls 3 then 5", EVLOOP_NONBLOCK);
  event_active(ev[0], EV_READ, 0);
  loop("event_active ncalls 0", EVLOOP_NONBLOCK);
  ev[3] = evsignal_new(base, SIGUSR1, sig_cb, (void *)(intptr_t)3);
  evsignal_add(ev[3], NULL);
  event_active(ev[3], EV_SIGNAL, 4);
  loop("event_del inside the series", EVLOOP_NONBLOCK);
  event_del(ev[0]);
  /* a signal event with a timeout: the timeout fires once, then it watches no more */
  struct timeval t = ms(5);
  evsignal_add(ev[3], &t);
  loop("signal timeout", 0);
  pending(3);
  ev[4] = evsignal_new(base, SIGKILL, sig_cb, (void *)(intptr_t)4);
  printf("SIGKILL add -> %d\n", evsignal_add(ev[4], NULL));
  printf("bad combination -> %s\n", event_new(base, SIGUSR1, EV_SIGNAL | EV_READ, sig_cb, NULL) ? "event" : "NULL");
  free_all();
}

/* ---- 11: foreach and dump ---- */

/* libevent's own signal-socketpair event has another callback: it does not exist in the port. */
static int visit(const struct event_base *b, const struct event *e, void *arg) {
  int *n = arg;
  if (event_get_callback(e) != trace_cb) return 0;
  printf("visit %d fd=%d events=%d\n", (int)(intptr_t)event_get_callback_arg(e), (int)event_get_fd(e),
         event_get_events(e));
  return ++*n == 6 ? 42 : 0;
}

/* Prints event_base_dump_events with addresses and times masked. */
static void dump(void) {
  FILE *f = tmpfile();
  event_base_dump_events(base, f);
  rewind(f);
  char line[256];
  while (fgets(line, sizeof(line), f)) {
    char out[256];
    int o = 0;
    for (char *p = line; *p && o < 240;) {
      if (p[0] == '0' && p[1] == 'x') {
        o += sprintf(out + o, "PTR");
        p += 2;
        while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')) p++;
      } else if (!strncmp(p, "Timeout=", 8) && p[8] >= '0' && p[8] <= '9') {
        o += sprintf(out + o, "Timeout=T");
        p += 8;
        while ((*p >= '0' && *p <= '9') || *p == '.') p++;
      } else {
        out[o++] = *p++;
      }
    }
    out[o] = 0;
    if (!strstr(out, "Internal")) fputs(out, stdout);
  }
  fclose(f);
}

static void scenario_inspect(void) {
  printf("== 11 foreach and dump\n");
  new_base(3);
  struct timeval t = ms(50);
  ev[0] = evtimer_new(base, trace_cb, (void *)(intptr_t)0);
  ev[1] = evsignal_new(base, SIGUSR2, trace_cb, (void *)(intptr_t)1);
  ev[2] = evsignal_new(base, SIGUSR1, trace_cb, (void *)(intptr_t)2);
  ev[3] = evsignal_new(base, SIGUSR1, trace_cb, (void *)(intptr_t)3);
  ev[4] = event_new(base, -1, 0, trace_cb, (void *)(intptr_t)4);
  ev[5] = event_new(base, -1, EV_READ | EV_PERSIST, trace_cb, (void *)(intptr_t)5);
  ev[6] = evtimer_new(base, trace_cb, (void *)(intptr_t)6);
  ev[7] = evtimer_new(base, trace_cb, (void *)(intptr_t)7);
  evtimer_add(ev[0], &t);
  evsignal_add(ev[1], &t);
  evsignal_add(ev[2], NULL);
  evsignal_add(ev[3], NULL);
  event_active(ev[4], EV_WRITE, 0);
  event_add(ev[5], NULL);
  evtimer_add(ev[6], &t);
  event_active(ev[6], EV_READ | EV_TIMEOUT, 0);
  event_priority_set(ev[7], 0);
  event_active(ev[7], EV_TIMEOUT, 0);
  int n = 0;
  printf("foreach -> %d\n", event_base_foreach_event(base, visit, &n));
  n = -100;
  printf("foreach -> %d\n", event_base_foreach_event(base, visit, &n));
  printf("foreach NULL fn -> %d\n", event_base_foreach_event(base, NULL, NULL));
  dump();
  free_all();
}

/* ---- 12: assign, accessors, self cbarg, configs, compat ---- */

static struct event stack_ev;

static void self_cb(evutil_socket_t fd, short what, void *arg) {
  printf("self arg is the event: %d, running is it: %d\n", arg == (void *)&stack_ev,
         event_base_get_running_event(base) == &stack_ev);
}

static void scenario_setup(void) {
  printf("== 12 setup calls\n");
  new_base(1);
  printf("initialized before=%d\n", event_initialized(&stack_ev));
  printf("assign -> %d\n", event_assign(&stack_ev, base, -1, EV_PERSIST, self_cb, event_self_cbarg()));
  printf("initialized=%d fd=%d events=%d pri=%d\n", event_initialized(&stack_ev), (int)event_get_fd(&stack_ev),
         event_get_events(&stack_ev), event_get_priority(&stack_ev));
  struct event_base *b_out;
  evutil_socket_t fd_out;
  short ev_out;
  event_callback_fn cb_out;
  void *arg_out;
  event_get_assignment(&stack_ev, &b_out, &fd_out, &ev_out, &cb_out, &arg_out);
  printf("assignment base=%d fd=%d events=%d cb=%d arg=%d\n", b_out == base, (int)fd_out, ev_out, cb_out == self_cb,
         arg_out == (void *)&stack_ev);
  event_active(&stack_ev, EV_READ, 0);
  loop("self cbarg", 0);
  event_debug_unassign(&stack_ev);
  printf("after unassign initialized=%d\n", event_initialized(&stack_ev));
  printf("version %s %x\n", event_get_version(), (unsigned)event_get_version_number());
  printf("method %s features %d\n", event_base_get_method(base), event_base_get_features(base));
  const char **m = event_get_supported_methods();
  for (; *m; m++) printf("supported %s\n", *m);
  event_base_free(base);

  const char *avoid[3] = {"epoll", "poll", "select"};
  struct event_config *cfg = event_config_new();
  for (int i = 0; i < 3; i++) {
    event_config_avoid_method(cfg, avoid[i]);
    struct event_base *b = event_base_new_with_config(cfg);
    printf("avoiding %d methods: %s\n", i + 1, b ? event_base_get_method(b) : "NULL");
    if (b) event_base_free(b);
  }
  event_config_free(cfg);
  for (int f = 0; f < 16; f++) {
    cfg = event_config_new();
    event_config_require_features(cfg, f);
    struct event_base *b = event_base_new_with_config(cfg);
    printf("require %d: %s %d\n", f, b ? event_base_get_method(b) : "NULL", b ? event_base_get_features(b) : -1);
    if (b) event_base_free(b);
    event_config_free(cfg);
  }
  printf("NULL config: set_flag=%d require=%d cpus=%d\n", event_config_set_flag(NULL, 1),
         event_config_require_features(NULL, 1), event_config_set_num_cpus_hint(NULL, 2));
  struct timeval tv;
  printf("gettime_monotonic NULL -> %d, NULL base update_cache -> %d\n", event_gettime_monotonic(NULL, &tv),
         event_base_update_cache_time(NULL));
  printf("loopbreak NULL=%d loopcontinue NULL=%d loopexit NULL=%d once NULL=%d\n", event_base_loopbreak(NULL),
         event_base_loopcontinue(NULL), event_base_loopexit(NULL, NULL),
         event_base_once(NULL, -1, EV_TIMEOUT, once_cb, NULL, NULL));
}

static void scenario_max_dispatch(void) {
  printf("== 13 max dispatch\n");
  for (int variant = 0; variant < 2; variant++) {
    struct event_config *cfg = event_config_new();
    if (variant) event_config_set_max_dispatch_interval(cfg, NULL, 2, 0);
    base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    event_base_priority_init(base, 2);
    for (int i = 0; i < 4; i++) ev[i] = event_new(base, -1, 0, ctl_cb, (void *)(intptr_t)(i == 0 ? 12 : i));
    event_priority_set(ev[3], 0);
    for (int i = 0; i < 3; i++) event_active(ev[i], EV_READ, 0);
    loop(variant ? "two callbacks per pass" : "no limit", 0);
    free_all();
  }
}

/* ---- 14: the compat current base ---- */

static void compat_cb(evutil_socket_t fd, short what, void *arg) {
  printf("compat %s what=%d\n", (const char *)arg, what);
}

static void scenario_compat(void) {
  printf("== 14 compat\n");
  struct event e1, e2;
  struct timeval t = ms(5);
  printf("no current base: loopexit=%d loopbreak=%d once=%d\n", event_loopexit(NULL), event_loopbreak(),
         event_once(-1, EV_TIMEOUT, compat_cb, "x", NULL));
  event_set(&e1, -1, 0, compat_cb, "baseless");
  printf("baseless add=%d\n", event_add(&e1, &t));
  struct event_base *b = event_init();
  printf("event_init: method=%s npri=%d\n", event_get_method(), event_base_get_npriorities(NULL));
  printf("priority_init=%d\n", event_priority_init(3));
  printf("base_set=%d\n", event_base_set(b, &e1));
  printf("pri after base_set=%d\n", event_get_priority(&e1));
  evtimer_set(&e2, compat_cb, "evtimer_set");
  printf("e2 pri=%d\n", event_get_priority(&e2));
  evtimer_add(&e1, &t);
  timeout_add(&e2, &t);
  printf("timeout_pending=%d signal_pending=%d initialized=%d EVENT_FD=%d\n", timeout_pending(&e2, NULL),
         signal_pending(&e2, NULL), timeout_initialized(&e2), EVENT_FD(&e2));
  printf("base_set on a pending event=%d\n", event_base_set(b, &e2));
  event_once(-1, EV_TIMEOUT, compat_cb, "once", NULL);
  printf("dispatch -> %d\n", event_dispatch());
  event_loopexit(NULL);
  event_once(-1, EV_TIMEOUT, compat_cb, "once2", NULL);
  printf("loop -> %d\n", event_loop(0));
  event_loopbreak();
  printf("loop ONCE -> %d\n", event_loop(EVLOOP_ONCE));
  event_base_free(NULL);
  printf("after freeing the current base: loopbreak=%d\n", event_loopbreak());
}

/* ---- the random script ---- */

#define MAXLINE 4096
static char **mains, **cbs;
static int nmains, ncbs, next_cb;
static long long ncallbacks;
static int npri_now;
static int fin_pending[NEV], fin_frees[NEV];

static void run_ops(char *line);

static void rcb(evutil_socket_t fd, short what, void *arg) {
  int i = (int)(intptr_t)arg;
  printf("cb %d what=%d\n", i, what);
  if (++ncallbacks > 2000000) {
    printf("too many callbacks\n");
    event_base_loopbreak(base);
    return;
  }
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
  else if (i < NEV) event_del(ev[i]);
}

static short kind_events(int kind);

/* calloc + event_assign rather than event_new: a fresh event's ev_timeout is
 * then 0, not what malloc left there (event_pending reports it when EV_TIMEOUT
 * is in an active event's res). */
static void new_random_event(int i) {
  ev[i] = calloc(1, event_get_struct_event_size());
  event_assign(ev[i], base, -1, kind_events(i), rcb, (void *)(intptr_t)i);
  if (i % 3 == 0 && npri_now > 1) event_priority_set(ev[i], i % npri_now);
}

static void rfin(struct event *e, void *arg) {
  int i = (int)(intptr_t)arg;
  fin_pending[i] = 0;
  printf("fin %d\n", i);
  if (fin_frees[i]) { /* event_free_finalize: the event is freed after this returns */
    fin_frees[i] = 0;
    new_random_event(i);
  }
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
}

static int rvisit(const struct event_base *b, const struct event *e, void *arg) {
  if (event_get_callback(e) == rcb) printf(" %d", (int)(intptr_t)event_get_callback_arg(e));
  else printf(" other");
  return 0;
}

static void ronce(evutil_socket_t fd, short what, void *arg) {
  printf("once %d what=%d\n", (int)(intptr_t)arg, what);
  if (next_cb < ncbs) run_ops(cbs[next_cb++]);
}

static short kind_events(int kind) {
  static const short k[4] = {0, EV_PERSIST, EV_READ | EV_PERSIST, EV_READ};
  return k[kind & 3];
}

static void run_ops(char *line) {
  char *save = NULL;
  for (char *tok = strtok_r(line, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
    char op = tok[0];
    int a = 0, b = 0;
#define ARG(x) x = atoi(strtok_r(NULL, " \n", &save))
    switch (op) {
    case 'a': /* activate i res */
      ARG(a);
      ARG(b);
      event_active(ev[a], b, 1);
      break;
    case 't': { /* add i ms (-1: NULL; read events always get a timeout) */
      ARG(a);
      ARG(b);
      struct timeval tv = ms(b < 0 ? 0 : b);
      int r = event_add(ev[a], b < 0 && !(event_get_events(ev[a]) & EV_READ) ? NULL : &tv);
      if (r) printf("add %d -> %d\n", a, r);
      break;
    }
    case 'd':
      ARG(a);
      event_del(ev[a]);
      break;
    case 'p':
      ARG(a);
      ARG(b);
      printf("prio %d %d -> %d\n", a, b, event_priority_set(ev[a], b));
      break;
    case 'q': {
      ARG(a);
      struct timeval tv = {0, 0};
      int r = event_pending(ev[a], EV_TIMEOUT | EV_READ | EV_WRITE | EV_SIGNAL, &tv);
      long long at = tv.tv_sec ? (long long)tv.tv_sec * 1000000 + tv.tv_usec - VWALL_OFFSET_US - 1000000000LL : -1;
      printf("pending %d = %d at=%lld\n", a, r, at);
      break;
    }
    case 'c':
      counts("counts");
      break;
    case 'b':
      event_base_loopbreak(base);
      break;
    case 'k':
      event_base_loopcontinue(base);
      break;
    case 'x': {
      ARG(a);
      struct timeval tv = ms(a < 0 ? 0 : a);
      event_base_loopexit(base, a < 0 ? NULL : &tv);
      break;
    }
    case 'o': {
      ARG(a);
      ARG(b);
      struct timeval tv = ms(b < 0 ? 0 : b);
      event_base_once(base, -1, EV_TIMEOUT, ronce, (void *)(intptr_t)a, b < 0 ? NULL : &tv);
      break;
    }
    case 'r': /* reassign i kind */
      ARG(a);
      ARG(b);
      if (fin_pending[a]) break;
      event_del(ev[a]);
      event_assign(ev[a], base, -1, kind_events(b), rcb, (void *)(intptr_t)a);
      if (a % 3 == 0 && npri_now > 1) event_priority_set(ev[a], a % npri_now);
      break;
    case 'f':
      ARG(a);
      if (fin_pending[a]) break;
      fin_pending[a] = 1;
      event_finalize(0, ev[a], rfin);
      break;
    case 'F':
      ARG(a);
      if (fin_pending[a]) break;
      fin_pending[a] = fin_frees[a] = 1;
      event_free_finalize(0, ev[a], rfin);
      break;
    case 'm': /* remove_timer, but never leave a read event inserted without one */
      ARG(a);
      if (!(event_get_events(ev[a]) & EV_READ)) event_remove_timer(ev[a]);
      break;
    case 'g':
      event_base_active_by_fd(base, -1, EV_TIMEOUT);
      break;
    case 'v':
      printf("visit:");
      event_base_foreach_event(base, rvisit, NULL);
      printf("\n");
      break;
    case 's': {
      struct timeval tv;
      event_base_gettimeofday_cached(base, &tv);
      printf("now %lld\n", (long long)tv.tv_sec * 1000000 + tv.tv_usec - VWALL_OFFSET_US - 1000000000LL);
      break;
    }
    case 'u':
      event_base_update_cache_time(base);
      break;
    case 'P': /* priority_init n, only growing: every priority stays in range */
      ARG(a);
      if (a < npri_now) {
        printf("priority_init %d skipped\n", a);
        break;
      }
      b = event_base_priority_init(base, a);
      printf("priority_init %d -> %d\n", a, b);
      if (b == 0) npri_now = a;
      break;
    case 'L': { /* loop flags (main lines only) */
      ARG(a);
      if (a & EVLOOP_NO_EXIT_ON_EMPTY) {
        struct timeval guard = ms(7);
        event_base_loopexit(base, &guard);
      }
      printf("loop %d -> %d\n", a, event_base_loop(base, a));
      break;
    }
    default:
      printf("bad op %s\n", tok);
      exit(2);
    }
  }
}

static char *read_line(FILE *in) {
  char *buf = malloc(MAXLINE);
  if (!fgets(buf, MAXLINE, in)) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void random_script(void) {
  virtual_clock = 1;
  int npri;
  if (scanf("npri %d mains %d cbs %d\n", &npri, &nmains, &ncbs) != 3) exit(2);
  mains = calloc(nmains, sizeof(char *));
  cbs = calloc(ncbs, sizeof(char *));
  for (int i = 0; i < nmains; i++) mains[i] = read_line(stdin);
  for (int i = 0; i < ncbs; i++) cbs[i] = read_line(stdin);
  new_base(npri);
  npri_now = npri;
  for (int i = 0; i < NEV; i++) new_random_event(i);
  for (int i = 0; i < nmains; i++) run_ops(mains[i]);
  /* then until every callback line has run and nothing is left */
  int r = 0;
  for (int rounds = 0; rounds < 100000 && (r == 0 || next_cb < ncbs); rounds++) {
    if (next_cb < ncbs) event_base_once(base, -1, EV_TIMEOUT, ronce, (void *)(intptr_t)-1, NULL);
    r = event_base_loop(base, 0);
    printf("final loop -> %d\n", r);
  }
  counts("end");
  printf("used %d of %d callback lines\n", next_cb, ncbs);
  free_all();
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  if (argc > 1 && !strcmp(argv[1], "random")) {
    random_script();
  } else {
    scenario_timers();
    scenario_priorities();
    scenario_scheduling();
    scenario_loop_control();
    scenario_loop_flags();
    scenario_persist();
    scenario_pending();
    scenario_counts();
    scenario_finalize();
    scenario_signals();
    scenario_inspect();
    scenario_setup();
    scenario_max_dispatch();
    scenario_compat();
  }
  printf("done\n");
  fflush(stdout);
  return 0;
}
