/* The order in which libevent runs several events on one descriptor: epoll
 * reports the descriptor once, and libevent activates its events newest
 * first (evmap keeps them in a list it inserts at the head of). Bytes sent
 * by the peer just before the loop runs, even on a socketpair made just
 * before, are reported in the same pass as the room to write, so a reader
 * added after a writer runs first and its loopbreak keeps the writer from
 * running. test/descriptor_readiness.test.ts holds the line-by-line
 * TypeScript port and must print the same. */
#include <event2/event.h>
#include <event2/util.h>
#include <sys/socket.h>
#include <stdio.h>

static void show(evutil_socket_t fd, short what, void *arg)
{
	printf("%s what=0x%x\n", (const char *)arg, what);
}

static void watchdog(evutil_socket_t fd, short what, void *arg)
{
	printf("watchdog what=0x%x: loopbreak\n", what);
	event_base_loopbreak(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	evutil_socket_t pair[2];
	struct event *a, *b, *c, *d, *x, *y, *w;
	char byte;

	setvbuf(stdout, NULL, _IONBF, 0);
	evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
	evutil_make_socket_nonblocking(pair[0]);
	evutil_make_socket_nonblocking(pair[1]);

	puts("-- a new pair: a writer, a byte sent, a watchdog reader");
	b = event_new(base, pair[0], EV_WRITE, show, "b write");
	event_add(b, NULL);
	send(pair[1], "w", 1, 0);
	w = event_new(base, pair[0], EV_READ, watchdog, base);
	event_add(w, NULL);
	printf("dispatch %d\n", event_base_dispatch(base));
	printf("writer still pending 0x%x\n", event_pending(b, EV_WRITE, NULL));
	printf("recv %d\n", (int)recv(pair[0], &byte, 1, 0));
	event_free(w);
	event_del(b);

	a = event_new(base, pair[0], EV_READ, show, "a read");
	c = event_new(base, pair[0], EV_READ | EV_WRITE, show, "c read|write");
	d = event_new(base, pair[0], EV_READ, show, "d read");

	puts("-- bytes sent, then four events added");
	send(pair[1], "x", 1, 0);
	event_add(a, NULL);
	event_add(b, NULL);
	event_add(c, NULL);
	event_add(d, NULL);
	event_base_loop(base, EVLOOP_ONCE);

	puts("-- three added again, byte still unread");
	event_add(b, NULL);
	event_add(a, NULL);
	event_add(d, NULL);
	event_base_loop(base, EVLOOP_ONCE);

	puts("-- byte read; a and b added, then a byte sent");
	printf("recv %d\n", (int)recv(pair[0], &byte, 1, 0));
	event_add(a, NULL);
	event_add(b, NULL);
	send(pair[1], "y", 1, 0);
	event_base_loop(base, EVLOOP_ONCE);

	puts("-- two persistent readers, twice");
	x = event_new(base, pair[0], EV_READ | EV_PERSIST, show, "x persist");
	y = event_new(base, pair[0], EV_READ | EV_PERSIST, show, "y persist");
	event_add(x, NULL);
	event_add(y, NULL);
	event_base_loop(base, EVLOOP_ONCE);
	event_base_loop(base, EVLOOP_ONCE);

	event_free(a);
	event_free(b);
	event_free(c);
	event_free(d);
	event_free(x);
	event_free(y);
	evutil_closesocket(pair[0]);
	evutil_closesocket(pair[1]);
	event_base_free(base);
	return 0;
}
