#define _DEFAULT_SOURCE
/* The C side of test/util_diff.test.ts: reads one case per line from stdin
 * (tab-separated; strings are hex-encoded, "-" is NULL), runs it through
 * libevent 2.1.12's evutil functions and prints one result line per case.
 * The TypeScript side runs the same cases through the port and compares. */
#include <event2/util.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>

static char *unhex(const char *h) {
	if (!strcmp(h, "-"))
		return NULL;
	size_t n = strlen(h) / 2;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		s[i] = (char)v;
	}
	s[n] = 0;
	return s;
}

static void hex(const void *p, size_t n) {
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static void print_sockaddr(const struct sockaddr *sa) {
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;
		printf("fam=2 port=%d addr=", ntohs(sin->sin_port));
		hex(&sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		printf("fam=10 port=%d addr=", ntohs(sin6->sin6_port));
		hex(&sin6->sin6_addr, 16);
		printf(" flow=%u scope=%u", sin6->sin6_flowinfo, sin6->sin6_scope_id);
	} else {
		printf("fam=%d", sa->sa_family);
	}
}

static void fill_sockaddr(struct sockaddr_storage *ss, int fam, const char *addrhex, int port) {
	char *a = unhex(addrhex);
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = fam;
	if (fam == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;
		memcpy(&sin->sin_addr, a, 4);
		sin->sin_port = htons(port);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)ss;
		memcpy(&sin6->sin6_addr, a, 16);
		sin6->sin6_port = htons(port);
	}
	free(a);
}

#define NF 12

int main(void) {
	char line[8192];
	while (fgets(line, sizeof(line), stdin)) {
		char *f[NF] = {0};
		int nf = 0;
		line[strcspn(line, "\n")] = 0;
		for (char *rest = line, *tok; nf < NF && (tok = strsep(&rest, "\t"));)
			f[nf++] = tok;
		if (nf == 0)
			continue;
		const char *cmd = f[0];
		if (!strcmp(cmd, "parse")) {
			char *s = unhex(f[1]);
			struct sockaddr_storage ss;
			int len = atoi(f[2]);
			memset(&ss, 0, sizeof(ss));
			int r = evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss, &len);
			printf("r=%d len=%d", r, len);
			if (r == 0) {
				printf(" ");
				print_sockaddr((struct sockaddr *)&ss);
			}
			free(s);
		} else if (!strcmp(cmd, "pton")) {
			char *s = unhex(f[2]);
			unsigned char buf[16];
			unsigned idx = 77;
			memset(buf, 0xaa, sizeof(buf));
			int af = atoi(f[1]);
			int scoped = nf > 3;
			int r = scoped ? evutil_inet_pton_scope(af, s, buf, &idx) : evutil_inet_pton(af, s, buf);
			printf("r=%d buf=", r);
			hex(buf, af == AF_INET ? 4 : 16);
			if (scoped)
				printf(" idx=%u", idx);
			free(s);
		} else if (!strcmp(cmd, "ntop")) {
			char *a = unhex(f[2]);
			size_t len = (size_t)atoi(f[3]);
			char dst[128];
			memset(dst, 0xaa, sizeof(dst));
			const char *r = evutil_inet_ntop(atoi(f[1]), a, dst, len);
			printf("r=%s dst=", r == NULL ? "null" : r == dst ? "dst" : "other");
			hex(dst, len);
			free(a);
		} else if (!strcmp(cmd, "strtoll")) {
			char *s = unhex(f[2]);
			char *end = NULL;
			errno = 0;
			ev_int64_t v = evutil_strtoll(s, &end, atoi(f[1]));
			printf("v=%lld end=%d errno=%d", (long long)v, end ? (int)(end - s) : -1, errno);
			free(s);
		} else if (!strcmp(cmd, "cmp")) {
			struct sockaddr_storage a, b;
			fill_sockaddr(&a, atoi(f[1]), f[2], atoi(f[3]));
			fill_sockaddr(&b, atoi(f[4]), f[5], atoi(f[6]));
			printf("r=%d", evutil_sockaddr_cmp((struct sockaddr *)&a, (struct sockaddr *)&b, atoi(f[7])));
		} else if (!strcmp(cmd, "timer")) {
			struct timeval a = {atol(f[1]), atol(f[2])}, b = {atol(f[3]), atol(f[4])}, s, d;
			evutil_timeradd(&a, &b, &s);
			evutil_timersub(&a, &b, &d);
			printf("add=%ld,%ld sub=%ld,%ld lt=%d le=%d gt=%d ge=%d eq=%d ne=%d set=%d",
			    (long)s.tv_sec, (long)s.tv_usec, (long)d.tv_sec, (long)d.tv_usec,
			    evutil_timercmp(&a, &b, <), evutil_timercmp(&a, &b, <=),
			    evutil_timercmp(&a, &b, >), evutil_timercmp(&a, &b, >=),
			    evutil_timercmp(&a, &b, ==), evutil_timercmp(&a, &b, !=),
			    evutil_timerisset(&a) ? 1 : 0);
		} else if (!strcmp(cmd, "gai")) {
			char *node = unhex(f[1]), *serv = unhex(f[2]);
			struct evutil_addrinfo hints, *res = NULL;
			memset(&hints, 0, sizeof(hints));
			hints.ai_family = atoi(f[3]);
			hints.ai_socktype = atoi(f[4]);
			hints.ai_protocol = atoi(f[5]);
			hints.ai_flags = atoi(f[6]);
			int r = evutil_getaddrinfo(node, serv, !strcmp(f[7], "1") ? &hints : NULL, &res);
			printf("r=%d", r);
			for (struct evutil_addrinfo *ai = r == 0 ? res : NULL; ai; ai = ai->ai_next) {
				printf(" | flags=%d fam=%d st=%d pr=%d len=%d canon=%s ", ai->ai_flags,
				    ai->ai_family, ai->ai_socktype, ai->ai_protocol, (int)ai->ai_addrlen,
				    ai->ai_canonname ? ai->ai_canonname : "(null)");
				print_sockaddr(ai->ai_addr);
			}
			if (r == 0 && res)
				evutil_freeaddrinfo(res);
			free(node);
			free(serv);
		} else if (!strcmp(cmd, "gaistr")) {
			printf("%s", evutil_gai_strerror(atoi(f[1])));
		} else if (!strcmp(cmd, "casecmp")) {
			char *a = unhex(f[1]), *b = unhex(f[2]);
			printf("cmp=%d ncmp=%d", evutil_ascii_strcasecmp(a, b),
			    evutil_ascii_strncasecmp(a, b, (size_t)atoi(f[3])));
			free(a);
			free(b);
		} else if (!strcmp(cmd, "snprintf")) {
			char *fmt = unhex(f[2]);
			char buf[64];
			size_t size = (size_t)atoi(f[1]);
			memset(buf, 0xaa, sizeof(buf));
			int r = !strcmp(f[3], "i") ? evutil_snprintf(buf, size, fmt, atoi(f[4]))
			                           : evutil_snprintf(buf, size, fmt, f[4]);
			printf("r=%d buf=", r);
			hex(buf, size);
			free(fmt);
		} else if (!strcmp(cmd, "date")) {
			struct tm tm;
			memset(&tm, 0, sizeof(tm));
			tm.tm_year = atoi(f[1]);
			tm.tm_mon = atoi(f[2]);
			tm.tm_mday = atoi(f[3]);
			tm.tm_hour = atoi(f[4]);
			tm.tm_min = atoi(f[5]);
			tm.tm_sec = atoi(f[6]);
			tm.tm_wday = atoi(f[7]);
			char buf[64];
			size_t size = (size_t)atoi(f[8]);
			memset(buf, 0xaa, sizeof(buf));
			int r = evutil_date_rfc1123(buf, size, &tm);
			printf("r=%d buf=", r);
			hex(buf, size);
		} else {
			printf("unknown command %s", cmd);
		}
		printf("\n");
	}
	return 0;
}
