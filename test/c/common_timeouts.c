/* Common timeouts (event_base_init_common_timeout) against ordinary timers:
 * the order callbacks run in when their deadlines tie, persistent events
 * re-armed with a common timeout, priorities, event_base_once and
 * event_base_loopexit with one, a bufferevent's read timeout given as one,
 * and what event_base_foreach_event visits. Every timer is added from a
 * callback, where the loop's cached time makes equal durations equal
 * deadlines. One line per callback. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/bufferevent.h>

#define N 24
static struct event_base *base;
static struct event *evs[N];
static const struct timeval *c10, *c5;
static int persist_runs;
static struct bufferevent *pair[2];

static void say(evutil_socket_t fd, short what, void *arg) {
	(void)fd;
	printf("%d%s ", (int)(long)arg, what & EV_TIMEOUT ? "" : "?");
}

static void persist(evutil_socket_t fd, short what, void *arg) {
	say(fd, what, arg);
	if (++persist_runs == 6) {
		event_del(evs[0]);
		event_del(evs[1]);
	}
}

static int visit(const struct event_base *b, const struct event *e, void *arg) {
	int i;
	(void)b; (void)arg;
	for (i = 0; i < N; i++)
		if (e == evs[i]) {
			printf("v%d ", i);
			return 0;
		}
	printf("v(fd %d, events %d) ", (int)event_get_fd(e), (int)event_get_events(e));
	return 0;
}

static void ties(evutil_socket_t fd, short what, void *arg) {
	struct timeval ten = {0, 10000}, five = {0, 5000};
	int i;
	(void)fd; (void)what; (void)arg;
	for (i = 0; i < N; i++) {
		evs[i] = evtimer_new(base, say, (void *)(long)i);
		if (i % 3 == 0) evtimer_add(evs[i], c10);
		else if (i % 3 == 1) evtimer_add(evs[i], &ten);
		else evtimer_add(evs[i], i % 4 ? &five : c5);
	}
	event_del(evs[3]);
	event_del(evs[4]);
	evtimer_add(evs[0], c10); /* to the back of its queue */
	evtimer_add(evs[6], &ten);
	evtimer_add(evs[2], c10); /* from the heap to the queue */
	evtimer_add(evs[9], &five); /* from the queue to the heap */
	printf("added %d: ", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	event_base_foreach_event(base, visit, NULL);
	printf("\n");
}

static void persistent(evutil_socket_t fd, short what, void *arg) {
	struct timeval ten = {0, 10000};
	(void)fd; (void)what; (void)arg;
	evs[0] = event_new(base, -1, EV_PERSIST, persist, (void *)0L);
	evs[1] = event_new(base, -1, EV_PERSIST, persist, (void *)1L);
	evs[2] = evtimer_new(base, say, (void *)2L);
	event_add(evs[0], c10);
	event_add(evs[1], &ten);
	event_add(evs[2], c10);
}

static void prio(evutil_socket_t fd, short what, void *arg) {
	int i;
	(void)fd; (void)what; (void)arg;
	for (i = 0; i < 6; i++) {
		evs[i] = evtimer_new(base, say, (void *)(long)i);
		event_priority_set(evs[i], i % 3);
		evtimer_add(evs[i], i < 3 ? c10 : c5);
	}
}

static void once(evutil_socket_t fd, short what, void *arg) {
	struct timeval ten = {0, 10000};
	(void)fd; (void)what; (void)arg;
	event_base_once(base, -1, EV_TIMEOUT, say, (void *)100L, c10);
	event_base_once(base, -1, EV_TIMEOUT, say, (void *)101L, &ten);
	event_base_once(base, -1, EV_TIMEOUT, say, (void *)102L, c10);
	event_base_loopexit(base, c10);
	event_base_once(base, -1, EV_TIMEOUT, say, (void *)103L, c10);
}

static void bev_event(struct bufferevent *bev, short what, void *arg) {
	(void)bev;
	printf("bev%d %x ", (int)(long)arg, what);
}

static void bev_timeout(evutil_socket_t fd, short what, void *arg) {
	(void)fd; (void)what; (void)arg;
	bufferevent_pair_new(base, 0, pair);
	bufferevent_setcb(pair[0], NULL, NULL, bev_event, (void *)0L);
	bufferevent_enable(pair[0], EV_READ);
	evs[0] = evtimer_new(base, say, (void *)0L);
	evtimer_add(evs[0], c5);
	bufferevent_set_timeouts(pair[0], c10, NULL);
	evs[1] = evtimer_new(base, say, (void *)1L);
	evtimer_add(evs[1], c10);
}

static void run(const char *name, event_callback_fn start, int nprio) {
	struct timeval ten = {0, 10000}, five = {0, 5000};
	struct event *s;
	int i;
	base = event_base_new();
	if (nprio > 1) event_base_priority_init(base, nprio);
	c10 = event_base_init_common_timeout(base, &ten);
	c5 = event_base_init_common_timeout(base, &five);
	for (i = 0; i < N; i++) evs[i] = NULL;
	printf("%s: ", name);
	s = evtimer_new(base, start, NULL);
	event_active(s, EV_TIMEOUT, 1);
	printf("loop %d\n", event_base_dispatch(base));
	event_free(s);
	for (i = 0; i < N; i++) if (evs[i]) event_free(evs[i]);
	if (pair[0]) {
		bufferevent_free(pair[0]);
		bufferevent_free(pair[1]);
		pair[0] = pair[1] = NULL;
	}
	event_base_free(base);
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	run("ties", ties, 1);
	run("persistent", persistent, 1);
	run("priorities", prio, 3);
	run("once", once, 1);
	run("bufferevent", bev_timeout, 1);
	return 0;
}
