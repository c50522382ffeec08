/* Trace of bufferevent timeouts (the order of events, not their times):
 * libevent's bufferevent_timeout test on socket bufferevents without a
 * descriptor and on a pair, a read timeout restarted by data, timeouts
 * cleared, and no read timeout while reading is suspended by the high
 * watermark. Margins between timers are 75 ms or more.
 * test/bev_timeout.test.ts holds the TypeScript port. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_compat.h>
#include <stdio.h>
#include <string.h>

static struct event_base *base;

static void readcb(struct bufferevent *bev, void *ctx)
{
	printf("%s readcb inlen=%zu\n", (const char *)ctx, evbuffer_get_length(bufferevent_get_input(bev)));
}

static void writecb(struct bufferevent *bev, void *ctx)
{
	printf("%s writecb outlen=%zu\n", (const char *)ctx, evbuffer_get_length(bufferevent_get_output(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *ctx)
{
	printf("%s eventcb what=0x%x enabled=%d\n", (const char *)ctx, what, bufferevent_get_enabled(bev));
}

static void say(evutil_socket_t fd, short what, void *ctx)
{
	printf("timer: %s\n", (const char *)ctx);
}

static struct bufferevent *writer;
static void write_now(evutil_socket_t fd, short what, void *ctx)
{
	printf("timer: write\n");
	bufferevent_write(writer, "data", 4);
}

static struct timeval ms(int n)
{
	struct timeval tv;
	tv.tv_sec = n / 1000;
	tv.tv_usec = (n % 1000) * 1000;
	return tv;
}

static void run(const char *label, int total_ms)
{
	struct timeval tv = ms(total_ms);
	printf("run %s\n", label);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static void timer_at(int n, event_callback_fn cb, const char *what)
{
	struct timeval tv = ms(n);
	event_base_once(base, -1, EV_TIMEOUT, cb, (void *)what, &tv);
}

static void timeouts(struct bufferevent *bev, int r, int w)
{
	struct timeval tr = ms(r), tw = ms(w);
	bufferevent_set_timeouts(bev, r ? &tr : NULL, w ? &tw : NULL);
}

int main(void)
{
	struct bufferevent *b1, *b2, *pair[2];
	struct timeval zero = { 0, 0 };

	base = event_base_new();

	/* regress bufferevent_timeout, socket variant (fd -1: pure timers) */
	b1 = bufferevent_socket_new(base, -1, 0);
	b2 = bufferevent_socket_new(base, -1, 0);
	bufferevent_setcb(b1, readcb, writecb, eventcb, "b1");
	bufferevent_setcb(b2, readcb, writecb, eventcb, "b2");
	timeouts(b1, 300, 150);
	bufferevent_write(b1, "ABCDEFG", 7);
	bufferevent_enable(b1, EV_READ | EV_WRITE);
	bufferevent_disable(b2, EV_READ);
	timeouts(b2, 150, 450);
	bufferevent_enable(b2, EV_WRITE);
	timer_at(225, say, "225");
	timer_at(375, say, "375");
	run("socket", 600);
	printf("enabled b1=%d b2=%d\n", bufferevent_get_enabled(b1), bufferevent_get_enabled(b2));
	bufferevent_free(b1);
	bufferevent_free(b2);

	/* the same on a pair: b2's empty output gives it no write timeout */
	bufferevent_pair_new(base, 0, pair);
	bufferevent_setcb(pair[0], readcb, writecb, eventcb, "p0");
	bufferevent_setcb(pair[1], readcb, writecb, eventcb, "p1");
	timeouts(pair[0], 300, 150);
	bufferevent_write(pair[0], "ABCDEFG", 7);
	bufferevent_enable(pair[0], EV_READ | EV_WRITE);
	bufferevent_disable(pair[1], EV_READ);
	timeouts(pair[1], 150, 450);
	bufferevent_enable(pair[1], EV_WRITE);
	timer_at(225, say, "225");
	run("pair", 600);
	printf("enabled p0=%d p1=%d\n", bufferevent_get_enabled(pair[0]), bufferevent_get_enabled(pair[1]));

	/* data restarts the read timeout: 300 ms, data at 150 -> timeout at 450 */
	timeouts(pair[0], 0, 0);
	bufferevent_enable(pair[1], EV_READ);
	bufferevent_enable(pair[0], EV_WRITE);
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	timeouts(pair[1], 300, 0);
	writer = pair[0];
	timer_at(150, write_now, NULL);
	timer_at(375, say, "375");
	run("restart", 600);

	/* NULL or zero clears */
	bufferevent_enable(pair[1], EV_READ);
	timeouts(pair[1], 150, 0);
	bufferevent_set_timeouts(pair[1], &zero, NULL);
	bufferevent_settimeout(pair[0], 0, 0);
	timer_at(225, say, "225");
	run("cleared", 300);

	/* no read timeout while the high watermark suspends reading */
	evbuffer_drain(bufferevent_get_input(pair[1]), 100);
	bufferevent_setwatermark(pair[1], EV_READ, 0, 4);
	bufferevent_setcb(pair[1], NULL, writecb, eventcb, "p1");
	bufferevent_write(pair[0], "full", 4);
	timeouts(pair[1], 150, 0);
	timer_at(225, say, "225, draining");
	run("suspended", 300);
	evbuffer_drain(bufferevent_get_input(pair[1]), 4);
	run("resumed", 300);

	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
