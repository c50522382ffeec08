/* libevent's sample/hello-world.c, in this project's words: a TCP listener
 * that greets each client with one line, closes the connection once the line
 * is out, and on SIGINT ends the loop two seconds later.
 *
 * Usage: hello_world [port]   (default 9995; 0 picks a free port)
 * Prints "listening on PORT" once it accepts connections. */
#include <errno.h>
#include <signal.h>
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

static const char GREETING[] = "Hello, World!\n";

/* Once the output buffer is empty the greeting is with the kernel: hang up. */
static void on_write(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	if (evbuffer_get_length(out) == 0) {
		printf("flushed answer\n");
		bufferevent_free(bev);
	}
}

/* Reading is off and there are no timeouts: only EOF or an error lands here. */
static void on_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & BEV_EVENT_EOF)
		printf("Connection closed.\n");
	else if (what & BEV_EVENT_ERROR)
		printf("Got an error on the connection: %s\n", strerror(errno));
	bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int socklen, void *arg)
{
	struct event_base *base = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);

	if (bev == NULL) {
		fprintf(stderr, "Error constructing bufferevent!");
		event_base_loopbreak(base);
		return;
	}
	bufferevent_setcb(bev, NULL, on_write, on_event, NULL);
	bufferevent_enable(bev, EV_WRITE);
	bufferevent_disable(bev, EV_READ);
	bufferevent_write(bev, GREETING, strlen(GREETING));
}

static void on_sigint(evutil_socket_t sig, short what, void *arg)
{
	struct event_base *base = arg;
	struct timeval two_seconds = { 2, 0 };

	printf("Caught an interrupt signal; exiting cleanly in two seconds.\n");
	event_base_loopexit(base, &two_seconds);
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct evconnlistener *lev;
	struct event *sigint;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);

	setvbuf(stdout, NULL, _IONBF, 0);

	base = event_base_new();
	if (base == NULL) {
		fprintf(stderr, "Could not initialize libevent!\n");
		return 1;
	}

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(argc > 1 ? atoi(argv[1]) : 9995);

	lev = evconnlistener_new_bind(base, on_accept, base,
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (lev == NULL) {
		fprintf(stderr, "Could not create a listener!\n");
		return 1;
	}
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &slen);
	printf("listening on %d\n", ntohs(sin.sin_port));

	sigint = evsignal_new(base, SIGINT, on_sigint, base);
	if (sigint == NULL || event_add(sigint, NULL) < 0) {
		fprintf(stderr, "Could not create/add a signal event!\n");
		return 1;
	}

	event_base_dispatch(base);

	evconnlistener_free(lev);
	event_free(sigint);
	event_base_free(base);

	printf("done\n");
	return 0;
}
