/* The C side of test/dns_diff.test.ts: runs a script of evdns calls (one per
 * line on stdin, tab-separated) against libevent 2.1.12 and prints what they
 * return and what their callbacks receive. Requests are numbered by the
 * script line that made them; "run" dispatches until nothing is pending. */
#define _DEFAULT_SOURCE
#include <event2/event.h>
#include <event2/dns.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct event_base *base;
static struct evdns_base *dns;
static struct evdns_request *reqs[1000];
static struct evdns_getaddrinfo_request *greqs[1000];

static void print_sockaddr(const struct sockaddr *sa) {
	char b[64];
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;
		printf("%s:%d", inet_ntop(AF_INET, &sin->sin_addr, b, sizeof(b)), ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		printf("[%s]:%d", inet_ntop(AF_INET6, &sin6->sin6_addr, b, sizeof(b)), ntohs(sin6->sin6_port));
	} else {
		printf("family %d", sa->sa_family);
	}
}

static void resolve_cb(int result, char type, int count, int ttl, void *addresses, void *arg) {
	char b[64];
	printf("cb %d: result=%d (%s) type=%d count=%d ttl=%d", (int)(long)arg, result, evdns_err_to_string(result),
	    type, count, ttl);
	for (int i = 0; i < count; i++) {
		if (type == DNS_IPv4_A)
			printf(" %s", inet_ntop(AF_INET, (char *)addresses + 4 * i, b, sizeof(b)));
		else if (type == DNS_IPv6_AAAA)
			printf(" %s", inet_ntop(AF_INET6, (char *)addresses + 16 * i, b, sizeof(b)));
		else if (type == DNS_PTR)
			printf(" %s", *(char **)addresses);
	}
	printf("\n");
}

static void print_ai(struct evutil_addrinfo *ai) {
	for (; ai; ai = ai->ai_next) {
		printf(" | flags=%d fam=%d st=%d pr=%d len=%d canon=%s ", ai->ai_flags, ai->ai_family,
		    ai->ai_socktype, ai->ai_protocol, (int)ai->ai_addrlen, ai->ai_canonname ? ai->ai_canonname : "(null)");
		print_sockaddr(ai->ai_addr);
	}
}

static void gai_cb(int err, struct evutil_addrinfo *ai, void *arg) {
	printf("gcb %d: err=%d (%s)", (int)(long)arg, err, evutil_gai_strerror(err));
	print_ai(ai);
	printf("\n");
	if (ai)
		evutil_freeaddrinfo(ai);
}

static void log_fn(int is_warn, const char *msg) {
	if (is_warn)
		printf("warn: %s\n", msg);
}

static const char *opt(const char *s) {
	return strcmp(s, "-") ? s : NULL;
}

int main(void) {
	char line[4096];
	int n = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	base = event_base_new();
	evdns_set_log_fn(log_fn);
	while (fgets(line, sizeof(line), stdin)) {
		char *f[12] = {0};
		int nf = 0;
		n++;
		line[strcspn(line, "\n")] = 0;
		for (char *rest = line, *tok; nf < 12 && (tok = strsep(&rest, "\t"));)
			f[nf++] = tok;
		const char *c = f[0];
		void *tag = (void *)(long)n;
		if (!strcmp(c, "new")) {
			dns = evdns_base_new(base, atoi(f[1]));
			printf("new: %s\n", dns ? "base" : "NULL");
			if (!dns)
				dns = evdns_base_new(base, 0);
		} else if (!strcmp(c, "ns")) {
			printf("ns %s -> %d\n", f[1], evdns_base_nameserver_ip_add(dns, f[1]));
		} else if (!strcmp(c, "ns4")) {
			printf("ns4 -> %d\n", evdns_base_nameserver_add(dns, inet_addr(f[1])));
		} else if (!strcmp(c, "opt")) {
			printf("opt %s %s -> %d\n", f[1], f[2], evdns_base_set_option(dns, f[1], f[2]));
		} else if (!strcmp(c, "search_add")) {
			evdns_base_search_add(dns, f[1]);
		} else if (!strcmp(c, "search_clear")) {
			evdns_base_search_clear(dns);
		} else if (!strcmp(c, "ndots")) {
			evdns_base_search_ndots_set(dns, atoi(f[1]));
		} else if (!strcmp(c, "resolv")) {
			int r = evdns_base_resolv_conf_parse(dns, atoi(f[1]), opt(f[2]));
			printf("resolv -> %d\n", r);
		} else if (!strcmp(c, "hosts")) {
			printf("hosts -> %d\n", evdns_base_load_hosts(dns, opt(f[1])));
		} else if (!strcmp(c, "clear_hosts")) {
			evdns_base_clear_host_addresses(dns);
		} else if (!strcmp(c, "count")) {
			printf("count -> %d\n", evdns_base_count_nameservers(dns));
		} else if (!strcmp(c, "getns")) {
			struct sockaddr_storage ss;
			memset(&ss, 0, sizeof(ss));
			int r = evdns_base_get_nameserver_addr(dns, atoi(f[1]), (struct sockaddr *)&ss, atoi(f[2]));
			printf("getns %s -> %d", f[1], r);
			if (r > 0 && r <= atoi(f[2])) {
				printf(" ");
				print_sockaddr((struct sockaddr *)&ss);
			}
			printf("\n");
		} else if (!strcmp(c, "r4") || !strcmp(c, "r6")) {
			reqs[n] = (c[1] == '4' ? evdns_base_resolve_ipv4 : evdns_base_resolve_ipv6)(dns, f[1], atoi(f[2]),
			    resolve_cb, tag);
			printf("%s %d %s: %s\n", c, n, f[1], reqs[n] ? "pending" : "NULL");
		} else if (!strcmp(c, "rev4")) {
			struct in_addr in;
			inet_pton(AF_INET, f[1], &in);
			reqs[n] = evdns_base_resolve_reverse(dns, &in, 0, resolve_cb, tag);
			printf("rev4 %d: %s\n", n, reqs[n] ? "pending" : "NULL");
		} else if (!strcmp(c, "rev6")) {
			struct in6_addr in6;
			inet_pton(AF_INET6, f[1], &in6);
			reqs[n] = evdns_base_resolve_reverse_ipv6(dns, &in6, 0, resolve_cb, tag);
			printf("rev6 %d: %s\n", n, reqs[n] ? "pending" : "NULL");
		} else if (!strcmp(c, "cancel")) {
			evdns_cancel_request(dns, reqs[atoi(f[1])]);
			printf("cancel %s\n", f[1]);
		} else if (!strcmp(c, "gai")) {
			struct evutil_addrinfo hints;
			memset(&hints, 0, sizeof(hints));
			hints.ai_family = atoi(f[3]);
			hints.ai_socktype = atoi(f[4]);
			hints.ai_protocol = atoi(f[5]);
			hints.ai_flags = atoi(f[6]);
			printf("gai %d %s:\n", n, f[1]);
			greqs[n] = evdns_getaddrinfo(dns, opt(f[1]), opt(f[2]), !strcmp(f[7], "1") ? &hints : NULL, gai_cb, tag);
			printf("gai %d -> %s\n", n, greqs[n] ? "pending" : "NULL");
		} else if (!strcmp(c, "gcancel")) {
			evdns_getaddrinfo_cancel(greqs[atoi(f[1])]);
			printf("gcancel %s\n", f[1]);
		} else if (!strcmp(c, "clear")) {
			printf("clear -> %d\n", evdns_base_clear_nameservers_and_suspend(dns));
		} else if (!strcmp(c, "resume")) {
			printf("resume -> %d\n", evdns_base_resume(dns));
		} else if (!strcmp(c, "free")) {
			evdns_base_free(dns, atoi(f[1]));
			dns = NULL;
			printf("free\n");
		} else if (!strcmp(c, "run")) {
			printf("run {\n");
			int r = event_base_dispatch(base);
			printf("} run -> %d\n", r);
		} else if (!strcmp(c, "errstr")) {
			printf("errstr %s -> %s\n", f[1], evdns_err_to_string(atoi(f[1])));
		} else {
			printf("unknown command %s\n", c);
		}
	}
	return 0;
}
