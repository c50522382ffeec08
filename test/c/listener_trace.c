/* The C side of test/listener_diff.test.ts: a listener scenario on loopback
 * with libevent 2.1.12, printing a trace the TypeScript port must reproduce.
 * Clients connect with non-blocking sockets; every step waits for events,
 * never for time. */
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct event_base *base;
static struct evconnlistener *lev;
static struct sockaddr_in where;
static int accepted[16], naccepted, clients[16], nclients, connected_clients;
static struct event *client_ev[16];

static void client_cb(evutil_socket_t fd, short what, void *arg);

static void connect_client(void) {
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(fd, (struct sockaddr *)&where, sizeof(where));
	if (r != 0 && errno != EINPROGRESS)
		printf("connect failed: %d\n", errno);
	client_ev[nclients] = event_new(base, fd, EV_WRITE, client_cb, NULL);
	event_add(client_ev[nclients], NULL);
	clients[nclients++] = fd;
}

static void error_cb(struct evconnlistener *l, void *arg) {
	int e = EVUTIL_SOCKET_ERROR();
	printf("error cb: arg=%s same=%d errno=%d (%s)\n", (char *)arg, l == lev, e,
	    evutil_socket_error_to_string(e));
	evconnlistener_free(l);
	for (int i = 0; i < naccepted; i++)
		close(accepted[i]);
	for (int i = 0; i < nclients; i++) {
		event_free(client_ev[i]);
		close(clients[i]);
	}
	printf("freed\n");
}

static void client_cb(evutil_socket_t fd, short what, void *arg) {
	int err = 0;
	socklen_t len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (what != EV_WRITE || err != 0)
		printf("client: what=0x%x so_error=%d\n", what, err);
	/* The order of connects and accepts is the kernel's: only the last connect is traced. */
	if (++connected_clients == 5)
		printf("all clients connected; enable -> %d\n", evconnlistener_enable(lev));
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg) {
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;
	char buf[64];
	accepted[naccepted++] = fd;
	printf("accept %d: arg=%s same=%d family=%d socklen=%d peer=%s nonblock=%d\n", naccepted, (char *)arg,
	    l == lev, sa->sa_family, socklen, evutil_inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)),
	    (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	if (naccepted == 3) {
		printf("disable -> %d\n", evconnlistener_disable(l));
		connect_client();
		connect_client();
	}
	if (naccepted == 5) {
		printf("shutdown -> %d\n", shutdown(evconnlistener_get_fd(l), SHUT_RDWR));
	}
}

int main(void) {
	setvbuf(stdout, NULL, _IONBF, 0);
	base = event_base_new();
	memset(&where, 0, sizeof(where));
	where.sin_family = AF_INET;
	where.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	printf("backlog 0 -> %s\n", evconnlistener_new_bind(base, accept_cb, NULL, 0, 0, (struct sockaddr *)&where, sizeof(where)) ? "listener" : "NULL");
	printf("no address -> %s\n", evconnlistener_new_bind(base, accept_cb, NULL, 0, -1, NULL, 0) ? "listener" : "NULL");

	lev = evconnlistener_new_bind(base, accept_cb, "A", LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&where, sizeof(where));
	printf("listener %s, base same=%d, events=%d\n", lev ? "made" : "NULL", evconnlistener_get_base(lev) == base,
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	evconnlistener_set_error_cb(lev, error_cb);
	socklen_t len = sizeof(where);
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&where, &len);

	/* The same port again: taken. */
	struct evconnlistener *again = evconnlistener_new_bind(base, accept_cb, NULL, LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&where, sizeof(where));
	printf("same port again -> %s\n", again ? "listener" : "NULL");

	/* evconnlistener_new on a descriptor the program bound, disabled, without a callback. */
	int fd2 = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in any = where;
	any.sin_port = 0;
	bind(fd2, (struct sockaddr *)&any, sizeof(any));
	struct evconnlistener *l2 = evconnlistener_new(base, NULL, NULL, LEV_OPT_DISABLED | LEV_OPT_CLOSE_ON_FREE, 8, fd2);
	printf("l2 fd same=%d events=%d\n", evconnlistener_get_fd(l2) == fd2, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	printf("l2 enable without cb -> %d events=%d\n", evconnlistener_enable(l2), event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	printf("l2 disable -> %d\n", evconnlistener_disable(l2));
	evconnlistener_free(l2);
	printf("fd2 closed=%d\n", fcntl(fd2, F_GETFD) == -1 && errno == EBADF);

	for (int i = 0; i < 3; i++)
		connect_client();
	int r = event_base_dispatch(base);
	printf("dispatch -> %d, accepted %d\n", r, naccepted);
	event_base_free(base);
	return 0;
}
