/* libevent's sample/time-test.c, in this project's words: one timer, added
 * again from its own callback (or made EV_PERSIST with -p), that prints the
 * wall-clock second it ran at and the time since it last ran. It never ends.
 *
 * Usage: time_test [-p] [msec]   (interval, default 2000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/util.h>

static struct timeval lasttime;
static struct timeval interval;
static int persistent;

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct event *timeout = arg;
	struct timeval now, diff;
	double elapsed;

	evutil_gettimeofday(&now, NULL);
	evutil_timersub(&now, &lasttime, &diff);
	elapsed = diff.tv_sec + diff.tv_usec / 1.0e6;

	printf("timeout_cb called at %d: %.3f seconds elapsed.\n",
	    (int)now.tv_sec, elapsed);
	lasttime = now;

	/* A non-persistent timer is gone once it fired: schedule it again. */
	if (!persistent)
		event_add(timeout, &interval);
}

int main(int argc, char **argv)
{
	struct event timeout;
	struct event_base *base;
	int i = 1, msec = 2000;

	setvbuf(stdout, NULL, _IONBF, 0);

	if (i < argc && strcmp(argv[i], "-p") == 0) {
		persistent = 1;
		i++;
	}
	if (i < argc)
		msec = atoi(argv[i]);

	base = event_base_new();

	event_assign(&timeout, base, -1, persistent ? EV_PERSIST : 0,
	    on_timeout, &timeout);

	evutil_timerclear(&interval);
	interval.tv_sec = msec / 1000;
	interval.tv_usec = (msec % 1000) * 1000;
	event_add(&timeout, &interval);

	evutil_gettimeofday(&lasttime, NULL);

	event_base_dispatch(base);

	return 0;
}
