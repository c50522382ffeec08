/* libevent's sample/dns-example.c in this project's words: look names up
 * through evdns and print each answer; with -T, also serve DNS on UDP port
 * 10053 (every A question gets 192.168.11.11, every PTR question
 * foo.bar.example.com), until killed.
 *
 * Usage: dns_example [-x] [-v] [-g] [-T] [-c resolv.conf] [-s nameserver] name...
 *   -x  reverse lookups (PTR) of IPv4 addresses
 *   -g  evdns_getaddrinfo (A and AAAA, with a canonical name)
 *   otherwise evdns_base_resolve_ipv4
 *   -s  one nameserver ("ip" or "ip:port"); -c a resolv.conf to read
 *   -v  log evdns's informational messages to stderr too */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/event.h>
#include <event2/util.h>

static int verbose;

/* A dotted quad for an address in network order. */
static const char *dotted(ev_uint32_t address)
{
	static char text[32];
	ev_uint32_t a = ntohl(address);

	evutil_snprintf(text, sizeof(text), "%d.%d.%d.%d",
	    (int)((a >> 24) & 0xff), (int)((a >> 16) & 0xff),
	    (int)((a >> 8) & 0xff), (int)(a & 0xff));
	return text;
}

static void on_resolved(int result, char type, int count, int ttl,
    void *addrs, void *arg)
{
	const char *name = arg;
	int i;

	for (i = 0; i < count; ++i) {
		if (type == DNS_IPv4_A)
			printf("%s: %s\n", name, dotted(((ev_uint32_t *)addrs)[i]));
		else if (type == DNS_PTR)
			printf("%s: %s\n", name, ((char **)addrs)[i]);
	}
	if (count == 0)
		printf("%s: No answer (%d)\n", name, result);
	fflush(stdout);
}

static void on_addrinfo(int err, struct evutil_addrinfo *ai, void *arg)
{
	const char *name = arg;
	struct evutil_addrinfo *first = ai;
	int i;

	if (err)
		printf("%s: %s\n", name, evutil_gai_strerror(err));
	if (ai && ai->ai_canonname)
		printf("    %s ==> %s\n", name, ai->ai_canonname);
	for (i = 0; ai; ai = ai->ai_next, ++i) {
		char text[128];
		if (ai->ai_family == PF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
			evutil_inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
			evutil_inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
		}
		printf("[%d] %s: %s\n", i, name, text);
	}
	if (first)
		evutil_freeaddrinfo(first);
}

static void on_question(struct evdns_server_request *req, void *data)
{
	int i, r;
	(void)data;
	for (i = 0; i < req->nquestions; ++i) {
		ev_uint32_t ans = htonl(0xc0a80b0bUL);
		const struct evdns_server_question *q = req->questions[i];
		if (q->type == EVDNS_TYPE_A && q->dns_question_class == EVDNS_CLASS_INET) {
			printf(" -- replying for %s (A)\n", q->name);
			r = evdns_server_request_add_a_reply(req, q->name, 1, &ans, 10);
			if (r < 0)
				printf("eeep, didn't work.\n");
		} else if (q->type == EVDNS_TYPE_PTR && q->dns_question_class == EVDNS_CLASS_INET) {
			printf(" -- replying for %s (PTR)\n", q->name);
			r = evdns_server_request_add_ptr_reply(req, NULL, q->name, "foo.bar.example.com", 10);
			if (r < 0)
				printf("ugh, no luck");
		} else {
			printf(" -- skipping %s [%d %d]\n", q->name, q->type, q->dns_question_class);
		}
	}
	r = evdns_server_request_respond(req, 0);
	if (r < 0)
		printf("eeek, couldn't send reply.\n");
	fflush(stdout);
}

static void log_line(int is_warn, const char *msg)
{
	if (!is_warn && !verbose)
		return;
	fprintf(stderr, "%s: %s\n", is_warn ? "WARN" : "INFO", msg);
}

int main(int argc, char **argv)
{
	int reverse = 0, use_getaddrinfo = 0, servertest = 0, i;
	const char *resolv_conf = NULL, *ns = NULL;
	struct event_base *base;
	struct evdns_base *dns;

	if (argc < 2) {
		fprintf(stderr, "syntax: %s [-x] [-v] [-g] [-T] [-c resolv.conf] [-s ns] hostname\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc && argv[i][0] == '-'; ++i) {
		if (!strcmp(argv[i], "-x"))
			reverse = 1;
		else if (!strcmp(argv[i], "-v"))
			++verbose;
		else if (!strcmp(argv[i], "-g"))
			use_getaddrinfo = 1;
		else if (!strcmp(argv[i], "-T"))
			servertest = 1;
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			resolv_conf = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			ns = argv[++i];
		else
			fprintf(stderr, "Unknown option %s\n", argv[i]);
	}

	base = event_base_new();
	/* The nameserver sockets stop counting once no request is in flight,
	 * so the loop ends when the last answer is in. */
	dns = evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	evdns_set_log_fn(log_line);

	if (servertest) {
		evutil_socket_t sock;
		struct sockaddr_in my_addr;
		sock = socket(PF_INET, SOCK_DGRAM, 0);
		if (sock == -1) {
			perror("socket");
			exit(1);
		}
		evutil_make_socket_nonblocking(sock);
		my_addr.sin_family = AF_INET;
		my_addr.sin_port = htons(10053);
		my_addr.sin_addr.s_addr = INADDR_ANY;
		if (bind(sock, (struct sockaddr *)&my_addr, sizeof(my_addr)) < 0) {
			perror("bind");
			exit(1);
		}
		evdns_add_server_port_with_base(base, sock, 0, on_question, NULL);
	}

	if (i < argc) {
		int res;
		if (ns)
			res = evdns_base_nameserver_ip_add(dns, ns);
		else
			res = evdns_base_resolv_conf_parse(dns, DNS_OPTION_NAMESERVERS, resolv_conf);
		if (res) {
			fprintf(stderr, "Couldn't configure nameservers\n");
			return 1;
		}
	}

	printf("EVUTIL_AI_CANONNAME in example = %d\n", EVUTIL_AI_CANONNAME);
	for (; i < argc; ++i) {
		if (reverse) {
			struct in_addr addr;
			if (evutil_inet_pton(AF_INET, argv[i], &addr) != 1) {
				fprintf(stderr, "Skipping non-IP %s\n", argv[i]);
				continue;
			}
			fprintf(stderr, "resolving %s...\n", argv[i]);
			evdns_base_resolve_reverse(dns, &addr, 0, on_resolved, argv[i]);
		} else if (use_getaddrinfo) {
			struct evutil_addrinfo hints;
			memset(&hints, 0, sizeof(hints));
			hints.ai_family = PF_UNSPEC;
			hints.ai_protocol = IPPROTO_TCP;
			hints.ai_flags = EVUTIL_AI_CANONNAME;
			fprintf(stderr, "resolving (fwd) %s...\n", argv[i]);
			evdns_getaddrinfo(dns, argv[i], NULL, &hints, on_addrinfo, argv[i]);
		} else {
			fprintf(stderr, "resolving (fwd) %s...\n", argv[i]);
			evdns_base_resolve_ipv4(dns, argv[i], 0, on_resolved, argv[i]);
		}
	}
	fflush(stdout);
	event_base_dispatch(base);
	evdns_base_free(dns, 1);
	event_base_free(base);
	return 0;
}
