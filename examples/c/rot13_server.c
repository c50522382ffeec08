/* The low-level ROT13 server of the libevent book's first chapter
 * ("A tiny introduction to asynchronous IO"): raw non-blocking sockets, an
 * event on the listening socket that accepts, and per connection a
 * persistent EV_READ event that recv()s and ROT13s the bytes into a line
 * buffer and a persistent EV_WRITE event, added once a full line is in, that
 * send()s it back and removes itself when all is sent.
 *
 * Usage: rot13_server [port]   (default 40713; 0 picks a free port)
 * Prints "listening on PORT" once it accepts connections.
 *
 * examples/rot13_server.ts is its line-by-line TypeScript port. */
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <event2/event.h>
#include <assert.h>
#include <unistd.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <errno.h>

#define MAX_LINE 16384

void do_read(evutil_socket_t fd, short events, void *arg);
void do_write(evutil_socket_t fd, short events, void *arg);

char rot13_char(char c)
{
	if ((c >= 'a' && c <= 'm') || (c >= 'A' && c <= 'M'))
		return c + 13;
	else if ((c >= 'n' && c <= 'z') || (c >= 'N' && c <= 'Z'))
		return c - 13;
	else
		return c;
}

struct fd_state {
	char buffer[MAX_LINE];
	size_t buffer_used;

	size_t n_written;
	size_t write_upto;

	struct event *read_event;
	struct event *write_event;
};

struct fd_state *alloc_fd_state(struct event_base *base, evutil_socket_t fd)
{
	struct fd_state *state = malloc(sizeof(struct fd_state));
	if (!state)
		return NULL;
	state->read_event = event_new(base, fd, EV_READ | EV_PERSIST, do_read, state);
	if (!state->read_event) {
		free(state);
		return NULL;
	}
	state->write_event = event_new(base, fd, EV_WRITE | EV_PERSIST, do_write, state);
	if (!state->write_event) {
		event_free(state->read_event);
		free(state);
		return NULL;
	}
	state->buffer_used = state->n_written = state->write_upto = 0;
	assert(state->write_event);
	return state;
}

void free_fd_state(struct fd_state *state)
{
	event_free(state->read_event);
	event_free(state->write_event);
	free(state);
}

void do_read(evutil_socket_t fd, short events, void *arg)
{
	struct fd_state *state = arg;
	char buf[1024];
	int i;
	ssize_t result;
	while (1) {
		assert(state->write_event);
		result = recv(fd, buf, sizeof(buf), 0);
		if (result <= 0)
			break;

		for (i = 0; i < result; ++i) {
			if (state->buffer_used < sizeof(state->buffer))
				state->buffer[state->buffer_used++] = rot13_char(buf[i]);
			if (buf[i] == '\n') {
				assert(state->write_event);
				event_add(state->write_event, NULL);
				state->write_upto = state->buffer_used;
			}
		}
	}

	if (result == 0) {
		free_fd_state(state);
		close(fd);
	} else if (result < 0) {
		if (errno == EAGAIN) /* the socket has no more bytes for now */
			return;
		perror("recv");
		free_fd_state(state);
		close(fd);
	}
}

void do_write(evutil_socket_t fd, short events, void *arg)
{
	struct fd_state *state = arg;

	while (state->n_written < state->write_upto) {
		ssize_t result = send(fd, state->buffer + state->n_written,
		    state->write_upto - state->n_written, 0);
		if (result < 0) {
			if (errno == EAGAIN) /* the send buffer is full: wait for EV_WRITE */
				return;
			free_fd_state(state);
			close(fd);
			return;
		}
		assert(result != 0);

		state->n_written += result;
	}

	/* Everything buffered so far is sent: start the line buffer over. */
	if (state->n_written == state->buffer_used)
		state->n_written = state->write_upto = state->buffer_used = 0;

	event_del(state->write_event);
}

void do_accept(evutil_socket_t listener, short event, void *arg)
{
	struct event_base *base = arg;
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int fd = accept(listener, (struct sockaddr *)&ss, &slen);
	if (fd < 0) {
		perror("accept");
	} else if (fd > FD_SETSIZE) {
		close(fd);
	} else {
		struct fd_state *state;
		evutil_make_socket_nonblocking(fd);
		state = alloc_fd_state(base, fd);
		assert(state);
		assert(state->write_event);
		event_add(state->read_event, NULL);
	}
}

void run(int port)
{
	evutil_socket_t listener;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct event_base *base;
	struct event *listener_event;

	base = event_base_new();
	if (!base)
		return;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = 0;
	sin.sin_port = htons(port);

	listener = socket(AF_INET, SOCK_STREAM, 0);
	evutil_make_socket_nonblocking(listener);

	{
		int one = 1;
		setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}

	if (bind(listener, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		perror("bind");
		return;
	}

	if (listen(listener, 16) < 0) {
		perror("listen");
		return;
	}

	getsockname(listener, (struct sockaddr *)&sin, &slen);
	printf("listening on %d\n", ntohs(sin.sin_port));

	listener_event = event_new(base, listener, EV_READ | EV_PERSIST, do_accept, (void *)base);
	event_add(listener_event, NULL);

	event_base_dispatch(base);
}

int main(int c, char **v)
{
	setvbuf(stdout, NULL, _IONBF, 0);

	run(c > 1 ? atoi(v[1]) : 40713);
	return 0;
}
