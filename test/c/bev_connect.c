/* Trace of bufferevent_socket_connect and _connect_hostname over loopback
 * TCP: CONNECTED, data queued before the connect, no writecb for a connect
 * with an empty output, refused connects (with and without deferred
 * callbacks), the argument checks of connect_hostname. The server is a
 * listening socket with an event on it; it sends "hello" to each client
 * and shuts down writing. test/bev_connect.test.ts holds the port. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/util.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static struct event_base *base;
static evutil_socket_t served[8];
static int nserved;

static void readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("%s readcb inlen=%zu\n", (const char *)ctx, evbuffer_get_length(in));
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void writecb(struct bufferevent *bev, void *ctx)
{
	printf("%s writecb outlen=%zu\n", (const char *)ctx, evbuffer_get_length(bufferevent_get_output(bev)));
	event_base_loopbreak(base);
}

static void eventcb(struct bufferevent *bev, short what, void *ctx)
{
	int err = EVUTIL_SOCKET_ERROR();
	printf("%s eventcb what=0x%x enabled=%d", (const char *)ctx, what, bufferevent_get_enabled(bev));
	if (what & BEV_EVENT_ERROR)
		printf(" err=%s", evutil_socket_error_to_string(err));
	if (what & BEV_EVENT_CONNECTED)
		printf(" fd_ok=%d", bufferevent_getfd(bev) >= 0);
	printf("\n");
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		event_base_loopbreak(base);
}

static void accept_cb(evutil_socket_t l, short what, void *ctx)
{
	evutil_socket_t s = accept(l, NULL, NULL);
	if (s < 0)
		return;
	send(s, "hello", 5, 0);
	shutdown(s, SHUT_WR);
	served[nserved++] = s;
}

static void run(const char *label)
{
	struct timeval tv = { 2, 0 };
	printf("run %s\n", label);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static struct bufferevent *client(const char *name, int options, short enable)
{
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | options);
	bufferevent_setcb(bev, readcb, writecb, eventcb, (void *)name);
	if (enable)
		bufferevent_enable(bev, enable);
	return bev;
}

int main(void)
{
	struct sockaddr_in sin, dead;
	socklen_t len = sizeof(sin);
	evutil_socket_t l, d;
	struct event *accepting;
	struct bufferevent *bev;
	int i, r;

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	l = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_listen_socket_reuseable(l);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(l, 16) < 0) {
		perror("listen");
		return 1;
	}
	getsockname(l, (struct sockaddr *)&sin, &len);
	evutil_make_socket_nonblocking(l);
	accepting = event_new(base, l, EV_READ | EV_PERSIST, accept_cb, NULL);
	event_add(accepting, NULL);

	/* a port nobody listens on */
	dead = sin;
	d = socket(AF_INET, SOCK_STREAM, 0);
	dead.sin_port = 0;
	bind(d, (struct sockaddr *)&dead, sizeof(dead));
	len = sizeof(dead);
	getsockname(d, (struct sockaddr *)&dead, &len);
	evutil_closesocket(d);

	/* connect and read: CONNECTED (no writecb, the output is empty), data, EOF */
	bev = client("A", 0, EV_READ);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect=%d enabled=%d\n", r, bufferevent_get_enabled(bev));
	run("A");
	bufferevent_free(bev);

	/* the same with deferred callbacks */
	bev = client("B", BEV_OPT_DEFER_CALLBACKS, EV_READ);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect=%d\n", r);
	run("B");
	bufferevent_free(bev);

	/* bytes written before the connect go once it completes, then the writecb */
	bev = client("C", 0, 0);
	bufferevent_write(bev, "early", 5);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect=%d outlen=%zu\n", r, evbuffer_get_length(bufferevent_get_output(bev)));
	run("C");
	bufferevent_free(bev);

	/* refused: ERROR alone; the enabled bits stay */
	bev = client("D", 0, EV_READ | EV_WRITE);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&dead, sizeof(dead));
	printf("connect=%d\n", r);
	run("D");
	bufferevent_free(bev);
	bev = client("E", BEV_OPT_DEFER_CALLBACKS, EV_READ | EV_WRITE);
	r = bufferevent_socket_connect(bev, (struct sockaddr *)&dead, sizeof(dead));
	printf("connect=%d\n", r);
	run("E");
	bufferevent_free(bev);

	/* no descriptor and no address */
	bev = client("F", 0, 0);
	printf("connect(NULL)=%d\n", bufferevent_socket_connect(bev, NULL, 0));
	printf("bad family=%d\n", bufferevent_socket_connect_hostname(bev, NULL, AF_UNIX, "127.0.0.1", 80));
	printf("port 0=%d\n", bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", 0));
	printf("port 65536=%d\n", bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", 65536));
	bufferevent_free(bev);

	/* connect_hostname with a numeric host and with localhost */
	bev = client("G", 0, EV_READ);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "127.0.0.1", ntohs(sin.sin_port));
	printf("connect_hostname=%d\n", r);
	run("G");
	printf("dns error=%d\n", bufferevent_socket_get_dns_error(bev));
	bufferevent_free(bev);
	bev = client("H", 0, EV_READ);
	r = bufferevent_socket_connect_hostname(bev, NULL, AF_UNSPEC, "localhost", ntohs(sin.sin_port));
	printf("connect_hostname=%d\n", r);
	run("H");
	printf("dns error=%d\n", bufferevent_socket_get_dns_error(bev));
	bufferevent_free(bev);

	for (i = 0; i < nserved; i++)
		evutil_closesocket(served[i]);
	printf("served %d\n", nserved);
	event_free(accepting);
	evutil_closesocket(l);
	event_base_free(base);
	return 0;
}
