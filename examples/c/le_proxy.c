/* libevent's sample/le-proxy.c in plain TCP mode (no SSL), in this project's
 * words: every connection accepted on one address is paired with a new
 * connection to another; each side's input is moved onto the other side's
 * output. When one side's output passes MAX_OUTPUT its partner stops reading
 * until that output drains to half; when one side ends, what it sent is
 * flushed to the other before that one is closed too.
 *
 * Usage: le_proxy <listen-on-addr> <connect-to-addr>
 *   e.g. le_proxy 127.0.0.1:8888 1.2.3.4:80; a bare port listens on
 *   127.0.0.1, an address without a port picks a free one.
 * Prints "listening on PORT" once it accepts connections. */
#include <errno.h>
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

#define MAX_OUTPUT (512 * 1024)

static struct event_base *base;
static struct sockaddr_storage connect_to_addr;
static int connect_to_addrlen;

static void on_read(struct bufferevent *bev, void *ctx);
static void on_drained(struct bufferevent *bev, void *ctx);
static void on_event(struct bufferevent *bev, short what, void *ctx);

static void on_read(struct bufferevent *bev, void *ctx)
{
	struct bufferevent *partner = ctx;
	struct evbuffer *src = bufferevent_get_input(bev);
	struct evbuffer *dst;

	if (partner == NULL) {
		/* The other side is gone: nowhere to send this. */
		evbuffer_drain(src, evbuffer_get_length(src));
		return;
	}
	dst = bufferevent_get_output(partner);
	evbuffer_add_buffer(dst, src);

	if (evbuffer_get_length(dst) >= MAX_OUTPUT) {
		/* The partner cannot pass it on as fast as we read: stop
		 * reading until its output is down to MAX_OUTPUT/2. */
		bufferevent_setcb(partner, on_read, on_drained, on_event, bev);
		bufferevent_setwatermark(partner, EV_WRITE, MAX_OUTPUT / 2, MAX_OUTPUT);
		bufferevent_disable(bev, EV_READ);
	}
}

static void on_drained(struct bufferevent *bev, void *ctx)
{
	struct bufferevent *partner = ctx;

	bufferevent_setcb(bev, on_read, NULL, on_event, partner);
	bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
	if (partner)
		bufferevent_enable(partner, EV_READ);
}

static void close_when_flushed(struct bufferevent *bev, void *ctx)
{
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		bufferevent_free(bev);
}

static void on_event(struct bufferevent *bev, short what, void *ctx)
{
	struct bufferevent *partner = ctx;

	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	if ((what & BEV_EVENT_ERROR) && errno)
		perror("connection error");

	if (partner) {
		/* Hand over what is still in our input, then let the partner
		 * finish writing it before it is closed as well. */
		on_read(bev, ctx);
		if (evbuffer_get_length(bufferevent_get_output(partner))) {
			bufferevent_setcb(partner, NULL, close_when_flushed, on_event, NULL);
			bufferevent_disable(partner, EV_READ);
		} else {
			bufferevent_free(partner);
		}
	}
	bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *a, int slen, void *arg)
{
	struct bufferevent *b_in, *b_out;

	b_in = bufferevent_socket_new(base, fd,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	b_out = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (bufferevent_socket_connect(b_out,
		(struct sockaddr *)&connect_to_addr, connect_to_addrlen) < 0) {
		perror("bufferevent_socket_connect");
		bufferevent_free(b_out);
		bufferevent_free(b_in);
		return;
	}

	bufferevent_setcb(b_in, on_read, NULL, on_event, b_out);
	bufferevent_setcb(b_out, on_read, NULL, on_event, b_in);
	bufferevent_enable(b_in, EV_READ | EV_WRITE);
	bufferevent_enable(b_out, EV_READ | EV_WRITE);
}

static void syntax(void)
{
	fputs("Syntax:\n", stderr);
	fputs("   le_proxy <listen-on-addr> <connect-to-addr>\n", stderr);
	fputs("Example:\n", stderr);
	fputs("   le_proxy 127.0.0.1:8888 1.2.3.4:80\n", stderr);
	exit(1);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage listen_on_addr;
	int socklen;
	socklen_t boundlen;
	struct evconnlistener *lev;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 3)
		syntax();

	memset(&listen_on_addr, 0, sizeof(listen_on_addr));
	socklen = sizeof(listen_on_addr);
	if (evutil_parse_sockaddr_port(argv[1],
		(struct sockaddr *)&listen_on_addr, &socklen) < 0) {
		/* A bare port: listen on the loopback address. */
		struct sockaddr_in *sin = (struct sockaddr_in *)&listen_on_addr;
		int p = atoi(argv[1]);
		if (p < 1 || p > 65535)
			syntax();
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		sin->sin_addr.s_addr = htonl(0x7f000001);
		socklen = sizeof(struct sockaddr_in);
	}

	memset(&connect_to_addr, 0, sizeof(connect_to_addr));
	connect_to_addrlen = sizeof(connect_to_addr);
	if (evutil_parse_sockaddr_port(argv[2],
		(struct sockaddr *)&connect_to_addr, &connect_to_addrlen) < 0)
		syntax();

	base = event_base_new();
	if (!base) {
		perror("event_base_new()");
		return 1;
	}

	lev = evconnlistener_new_bind(base, on_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    -1, (struct sockaddr *)&listen_on_addr, socklen);
	if (!lev) {
		fprintf(stderr, "Couldn't open listener.\n");
		event_base_free(base);
		return 1;
	}
	boundlen = sizeof(listen_on_addr);
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&listen_on_addr, &boundlen);
	printf("listening on %d\n", ntohs(((struct sockaddr_in *)&listen_on_addr)->sin_port));

	event_base_dispatch(base);

	evconnlistener_free(lev);
	event_base_free(base);
	return 0;
}
