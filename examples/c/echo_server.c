/* The libevent book's bufferevent echo server (chapter "Connection
 * listeners"), in this project's words: an evconnlistener hands each accepted
 * socket to a bufferevent whose read callback moves its input, whole, onto
 * its output. A listener error ends the loop.
 *
 * Usage: echo_server [port]   (default 9876; 0 picks a free port)
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

static void echo_read(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *input = bufferevent_get_input(bev);
	struct evbuffer *output = bufferevent_get_output(bev);

	/* No copy: the chain moves from one buffer to the other. */
	evbuffer_add_buffer(output, input);
}

static void echo_event(struct bufferevent *bev, short events, void *ctx)
{
	if (events & BEV_EVENT_ERROR)
		perror("Error from bufferevent");
	if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void accept_conn(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *address, int socklen, void *ctx)
{
	struct event_base *base = evconnlistener_get_base(lev);
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);

	bufferevent_setcb(bev, echo_read, NULL, echo_event, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void accept_error(struct evconnlistener *lev, void *ctx)
{
	struct event_base *base = evconnlistener_get_base(lev);
	int err = EVUTIL_SOCKET_ERROR();

	fprintf(stderr, "Got an error %d (%s) on the listener. Shutting down.\n",
	    err, evutil_socket_error_to_string(err));
	event_base_loopexit(base, NULL);
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct evconnlistener *lev;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	int port = 9876;

	setvbuf(stdout, NULL, _IONBF, 0);

	if (argc > 1)
		port = atoi(argv[1]);
	if (port < 0 || port > 65535) {
		puts("Invalid port");
		return 1;
	}

	base = event_base_new();
	if (!base) {
		puts("Couldn't open event base");
		return 1;
	}

	/* Listen on 0.0.0.0:port. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0);
	sin.sin_port = htons(port);

	lev = evconnlistener_new_bind(base, accept_conn, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (!lev) {
		perror("Couldn't create listener");
		return 1;
	}
	evconnlistener_set_error_cb(lev, accept_error);

	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &slen);
	printf("listening on %d\n", ntohs(sin.sin_port));

	event_base_dispatch(base);
	return 0;
}
