/* Trace of socket bufferevents over a connected AF_UNIX socketpair (and a
 * loopback TCP connection for the reset): data in both directions,
 * enable(EV_WRITE) on an empty output, the read high watermark and
 * max_single_read, EOF, reset, write errors, and what free does to the
 * descriptor with and without BEV_OPT_CLOSE_ON_FREE.
 * Only the socket bufferevent's side is traced, and chunk sizes appear only
 * where watermarks or max_single_read fix them.
 * test/bev_socket.test.ts holds the TypeScript port. */
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/util.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct event_base *base;
static int drain;

static void readcb(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	printf("readcb inlen=%zu\n", evbuffer_get_length(in));
	if (drain)
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void writecb(struct bufferevent *bev, void *ctx)
{
	printf("writecb outlen=%zu\n", evbuffer_get_length(bufferevent_get_output(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *ctx)
{
	int err = EVUTIL_SOCKET_ERROR();
	printf("eventcb what=0x%x enabled=%d outlen=%zu", what, bufferevent_get_enabled(bev),
	    evbuffer_get_length(bufferevent_get_output(bev)));
	if (what & BEV_EVENT_ERROR)
		printf(" err=%s", evutil_socket_error_to_string(err));
	printf("\n");
	event_base_loopbreak(base);
}

/* Runs the loop until a callback breaks it, or a second. */
static void run(const char *label)
{
	struct timeval tv = { 1, 0 };
	printf("run %s\n", label);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Runs the loop for n milliseconds. */
static void run_for(const char *label, int n)
{
	struct timeval tv = { 0, n * 1000 };
	printf("run %s\n", label);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Whether fd is still open: a non-blocking read on the peer gives EAGAIN, not EOF. */
static const char *peer_sees(evutil_socket_t peer)
{
	char c;
	int n = recv(peer, &c, 1, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return "open";
	return n == 0 ? "closed" : "data";
}

static void newpair(evutil_socket_t fds[2])
{
	if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
		perror("socketpair");
		exit(1);
	}
	evutil_make_socket_nonblocking(fds[0]);
	evutil_make_socket_nonblocking(fds[1]);
}

/* A connected loopback TCP pair; non-blocking calls only, the loop turning while it waits. */
static void tcppair(evutil_socket_t fds[2])
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	evutil_socket_t l = socket(AF_INET, SOCK_STREAM, 0);
	int i;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(l, 1) < 0) {
		perror("listen");
		exit(1);
	}
	getsockname(l, (struct sockaddr *)&sin, &len);
	evutil_make_socket_nonblocking(l);
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(fds[0]);
	connect(fds[0], (struct sockaddr *)&sin, sizeof(sin));
	for (i = 0; i < 1000 && (fds[1] = accept(l, NULL, NULL)) < 0; i++)
		event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	if (fds[1] < 0) {
		perror("accept");
		exit(1);
	}
	evutil_make_socket_nonblocking(fds[1]);
	evutil_closesocket(l);
}

static void loopbreak_cb(evutil_socket_t fd, short what, void *ctx)
{
	event_base_loopbreak(base);
}

int main(void)
{
	evutil_socket_t fds[2];
	struct bufferevent *bev;
	char buf[4096];
	int i, n;
	struct timeval ms50 = { 0, 50000 };

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();

	/* data both ways; getfd; CONNECTED never comes for an accepted fd */
	newpair(fds);
	bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);
	printf("getfd ok=%d enabled=%d\n", bufferevent_getfd(bev) == fds[0], bufferevent_get_enabled(bev));
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	drain = 1;
	printf("add(input)=%d\n", evbuffer_add(bufferevent_get_input(bev), "x", 1));
	send(fds[1], "hello", 5, 0);
	run_for("not reading yet", 100);
	bufferevent_enable(bev, EV_READ);
	run_for("reading", 100);
	bufferevent_write(bev, "pong", 4);
	printf("after write outlen=%zu\n", evbuffer_get_length(bufferevent_get_output(bev)));
	run_for("writing", 100);
	n = recv(fds[1], buf, sizeof(buf), MSG_DONTWAIT);
	printf("peer got %d\n", n);

	/* enable(EV_WRITE) on an empty output: one writecb with outlen 0 */
	bufferevent_enable(bev, EV_WRITE);
	run_for("enable write", 100);

	/* max_single_read 3: 10 bytes come as 3,3,3,1 */
	bufferevent_set_max_single_read(bev, 3);
	send(fds[1], "0123456789", 10, 0);
	run_for("max_single_read 3", 100);
	bufferevent_set_max_single_read(bev, 0);

	/* read high watermark 100: 300 bytes come as 100,100,100 */
	bufferevent_setwatermark(bev, EV_READ, 0, 100);
	memset(buf, 'w', 300);
	send(fds[1], buf, 300, 0);
	run_for("high 100", 100);

	/* low 10: 5 then 5 more gives one readcb at 10 */
	bufferevent_setwatermark(bev, EV_READ, 10, 0);
	send(fds[1], "abcde", 5, 0);
	run_for("low 10, 5 bytes", 100);
	send(fds[1], "fghij", 5, 0);
	run_for("low 10, 10 bytes", 100);
	bufferevent_setwatermark(bev, EV_READ, 0, 0);

	/* EOF: reading is disabled before the eventcb */
	send(fds[1], "bye", 3, 0);
	shutdown(fds[1], SHUT_WR);
	run("eof");
	printf("enabled=%d\n", bufferevent_get_enabled(bev));

	/* CLOSE_ON_FREE: the descriptor is closed once the loop has run */
	bufferevent_free(bev);
	event_base_once(base, -1, EV_TIMEOUT, loopbreak_cb, NULL, &ms50);
	run("after free");
	printf("peer sees %s\n", peer_sees(fds[1]));
	evutil_closesocket(fds[1]);

	/* without CLOSE_ON_FREE the descriptor stays open */
	newpair(fds);
	bev = bufferevent_socket_new(base, fds[0], 0);
	bufferevent_enable(bev, EV_READ);
	bufferevent_free(bev);
	event_base_once(base, -1, EV_TIMEOUT, loopbreak_cb, NULL, &ms50);
	run("after free, no close");
	printf("peer sees %s\n", peer_sees(fds[1]));
	evutil_closesocket(fds[0]);
	evutil_closesocket(fds[1]);

	/* reset: over TCP, the peer closes with our bytes unread */
	tcppair(fds);
	bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	bufferevent_enable(bev, EV_READ);
	bufferevent_write(bev, "unread", 6);
	run_for("wrote 6", 100);
	evutil_closesocket(fds[1]);
	run("reset");

	/* write error: writing after the reset; the output keeps its bytes */
	bufferevent_write(bev, "0123456789", 10);
	run("write error");
	bufferevent_free(bev);

	/* a peer that does not read: bytes wait in the output, one writecb at 0 once it drains */
	newpair(fds);
	bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, eventcb, NULL);
	memset(buf, 'z', sizeof(buf));
	for (i = 0; i < 256; i++)
		bufferevent_write(bev, buf, sizeof(buf));
	run_for("peer not reading", 200);
	printf("output waiting=%d\n", evbuffer_get_length(bufferevent_get_output(bev)) > 0);
	for (n = 0, i = 0; i < 2000 && n < 256 * 4096; i++) {
		int r = recv(fds[1], buf, sizeof(buf), MSG_DONTWAIT);
		if (r > 0)
			n += r;
		else
			event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	}
	printf("peer read %d\n", n);
	run_for("drained", 100);
	bufferevent_free(bev);
	evutil_closesocket(fds[1]);

	printf("dispatch=%d\n", event_base_dispatch(base));
	event_base_free(base);
	return 0;
}
