/* libevent's sample/event-read-fifo.c (the Unix part), in this project's
 * words: make a FIFO named event.fifo in the current directory, open it
 * without blocking, and print what writers send, read by read, until the
 * last writer hangs up (or SIGINT arrives); then remove the FIFO. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

static void fifo_read(evutil_socket_t fd, short event, void *arg)
{
	struct event *ev = arg;
	char buf[255];
	int len;

	fprintf(stderr, "fifo_read called with fd: %d, event: %d, arg: %p\n",
	    (int)fd, event, arg);
	len = read(fd, buf, sizeof(buf) - 1);
	if (len <= 0) {
		if (len == -1)
			perror("read");
		else
			fprintf(stderr, "Connection closed\n");
		event_del(ev);
		event_base_loopbreak(event_get_base(ev));
		return;
	}
	buf[len] = '\0';
	fprintf(stdout, "Read: %s\n", buf);
}

/* SIGINT ends the loop, so that the FIFO still gets removed. */
static void signal_cb(evutil_socket_t fd, short event, void *arg)
{
	event_base_loopbreak(arg);
}

int main(int argc, char **argv)
{
	const char *fifo = "event.fifo";
	struct event_base *base;
	struct event *evfifo, *signal_int;
	struct stat st;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);

	/* Never replace a regular file that happens to have the name. */
	if (lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG) {
		errno = EEXIST;
		perror("lstat");
		exit(1);
	}
	unlink(fifo);
	if (mkfifo(fifo, 0600) == -1) {
		perror("mkfifo");
		exit(1);
	}
	fd = open(fifo, O_RDONLY | O_NONBLOCK, 0);
	if (fd == -1) {
		perror("open");
		exit(1);
	}
	fprintf(stderr, "Write data to %s\n", fifo);

	base = event_base_new();

	signal_int = evsignal_new(base, SIGINT, signal_cb, base);
	event_add(signal_int, NULL);

	evfifo = event_new(base, fd, EV_READ | EV_PERSIST, fifo_read, event_self_cbarg());
	event_add(evfifo, NULL);

	event_base_dispatch(base);

	event_free(evfifo);
	event_free(signal_int);
	event_base_free(base);
	close(fd);
	unlink(fifo);
	libevent_global_shutdown();
	return 0;
}
