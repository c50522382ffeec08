/* RLIMIT_NOFILE against the descriptors a libevent program holds: stdio,
 * an event base (its epoll descriptor and signal pipe), sockets, a
 * socketpair, a file, an accepted connection and a bufferevent's own
 * connect. Prints each call's result and, on failure, the errno's name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/util.h>

static const char *err(int r) {
	if (r >= 0) return "";
	return errno == EMFILE ? " EMFILE" : errno == EINVAL ? " EINVAL" : errno == EPERM ? " EPERM" : " other";
}

static void say(const char *what, int r) {
	printf("%s %d%s\n", what, r < 0 ? -1 : 0, err(r));
}

static int listener, spare, client;

static void on_connection(evutil_socket_t fd, short what, void *arg) {
	struct event_base *base = arg;
	struct sockaddr_in sin;
	int conn, pair[2];
	struct bufferevent *bev;
	(void)what;
	say("accept at the limit", accept(fd, NULL, NULL));
	say("close the file", close(spare));
	conn = accept(fd, NULL, NULL);
	say("accept after a close", conn);
	say("socket", socket(AF_INET, SOCK_STREAM, 0));
	say("socketpair", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(1);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	say("bufferevent_socket_connect", bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof(sin)));
	bufferevent_free(bev);
	close(conn);
	say("socketpair with one free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	close(client);
	say("socketpair with two free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	close(pair[0]);
	close(pair[1]);
}

int main(void) {
	struct rlimit rl;
	struct event_base *base;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int pair[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	say("getrlimit", getrlimit(RLIMIT_NOFILE, &rl));
	printf("soft <= hard %d\n", rl.rlim_cur <= rl.rlim_max);
	rl.rlim_cur = rl.rlim_max + 1;
	say("soft above hard", setrlimit(RLIMIT_NOFILE, &rl));
	say("bad resource", setrlimit(99, &rl));

	base = event_base_new();
	rl.rlim_cur = rl.rlim_max = 9; /* 0-2 stdio, 3 epoll, 4-5 signal pipe: three left */
	say("setrlimit 9", setrlimit(RLIMIT_NOFILE, &rl));
	say("getrlimit", getrlimit(RLIMIT_NOFILE, &rl));
	printf("limit %d %d\n", (int)rl.rlim_cur, (int)rl.rlim_max);
	rl.rlim_max = 10;
	say("raise the hard limit", setrlimit(RLIMIT_NOFILE, &rl));

	listener = socket(AF_INET, SOCK_STREAM, 0);
	say("listener", listener);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(listener, (struct sockaddr *)&sin, sizeof(sin));
	listen(listener, 8);
	getsockname(listener, (struct sockaddr *)&sin, &len);
	client = socket(AF_INET, SOCK_STREAM, 0);
	say("client", client);
	say("connect", connect(client, (struct sockaddr *)&sin, sizeof(sin)));
	say("socketpair with one left", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	spare = open("/dev/null", O_RDONLY);
	say("open", spare);
	say("open beyond", open("/dev/null", O_RDONLY));
	say("socket beyond", socket(AF_INET, SOCK_STREAM, 0));

	event_base_once(base, listener, EV_READ, on_connection, base, NULL);
	event_base_dispatch(base);
	event_base_free(base);
	say("socketpair after event_base_free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	return 0;
}
