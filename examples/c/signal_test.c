/* libevent's sample/signal-test.c, in this project's words: a persistent
 * SIGINT event that reports each signal and removes itself on the third, so
 * the loop runs out of events and the program ends.
 *
 * Prints "waiting for SIGINT" once the handler is in place. */
#include <signal.h>
#include <stdio.h>

#include <event2/event.h>

static int calls;

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
	struct event *sig = arg;

	printf("signal_cb: got signal %d\n", event_get_signal(sig));
	if (calls >= 2)
		event_del(sig);
	calls++;
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct event *sigint = NULL;
	int ret = 0;

	setvbuf(stdout, NULL, _IONBF, 0);

	base = event_base_new();
	if (base == NULL)
		return 1;

	sigint = evsignal_new(base, SIGINT, on_signal, event_self_cbarg());
	if (sigint == NULL) {
		ret = 2;
		goto out;
	}
	event_add(sigint, NULL);
	printf("waiting for SIGINT\n");

	event_base_dispatch(base);

out:
	if (sigint)
		event_free(sigint);
	event_base_free(base);
	return ret;
}
