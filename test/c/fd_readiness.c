/* Readiness of raw sockets as libevent's epoll backend reports it: a
 * listening socket readable when a connection waits, accept until EAGAIN,
 * bytes readable (level-triggered: a callback that leaves bytes gets called
 * again), EOF as EV_READ|EV_CLOSED and recv 0, EV_WRITE on a connected
 * socket, close inside a callback, a refused connect as EV_WRITE with
 * SO_ERROR. Each step is started by the previous one's callback, so the trace
 * does not depend on timing. test/descriptor_readiness.test.ts is the
 * line-by-line TypeScript port and must print the same. */
#include <event2/event.h>
#include <event2/util.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct event_base *base;
static evutil_socket_t listener, client, conn;
static struct event *ev_listen, *ev_client, *ev_conn;
static struct sockaddr_in sin;
static int step, got;

static const char *err_name(int e)
{
	switch (e) {
	case EAGAIN: return "EAGAIN";
	case EINPROGRESS: return "EINPROGRESS";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ENOTCONN: return "ENOTCONN";
	case EBADF: return "EBADF";
	case EPIPE: return "EPIPE";
	case 0: return "0";
	default: return "other";
	}
}

static void on_client_read(evutil_socket_t fd, short what, void *arg)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	printf("client readable what=0x%x recv %d\n", what, (int)n);
	if (n == 0) {
		event_free(ev_client);
		evutil_closesocket(client);
		event_free(ev_listen);
		evutil_closesocket(listener);
		printf("closed client and listener\n");
	}
}

static void on_conn_writable(evutil_socket_t fd, short what, void *arg)
{
	printf("conn writable what=0x%x\n", what);
	printf("send %d\n", (int)send(fd, "bye", 3, 0));
	event_free(ev_conn);
	printf("close in callback %d\n", evutil_closesocket(fd));
	ev_client = event_new(base, client, EV_READ | EV_PERSIST, on_client_read, NULL);
	event_add(ev_client, NULL);
}

static void on_conn_read(evutil_socket_t fd, short what, void *arg)
{
	char buf[64];
	ssize_t n;
	printf("conn readable what=0x%x\n", what);
	if (step == 0) {
		for (;;) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0) {
				printf("recv -1 %s\n", err_name(errno));
				break;
			}
			printf("recv %d \"%.*s\"\n", (int)n, (int)n, buf);
		}
		step = 1;
		printf("client send %d\n", (int)send(client, "abcdef", 6, 0));
	} else if (step == 1) {
		n = recv(fd, buf, 3, 0);
		printf("recv %d \"%.*s\"\n", (int)n, (int)n, buf);
		if (++got == 2) {
			step = 2;
			printf("client shutdown %d\n", shutdown(client, SHUT_WR));
		}
	} else {
		n = recv(fd, buf, sizeof(buf), 0);
		printf("recv %d (EOF)\n", (int)n);
		event_free(ev_conn);
		ev_conn = event_new(base, fd, EV_WRITE, on_conn_writable, NULL);
		event_add(ev_conn, NULL);
	}
}

static void on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	evutil_socket_t s;
	int n = 0;
	printf("listener readable what=0x%x\n", what);
	for (;;) {
		len = sizeof(ss);
		s = accept(fd, (struct sockaddr *)&ss, &len);
		if (s < 0) {
			printf("accept -1 %s after %d\n", err_name(errno), n);
			break;
		}
		n++;
		printf("accepted: family %d len %d nonblock %d\n", ss.ss_family, (int)len,
		    (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
		evutil_make_socket_nonblocking(s);
		printf("now nonblock %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
		conn = s;
	}
	ev_conn = event_new(base, conn, EV_READ | EV_CLOSED | EV_PERSIST, on_conn_read, NULL);
	event_add(ev_conn, NULL);
	printf("client send %d\n", (int)send(client, "hello", 5, 0));
}

static void on_client_connected(evutil_socket_t fd, short what, void *arg)
{
	int err = -1;
	socklen_t len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("client writable what=0x%x SO_ERROR %s\n", what, err_name(err));
	event_free(ev_client);
	event_add(ev_listen, NULL);
}

static void on_refused(evutil_socket_t fd, short what, void *arg)
{
	int err = -1;
	socklen_t len = sizeof(err);
	char buf[8];
	ssize_t n;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("refused socket what=0x%x SO_ERROR %s\n", what, err_name(err));
	n = recv(fd, buf, sizeof(buf), 0);
	printf("recv %d %s\n", (int)n, err_name(n < 0 ? errno : 0));
	errno = 0;
	n = send(fd, "x", 1, MSG_NOSIGNAL);
	printf("send %d %s\n", (int)n, err_name(n < 0 ? errno : 0));
	event_free(ev_client);
	evutil_closesocket(fd);
}

int main(void)
{
	socklen_t len = sizeof(sin);
	int one = 1, r;
	setvbuf(stdout, NULL, _IONBF, 0);
	base = event_base_new();
	listener = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(listener);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(0);
	printf("bind %d\n", bind(listener, (struct sockaddr *)&sin, sizeof(sin)));
	printf("listen %d\n", listen(listener, 8));
	getsockname(listener, (struct sockaddr *)&sin, &len);
	printf("bound: family %d len %d port nonzero %d\n", sin.sin_family, (int)len, ntohs(sin.sin_port) != 0);
	r = accept(listener, NULL, NULL);
	printf("accept on empty queue %d %s\n", r, err_name(errno));
	ev_listen = event_new(base, listener, EV_READ | EV_PERSIST, on_accept, NULL);

	client = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(client);
	r = connect(client, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect %d %s\n", r, err_name(errno));
	ev_client = event_new(base, client, EV_WRITE, on_client_connected, NULL);
	event_add(ev_client, NULL);
	printf("dispatch returned %d\n", event_base_dispatch(base));

	/* The listener is closed now: connecting to its port is refused. */
	client = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(client);
	r = connect(client, (struct sockaddr *)&sin, sizeof(sin));
	printf("connect %d %s\n", r, err_name(errno));
	ev_client = event_new(base, client, EV_WRITE, on_refused, NULL);
	event_add(ev_client, NULL);
	printf("dispatch returned %d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
