/* A line-based ROT13 server on bufferevents, in the spirit of the libevent
 * book's "simpler ROT13 server" (chapter 1), in this project's words: a raw
 * non-blocking listening socket watched by a persistent EV_READ event
 * accepts every waiting connection, each becomes a socket bufferevent whose
 * read high watermark bounds a line, complete lines come back rotated, and a
 * line that reaches the bound is rotated in place through evbuffer_peek and
 * sent on as it is, ended by a newline. Descriptors at or above FD_SETSIZE
 * are closed, as a select()-era server would.
 *
 * Usage: rot13_lines [port]   (default 40713; 0 picks a free port)
 * Prints "listening on PORT" once it accepts connections. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#define MAX_LINE 8192

static unsigned char rot13(unsigned char c)
{
	unsigned char lower = c | 0x20;
	if (lower >= 'a' && lower <= 'z')
		return (unsigned char)((lower - 'a' + 13) % 26 + 'a') - (c & 0x20 ? 0 : 0x20);
	return c;
}

static void rotate(unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; ++i)
		p[i] = rot13(p[i]);
}

static void on_read(struct bufferevent *bev, void *ctx)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	size_t len;
	char *line;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		rotate((unsigned char *)line, len);
		evbuffer_add_printf(out, "%s\n", line);
		free(line);
	}

	if (evbuffer_get_length(in) >= MAX_LINE) {
		/* No newline within the bound: rotate what waits where it lies. */
		int i, n = evbuffer_peek(in, -1, NULL, NULL, 0);
		struct evbuffer_iovec *v = calloc(n, sizeof(struct evbuffer_iovec));
		evbuffer_peek(in, -1, NULL, v, n);
		for (i = 0; i < n; ++i)
			rotate(v[i].iov_base, v[i].iov_len);
		free(v);
		evbuffer_add_buffer(out, in);
		evbuffer_add(out, "\n", 1);
	}
}

static void on_event(struct bufferevent *bev, short what, void *ctx)
{
	if (what & BEV_EVENT_ERROR)
		fprintf(stderr, "connection error: %s\n",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void on_accept(evutil_socket_t listener, short what, void *arg)
{
	struct event_base *base = arg;

	for (;;) {
		struct sockaddr_storage ss;
		socklen_t slen = sizeof(ss);
		struct bufferevent *bev;
		evutil_socket_t fd = accept(listener, (struct sockaddr *)&ss, &slen);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				perror("accept");
			return;
		}
		if (fd >= FD_SETSIZE) {
			close(fd);
			continue;
		}
		evutil_make_socket_nonblocking(fd);
		bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(bev, on_read, NULL, on_event, NULL);
		bufferevent_setwatermark(bev, EV_READ, 0, MAX_LINE);
		bufferevent_enable(bev, EV_READ | EV_WRITE);
	}
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct event *accepting;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	evutil_socket_t listener;
	int port = argc > 1 ? atoi(argv[1]) : 40713;
	int one = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	base = event_base_new();
	if (!base) {
		fputs("Could not make an event base\n", stderr);
		return 1;
	}

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	sin.sin_port = htons(port);

	listener = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(listener);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(listener, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(listener, 16) < 0) {
		perror("listen");
		return 1;
	}
	getsockname(listener, (struct sockaddr *)&sin, &slen);
	printf("listening on %d\n", ntohs(sin.sin_port));

	accepting = event_new(base, listener, EV_READ | EV_PERSIST, on_accept, base);
	event_add(accepting, NULL);
	event_base_dispatch(base);

	event_free(accepting);
	evutil_closesocket(listener);
	event_base_free(base);
	return 0;
}
