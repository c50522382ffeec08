/* The libevent book's read-watermark example (chapter "Bufferevents:
 * concepts and basics", "Callbacks and watermarks"), made whole, in this
 * project's words: a bufferevent on one end of a socketpair runs its read
 * callback only once 128 bytes wait, and drains them; a timer writes 50
 * bytes into the other end every 50 ms, seven times, then closes it. The
 * event callback reports the close and what was left below the watermark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

struct info {
	const char *name;
	size_t total_drained;
};

struct writer {
	evutil_socket_t fd;
	int writes_left;
	struct event *tick;
};

static void read_callback(struct bufferevent *bev, void *ctx)
{
	struct info *inf = ctx;
	struct evbuffer *input = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(input);

	if (len) {
		inf->total_drained += len;
		evbuffer_drain(input, len);
		printf("Drained %lu bytes from %s\n", (unsigned long)len, inf->name);
	}
}

static void event_callback(struct bufferevent *bev, short events, void *ctx)
{
	struct info *inf = ctx;
	struct evbuffer *input = bufferevent_get_input(bev);
	int finished = 0;

	if (events & BEV_EVENT_EOF) {
		size_t len = evbuffer_get_length(input);
		printf("Got a close from %s.  We drained %lu bytes from it, "
		    "and have %lu left.\n", inf->name,
		    (unsigned long)inf->total_drained, (unsigned long)len);
		finished = 1;
	}
	if (events & BEV_EVENT_ERROR) {
		printf("Got an error from %s: %s\n", inf->name,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		finished = 1;
	}
	if (finished) {
		free(ctx);
		bufferevent_free(bev);
	}
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct writer *w = arg;
	char chunk[50];

	memset(chunk, 'x', sizeof(chunk));
	if (write(w->fd, chunk, sizeof(chunk)) != sizeof(chunk))
		perror("write");
	else
		printf("wrote %d bytes\n", (int)sizeof(chunk));
	if (--w->writes_left == 0) {
		close(w->fd);
		event_del(w->tick);
	}
}

static struct bufferevent *setup_bufferevent(struct event_base *base, evutil_socket_t fd)
{
	struct bufferevent *b1;
	struct info *info1;

	info1 = malloc(sizeof(struct info));
	info1->name = "buffer 1";
	info1->total_drained = 0;

	b1 = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);

	/* The read callback runs only once at least 128 bytes wait. */
	bufferevent_setwatermark(b1, EV_READ, 128, 0);
	bufferevent_setcb(b1, read_callback, NULL, event_callback, info1);
	bufferevent_enable(b1, EV_READ);
	return b1;
}

int main(int argc, char **argv)
{
	struct event_base *base;
	evutil_socket_t pair[2];
	struct writer w;
	struct timeval every = { 0, 50000 };

	setvbuf(stdout, NULL, _IONBF, 0);

	base = event_base_new();
	if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) {
		perror("evutil_socketpair");
		return 1;
	}
	setup_bufferevent(base, pair[0]);

	w.fd = pair[1];
	w.writes_left = 7;
	w.tick = event_new(base, -1, EV_PERSIST, on_tick, &w);
	event_add(w.tick, &every);

	event_base_dispatch(base);

	event_free(w.tick);
	event_base_free(base);
	return 0;
}
