/* The data callbacks of the libevent book's "Manipulating data in a
 * bufferevent" example, in a server of this project's making: with "upper"
 * each client's bytes come back upper-cased, 128 bytes at a time through
 * bufferevent_read/bufferevent_write; with "fib" each client gets an endless
 * run of Fibonacci numbers (unsigned long, wrapping as C's does), added 1 KiB
 * at a time whenever its output buffer has drained.
 *
 * Usage: data_callbacks upper|fib [port]   (default 0: a free port)
 * Prints "listening on PORT" once it accepts connections. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

struct count {
	unsigned long last_fib[2];
};

static int fib_mode;

static void read_callback_uppercase(struct bufferevent *bev, void *ctx)
{
	char tmp[128];
	size_t n;
	size_t i;

	while (1) {
		n = bufferevent_read(bev, tmp, sizeof(tmp));
		if (n <= 0)
			break; /* nothing more for now */
		for (i = 0; i < n; ++i)
			tmp[i] = toupper((unsigned char)tmp[i]);
		bufferevent_write(bev, tmp, n);
	}
}

static void write_callback_fibonacci(struct bufferevent *bev, void *ctx)
{
	struct count *c = ctx;
	struct evbuffer *tmp = evbuffer_new();

	while (evbuffer_get_length(tmp) < 1024) {
		unsigned long next = c->last_fib[0] + c->last_fib[1];
		c->last_fib[0] = c->last_fib[1];
		c->last_fib[1] = next;
		evbuffer_add_printf(tmp, "%lu", next);
	}
	/* The whole of tmp moves to the output. */
	bufferevent_write_buffer(bev, tmp);
	evbuffer_free(tmp);
}

static void on_event(struct bufferevent *bev, short what, void *ctx)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		free(ctx);
		bufferevent_free(bev);
	}
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int socklen, void *arg)
{
	struct event_base *base = evconnlistener_get_base(lev);
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);

	if (fib_mode) {
		struct count *c = malloc(sizeof(*c));
		c->last_fib[0] = 0;
		c->last_fib[1] = 1;
		bufferevent_setcb(bev, NULL, write_callback_fibonacci, on_event, c);
		/* An empty output is at the write low-watermark: start it off. */
		write_callback_fibonacci(bev, c);
	} else {
		bufferevent_setcb(bev, read_callback_uppercase, NULL, on_event, NULL);
	}
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct evconnlistener *lev;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2 || (strcmp(argv[1], "upper") && strcmp(argv[1], "fib"))) {
		fprintf(stderr, "Usage: %s upper|fib [port]\n", argv[0]);
		return 1;
	}
	fib_mode = !strcmp(argv[1], "fib");

	base = event_base_new();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(argc > 2 ? atoi(argv[2]) : 0);

	lev = evconnlistener_new_bind(base, on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (!lev) {
		perror("Couldn't create listener");
		return 1;
	}
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &slen);
	printf("listening on %d\n", ntohs(sin.sin_port));

	event_base_dispatch(base);
	return 0;
}
