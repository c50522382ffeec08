/* The libevent book's trivial HTTP client (chapter "Bufferevents: concepts
 * and basics", bufferevent_socket_connect_hostname), in this project's words:
 * resolve a host through an evdns base, connect, send one HTTP/1.0 request,
 * copy whatever comes back to stdout, and stop at EOF or on an error.
 *
 * Usage: http_client host port path */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

static void on_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *input = bufferevent_get_input(bev);
	char chunk[1024];
	int n;

	while ((n = evbuffer_remove(input, chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, n, stdout);
}

static void on_event(struct bufferevent *bev, short events, void *arg)
{
	struct event_base *base = arg;

	if (events & BEV_EVENT_CONNECTED) {
		printf("Connect okay.\n");
		return;
	}
	if (!(events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	if (events & BEV_EVENT_ERROR) {
		int dns_err = bufferevent_socket_get_dns_error(bev);
		if (dns_err)
			printf("DNS error: %s\n", evutil_gai_strerror(dns_err));
		else
			printf("Socket error: %s\n",
			    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	}
	printf("Closing\n");
	bufferevent_free(bev);
	/* The evdns base's nameserver socket would keep the loop going. */
	event_base_loopexit(base, NULL);
}

int main(int argc, char **argv)
{
	struct event_base *base;
	struct evdns_base *dns;
	struct bufferevent *bev;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 4) {
		printf("Syntax: %s host port path\n", argv[0]);
		return 1;
	}

	base = event_base_new();
	dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS);

	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, on_read, NULL, on_event, base);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	/* Queued before the connection exists: it goes out once connected. */
	evbuffer_add_printf(bufferevent_get_output(bev),
	    "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", argv[3], argv[1]);
	if (bufferevent_socket_connect_hostname(bev, dns, AF_UNSPEC, argv[1],
		atoi(argv[2])) < 0)
		printf("could not start the connection\n");

	event_base_dispatch(base);

	evdns_base_free(dns, 0);
	event_base_free(base);
	return 0;
}
