/* loop_ops: the event loop's hot paths in libevent 2.1.12 — the C twin of
 * bench/loop_ops.ts (same cases, same counts, same output line).
 *   active_pingpong  two events activating each other from their callbacks
 *   timer_churn      evtimer_add + evtimer_del of 1000 timers, repeatedly
 *   timer_fire       1000 timers of 0 ms re-added from their callbacks
 * usage: loop_ops [scale]   (1 = the default counts) */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct event_base *base;
static struct event *a, *b;
static long n, target;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *name, long ops, double secs) {
  printf("bench=loop case=%s impl=c ops=%ld secs=%.3f ops_per_s=%.0f\n", name, ops, secs, ops / secs);
}

static void ping(evutil_socket_t fd, short what, void *arg) {
  if (++n >= target) {
    event_base_loopbreak(base);
    return;
  }
  event_active(arg == a ? b : a, EV_READ, 0);
}

#define NTIMERS 1000
static struct event *timers[NTIMERS];

static void refire(evutil_socket_t fd, short what, void *arg) {
  static const struct timeval zero = {0, 0};
  if (++n >= target) {
    event_base_loopbreak(base);
    return;
  }
  evtimer_add((struct event *)arg, &zero);
}

int main(int argc, char **argv) {
  double scale = argc > 1 ? atof(argv[1]) : 1;
  base = event_base_new();

  a = event_new(base, -1, 0, ping, event_self_cbarg());
  b = event_new(base, -1, 0, ping, event_self_cbarg());
  n = 0;
  target = (long)(5e6 * scale);
  event_active(a, EV_READ, 0);
  double t0 = now();
  event_base_dispatch(base);
  report("active_pingpong", n, now() - t0);

  for (int i = 0; i < NTIMERS; i++) timers[i] = evtimer_new(base, refire, NULL);
  long rounds = (long)(2000 * scale);
  t0 = now();
  for (long r = 0; r < rounds; r++) {
    struct timeval tv = {1 + r % 7, (r * 7919) % 1000000};
    for (int i = 0; i < NTIMERS; i++) evtimer_add(timers[i], &tv);
    for (int i = 0; i < NTIMERS; i++) evtimer_del(timers[i]);
  }
  report("timer_churn", rounds * NTIMERS * 2, now() - t0);

  struct timeval zero = {0, 0};
  for (int i = 0; i < NTIMERS; i++) {
    event_assign(timers[i], base, -1, 0, refire, timers[i]);
    evtimer_add(timers[i], &zero);
  }
  n = 0;
  target = (long)(2e6 * scale);
  t0 = now();
  event_base_dispatch(base);
  report("timer_fire", n, now() - t0);
  return 0;
}
