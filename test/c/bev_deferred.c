/* Trace of the generic callback machinery on socket bufferevents without a
 * descriptor (fd -1): deferred ordering (CONNECTED, read, write, event),
 * OR-ed event bits, callbacks cleared while pending, priorities of deferred
 * runs, trigger and its watermark rules, references, locks and free.
 * test/bev_deferred.test.ts holds the TypeScript port. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <errno.h>
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
	printf("%s eventcb what=0x%x errno=%d\n", (const char *)ctx, what, EVUTIL_SOCKET_ERROR());
}

static void clearing_readcb(struct bufferevent *bev, void *ctx)
{
	printf("%s readcb clears the writecb\n", (const char *)ctx);
	bufferevent_setcb(bev, readcb, NULL, eventcb, ctx);
}

static void freeing_readcb(struct bufferevent *bev, void *ctx)
{
	printf("%s readcb frees\n", (const char *)ctx);
	bufferevent_free(bev);
}

static void timer_cb(evutil_socket_t fd, short what, void *ctx)
{
	printf("timer %s\n", (const char *)ctx);
}

static void loop(const char *label)
{
	printf("loop %s\n", label);
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
}

int main(void)
{
	struct bufferevent *a, *b, *c;
	struct event *t;
	int r, p1, p2, p3, p4;

	base = event_base_new();
	a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(a, readcb, writecb, eventcb, "A");
	printf("A fd=%d enabled=%d priority=%d\n", (int)bufferevent_getfd(a), bufferevent_get_enabled(a),
	    bufferevent_get_priority(a));

	/* one deferred run: CONNECTED first, then read, write, the other bits */
	bufferevent_trigger_event(a, BEV_EVENT_EOF, 0);
	bufferevent_trigger(a, EV_WRITE, 0);
	bufferevent_trigger(a, EV_READ, 0);
	EVUTIL_SET_SOCKET_ERROR(ECONNRESET);
	bufferevent_trigger_event(a, BEV_EVENT_CONNECTED | BEV_EVENT_READING, 0);
	EVUTIL_SET_SOCKET_ERROR(0);
	printf("nothing ran yet\n");
	loop("1");

	/* bits OR together; a callback cleared while pending is skipped */
	bufferevent_trigger_event(a, 0x1234, 0);
	bufferevent_trigger_event(a, 0x0001, 0);
	bufferevent_trigger(a, EV_WRITE, 0);
	bufferevent_setcb(a, clearing_readcb, writecb, eventcb, "A");
	bufferevent_trigger(a, EV_READ, 0);
	loop("2");
	bufferevent_setcb(a, readcb, writecb, eventcb, "A");
	printf("the skipped writecb is still pending\n");
	bufferevent_trigger(a, EV_READ, 0);
	loop("3");

	/* watermarks: low above the input length -> no readcb unless ignored */
	bufferevent_setwatermark(a, EV_READ, 1, 0);
	bufferevent_setwatermark(a, EV_WRITE, 0, 0);
	bufferevent_trigger(a, EV_READ, 0);
	loop("4");
	bufferevent_trigger(a, EV_READ, BEV_TRIG_IGNORE_WATERMARKS);
	loop("5");

	/* without DEFER a trigger runs the callback at once; with the option it waits */
	b = bufferevent_socket_new(base, -1, 0);
	bufferevent_setcb(b, readcb, writecb, eventcb, "B");
	bufferevent_trigger(b, EV_READ | EV_WRITE, 0);
	printf("after B trigger\n");
	bufferevent_trigger(b, EV_READ, BEV_TRIG_DEFER_CALLBACKS);
	bufferevent_trigger_event(b, BEV_EVENT_ERROR, 0);
	printf("after B deferred trigger\n");
	loop("6");

	/* priorities of deferred runs and timers */
	event_base_free(base);
	base = event_base_new();
	printf("priority_init=%d\n", event_base_priority_init(base, 3));
	a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS);
	b = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS);
	c = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS);
	bufferevent_setcb(a, readcb, writecb, eventcb, "A");
	bufferevent_setcb(b, readcb, writecb, eventcb, "B");
	bufferevent_setcb(c, readcb, writecb, eventcb, "C");
	printf("default priority=%d\n", bufferevent_get_priority(a));
	p1 = bufferevent_priority_set(a, 2);
	p2 = bufferevent_priority_set(b, 0);
	p3 = bufferevent_priority_set(c, 3);
	p4 = bufferevent_priority_set(c, -1);
	printf("set A 2=%d set B 0=%d set C 3=%d set C -1=%d\n", p1, p2, p3, p4);
	printf("priorities A=%d B=%d C=%d\n", bufferevent_get_priority(a), bufferevent_get_priority(b),
	    bufferevent_get_priority(c));
	t = evtimer_new(base, timer_cb, "prio1");
	event_priority_set(t, 1);
	event_active(t, EV_TIMEOUT, 1);
	bufferevent_trigger(a, EV_READ, 0);
	bufferevent_trigger(c, EV_READ, 0);
	bufferevent_trigger(b, EV_READ, 0);
	loop("7");
	loop("8");
	loop("9");
	event_free(t);

	/* free: no callback after it, even already-queued deferred ones */
	bufferevent_trigger(a, EV_READ | EV_WRITE, 0);
	bufferevent_trigger_event(a, BEV_EVENT_EOF, 0);
	bufferevent_free(a);
	printf("freed A with pending callbacks\n");
	loop("10");

	/* free from inside its own callback */
	bufferevent_setcb(b, freeing_readcb, writecb, eventcb, "B");
	bufferevent_trigger(b, EV_READ | EV_WRITE, 0);
	loop("11");

	/* references */
	bufferevent_incref(c);
	r = bufferevent_decref(c);
	printf("incref, decref=%d\n", r);
	bufferevent_lock(c);
	bufferevent_lock(c);
	bufferevent_unlock(c);
	bufferevent_unlock(c);
	printf("lock twice, unlock twice\n");
	bufferevent_incref(c);
	bufferevent_free(c);
	r = bufferevent_decref(c);
	printf("incref, free, decref=%d\n", r);

	/* creation failures */
	printf("unlock without defer=%p\n", (void *)bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS));
	printf("threadsafe without threads=%p\n", (void *)bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE));
	{
		struct bufferevent *p[2];
		printf("pair threadsafe=%d\n", bufferevent_pair_new(base, BEV_OPT_THREADSAFE, p));
		printf("pair unlock=%d\n", bufferevent_pair_new(base, BEV_OPT_UNLOCK_CALLBACKS, p));
		bufferevent_free(p[0]);
		bufferevent_free(p[1]);
	}
	a = bufferevent_socket_new(base, -1, BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS);
	bufferevent_setcb(a, readcb, writecb, eventcb, "U");
	bufferevent_trigger(a, EV_READ, 0);
	bufferevent_trigger_event(a, BEV_EVENT_TIMEOUT, 0);
	loop("12");
	bufferevent_free(a);
	printf("dispatch=%d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
