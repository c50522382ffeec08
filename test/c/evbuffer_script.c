/* evbuffer_script: runs an evbuffer operation script (stdin, one operation
 * per line) against the real libevent and prints every result, so that the
 * TypeScript port can run the same script and be compared line by line.
 * usage: evbuffer_script WRITE_FILE SOURCE_FILE < script
 *   WRITE_FILE   file that fwrite/fread go through (created, truncated)
 *   SOURCE_FILE  file that add_file reads from
 * Data bytes come from pat(seed, len), defined identically in the test. */
#include <event2/buffer.h>
#include <event2/buffer_compat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NB 3
static struct evbuffer *B[NB];
static struct evbuffer_cb_entry *E[NB];
static int wfd = -1, rfd = -1;
static const char *source_path;

static const char ALPH[] = "aab\r\n\0xyza";
#define ALEN 10

static void pat(unsigned char *out, uint32_t seed, size_t len)
{
	uint32_t x = seed * 2654435761u + 1u;
	size_t k;
	for (k = 0; k < len; k++) {
		x = x * 1103515245u + 12345u;
		out[k] = (unsigned char)ALPH[(x >> 16) % ALEN];
	}
}

static void hexout(const unsigned char *p, size_t n)
{
	size_t i;
	if (n <= 64) {
		putchar(' ');
		if (n == 0)
			putchar('-');
		for (i = 0; i < n; i++)
			printf("%02x", p[i]);
	} else {
		uint32_t h = 2166136261u;
		for (i = 0; i < n; i++) {
			h ^= p[i];
			h *= 16777619u;
		}
		printf(" %zu:%08x", n, h);
	}
}

static size_t parse_size(const char *s)
{
	if (!strcmp(s, "max"))
		return (size_t)-1;
	return (size_t)strtoull(s, NULL, 10);
}

static void logcb(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	(void)b;
	printf("cb %d %zu %zu %zu\n", (int)(intptr_t)arg, info->orig_size, info->n_added, info->n_deleted);
}

static void xcb(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	(void)b;
	printf("xcb %d %zu %zu %zu\n", (int)(intptr_t)arg, info->orig_size, info->n_added, info->n_deleted);
}

static void oldcb(struct evbuffer *b, size_t old_len, size_t new_len, void *arg)
{
	(void)b;
	printf("ocb %d %zu %zu\n", (int)(intptr_t)arg, old_len, new_len);
}

struct ref {
	int id;
	unsigned char *data;
};

static void cleanup(const void *data, size_t len, void *arg)
{
	struct ref *r = arg;
	printf("cleanup %d %zu\n", r->id, len);
	if (data != r->data)
		printf("cleanup-bad-pointer\n");
	free(r->data);
	free(r);
}

static void make(int b)
{
	B[b] = evbuffer_new();
	E[b] = evbuffer_add_cb(B[b], logcb, (void *)(intptr_t)b);
}

/* a ptr at `s` ("n" = NULL); returns 0 if it could be set */
static int ptr_at(int b, const char *s, struct evbuffer_ptr *p, struct evbuffer_ptr **pp)
{
	if (!strcmp(s, "n")) {
		*pp = NULL;
		return 0;
	}
	*pp = p;
	return evbuffer_ptr_set(B[b], p, parse_size(s), EVBUFFER_PTR_SET);
}

/* the chain layout (peek extents) and the bytes, read through peek so that
 * a frozen start does not matter */
static void dump(int b)
{
	int n = evbuffer_peek(B[b], -1, NULL, NULL, 0), i, m;
	struct evbuffer_iovec *v = calloc(n + 1, sizeof(*v));
	size_t len = evbuffer_get_length(B[b]), at = 0;
	unsigned char *all = malloc(len + 1);
	printf("dump %d %zu", n, len);
	m = evbuffer_peek(B[b], -1, NULL, v, n);
	for (i = 0; i < m; i++) {
		if (i < 64)
			printf("%c%zu", i ? ',' : ' ', v[i].iov_len);
		memcpy(all + at, v[i].iov_base, v[i].iov_len);
		at += v[i].iov_len;
	}
	hexout(all, at);
	free(v);
	putchar('\n');
	free(all);
}

int main(int argc, char **argv)
{
	char line[8192];
	char *tok[64];
	int i;
	if (argc < 3) {
		fprintf(stderr, "usage: evbuffer_script WRITE_FILE SOURCE_FILE < script\n");
		return 2;
	}
	if (getenv("EVBUFFER_SCRIPT_LINEBUF")) /* for debugging a crash */
		setvbuf(stdout, NULL, _IOLBF, 0);
	wfd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rfd = open(argv[1], O_RDONLY);
	source_path = argv[2];
	if (wfd < 0 || rfd < 0) {
		perror("open");
		return 2;
	}
	for (i = 0; i < NB; i++)
		make(i);

	while (fgets(line, sizeof(line), stdin)) {
		int nt = 0, b;
		char *s = strtok(line, " \n");
		const char *op;
		while (s && nt < 64) {
			tok[nt++] = s;
			s = strtok(NULL, " \n");
		}
		if (nt == 0 || tok[0][0] == '#')
			continue;
		op = tok[0];
		b = nt > 1 ? atoi(tok[1]) : 0;

		if (!strcmp(op, "new")) {
			if (B[b])
				evbuffer_free(B[b]);
			make(b);
			printf("new %d\n", b);
		} else if (!strcmp(op, "add") || !strcmp(op, "prepend")) {
			size_t len = parse_size(tok[2]);
			unsigned char *d = malloc(len + 1);
			int r;
			pat(d, (uint32_t)atoi(tok[3]), len);
			r = op[0] == 'a' ? evbuffer_add(B[b], d, len) : evbuffer_prepend(B[b], d, len);
			printf("%s %d\n", op, r);
			free(d);
		} else if (!strcmp(op, "addhex") || !strcmp(op, "prependhex") || !strcmp(op, "refhex")) {
			/* literal bytes: addhex B HEX (HEX "-" = no bytes) */
			size_t len = strcmp(tok[2], "-") ? strlen(tok[2]) / 2 : 0, k;
			unsigned char *d = malloc(len + 1);
			int r;
			for (k = 0; k < len; k++) {
				unsigned int x;
				sscanf(tok[2] + 2 * k, "%2x", &x);
				d[k] = (unsigned char)x;
			}
			if (op[0] == 'r') {
				struct ref *rf = malloc(sizeof(*rf));
				rf->id = atoi(tok[3]);
				rf->data = d;
				r = evbuffer_add_reference(B[b], d, len, cleanup, rf);
				if (r < 0) {
					free(d);
					free(rf);
				}
			} else {
				r = op[0] == 'a' ? evbuffer_add(B[b], d, len) : evbuffer_prepend(B[b], d, len);
				free(d);
			}
			printf("%s %d\n", op, r);
		} else if (!strcmp(op, "drain")) {
			int r = evbuffer_drain(B[b], parse_size(tok[2]));
			printf("drain %d\n", r);
		} else if (!strcmp(op, "remove") || !strcmp(op, "copyout")) {
			size_t n = parse_size(tok[2]), len = evbuffer_get_length(B[b]);
			size_t cap = n < len ? n : len;
			unsigned char *d = malloc(cap + 1);
			int r = op[0] == 'r' ? evbuffer_remove(B[b], d, n) : (int)evbuffer_copyout(B[b], d, n);
			printf("%s %d", op, r);
			hexout(d, r > 0 ? (size_t)r : 0);
			putchar('\n');
			free(d);
		} else if (!strcmp(op, "copyout_from")) {
			struct evbuffer_ptr p, *pp;
			int sr = ptr_at(b, tok[2], &p, &pp);
			size_t n = parse_size(tok[3]), len = evbuffer_get_length(B[b]);
			unsigned char *d = malloc(len + 1);
			printf("copyout_from %d", sr);
			if (sr == 0) {
				ev_ssize_t r = evbuffer_copyout_from(B[b], pp, d, n);
				printf(" %d", (int)r);
				hexout(d, r > 0 ? (size_t)r : 0);
			}
			putchar('\n');
			free(d);
		} else if (!strcmp(op, "add_buffer")) {
			printf("add_buffer %d\n", evbuffer_add_buffer(B[b], B[atoi(tok[2])]));
		} else if (!strcmp(op, "prepend_buffer")) {
			printf("prepend_buffer %d\n", evbuffer_prepend_buffer(B[b], B[atoi(tok[2])]));
		} else if (!strcmp(op, "add_buffer_reference")) {
			printf("add_buffer_reference %d\n", evbuffer_add_buffer_reference(B[b], B[atoi(tok[2])]));
		} else if (!strcmp(op, "remove_buffer")) {
			int r = evbuffer_remove_buffer(B[b], B[atoi(tok[2])], parse_size(tok[3]));
			printf("remove_buffer %d\n", r);
		} else if (!strcmp(op, "add_reference")) {
			size_t len = parse_size(tok[2]);
			struct ref *rf = malloc(sizeof(*rf));
			int r;
			rf->id = atoi(tok[4]);
			rf->data = malloc(len + 1);
			pat(rf->data, (uint32_t)atoi(tok[3]), len);
			r = evbuffer_add_reference(B[b], rf->data, len, cleanup, rf);
			if (r < 0) {
				free(rf->data);
				free(rf);
			}
			printf("add_reference %d\n", r);
		} else if (!strcmp(op, "pullup")) {
			ev_ssize_t sz = strtoll(tok[2], NULL, 10);
			size_t len = evbuffer_get_length(B[b]);
			unsigned char *p = evbuffer_pullup(B[b], sz);
			printf("pullup");
			if (p)
				hexout(p, sz < 0 ? len : (size_t)sz);
			else
				printf(" NULL");
			printf(" %zu\n", evbuffer_get_contiguous_space(B[b]));
		} else if (!strcmp(op, "readln")) {
			size_t n = 12345;
			char *l = evbuffer_readln(B[b], &n, atoi(tok[2]));
			printf("readln %zu", n);
			if (l)
				hexout((unsigned char *)l, n);
			else
				printf(" NULL");
			putchar('\n');
			free(l);
		} else if (!strcmp(op, "readline")) {
			char *l = evbuffer_readline(B[b]);
			printf("readline");
			if (l)
				hexout((unsigned char *)l, strlen(l));
			else
				printf(" NULL");
			putchar('\n');
			free(l);
		} else if (!strcmp(op, "search")) {
			size_t len = parse_size(tok[2]);
			unsigned char *w = malloc(len + 1);
			struct evbuffer_ptr s, e, *sp, *ep, r;
			int r1, r2;
			pat(w, (uint32_t)atoi(tok[3]), len);
			r1 = ptr_at(b, tok[4], &s, &sp);
			r2 = ptr_at(b, tok[5], &e, &ep);
			printf("search %d %d", r1, r2);
			if (r1 == 0 && r2 == 0) {
				r = evbuffer_search_range(B[b], (char *)w, len, sp, ep);
				printf(" %ld", (long)r.pos);
			}
			putchar('\n');
			free(w);
		} else if (!strcmp(op, "find")) {
			size_t len = parse_size(tok[2]);
			unsigned char *w = malloc(len + 1), *p;
			pat(w, (uint32_t)atoi(tok[3]), len);
			p = evbuffer_find(B[b], w, len);
			if (p)
				printf("find %ld %zu\n", (long)(p - evbuffer_pullup(B[b], 1)), evbuffer_get_contiguous_space(B[b]));
			else
				printf("find NULL\n");
			free(w);
		} else if (!strcmp(op, "search_eol")) {
			struct evbuffer_ptr s, *sp, r;
			size_t el = 777;
			int r1 = ptr_at(b, tok[2], &s, &sp);
			printf("search_eol %d", r1);
			if (r1 == 0) {
				r = evbuffer_search_eol(B[b], sp, &el, atoi(tok[3]));
				printf(" %ld %zu", (long)r.pos, el);
			}
			putchar('\n');
		} else if (!strcmp(op, "peek")) {
			struct evbuffer_iovec v[64];
			struct evbuffer_ptr s, *sp;
			ev_ssize_t len = strtoll(tok[2], NULL, 10);
			int nv = atoi(tok[4]), r1 = ptr_at(b, tok[3], &s, &sp), r, k;
			printf("peek %d", r1);
			if (r1 == 0) {
				r = evbuffer_peek(B[b], len, sp, nv ? v : NULL, nv);
				printf(" %d", r);
				for (k = 0; k < r && k < nv; k++) {
					printf("%c%zu", k ? ',' : ' ', v[k].iov_len);
				}
				for (k = 0; k < r && k < nv; k++)
					hexout(v[k].iov_base, v[k].iov_len);
			}
			putchar('\n');
		} else if (!strcmp(op, "reserve")) {
			struct evbuffer_iovec v[16];
			ev_ssize_t size = strtoll(tok[2], NULL, 10);
			int nv = atoi(tok[3]), r, k, cr = 0;
			uint32_t seed = (uint32_t)atoi(tok[4]);
			size_t commit = parse_size(tok[5]);
			int ncommit = atoi(tok[6]);
			r = evbuffer_reserve_space(B[b], size, v, nv);
			printf("reserve %d", r);
			for (k = 0; k < r; k++)
				printf("%c%zu", k ? ',' : ' ', v[k].iov_len);
			putchar('\n');
			if (r > 0) {
				for (k = 0; k < r; k++) {
					size_t take = commit < v[k].iov_len ? commit : v[k].iov_len;
					pat(v[k].iov_base, seed + k, take);
					v[k].iov_len = take;
					commit -= take;
				}
				cr = evbuffer_commit_space(B[b], v, ncommit < r ? ncommit : r);
				printf("commit %d\n", cr);
			}
		} else if (!strcmp(op, "expand")) {
			printf("expand %d\n", evbuffer_expand(B[b], parse_size(tok[2])));
		} else if (!strcmp(op, "freeze")) {
			printf("freeze %d\n", evbuffer_freeze(B[b], atoi(tok[2])));
		} else if (!strcmp(op, "unfreeze")) {
			printf("unfreeze %d\n", evbuffer_unfreeze(B[b], atoi(tok[2])));
		} else if (!strcmp(op, "len")) {
			printf("len %zu %zu\n", evbuffer_get_length(B[b]), evbuffer_get_contiguous_space(B[b]));
		} else if (!strcmp(op, "add_iovec")) {
			struct evbuffer_iovec v[16];
			int k, nv = atoi(tok[2]);
			size_t r;
			for (k = 0; k < nv; k++) {
				v[k].iov_len = parse_size(tok[3 + 2 * k]);
				v[k].iov_base = malloc(v[k].iov_len + 1);
				pat(v[k].iov_base, (uint32_t)atoi(tok[4 + 2 * k]), v[k].iov_len);
			}
			r = evbuffer_add_iovec(B[b], v, nv);
			printf("add_iovec %zu\n", r);
			for (k = 0; k < nv; k++)
				free(v[k].iov_base);
		} else if (!strcmp(op, "printf")) {
			int r = evbuffer_add_printf(B[b], "%d %s|%5.2f\n", atoi(tok[2]), "hello", atoi(tok[2]) / 7.0);
			printf("printf %d\n", r);
		} else if (!strcmp(op, "dump")) {
			dump(b);
		} else if (!strcmp(op, "cb_disable")) {
			printf("cb_disable %d\n", evbuffer_cb_clear_flags(B[b], E[b], EVBUFFER_CB_ENABLED));
		} else if (!strcmp(op, "cb_enable")) {
			printf("cb_enable %d\n", evbuffer_cb_set_flags(B[b], E[b], EVBUFFER_CB_ENABLED));
		} else if (!strcmp(op, "cb_add")) {
			evbuffer_add_cb(B[b], xcb, (void *)(intptr_t)atoi(tok[2]));
			printf("cb_add\n");
		} else if (!strcmp(op, "cb_remove")) {
			printf("cb_remove %d\n", evbuffer_remove_cb(B[b], xcb, (void *)(intptr_t)atoi(tok[2])));
		} else if (!strcmp(op, "setcb")) {
			int r = evbuffer_setcb(B[b], atoi(tok[2]) ? oldcb : NULL, (void *)(intptr_t)b);
			E[b] = NULL;
			printf("setcb %d\n", r);
		} else if (!strcmp(op, "ptr")) {
			struct evbuffer_ptr p;
			int r1 = evbuffer_ptr_set(B[b], &p, parse_size(tok[2]), EVBUFFER_PTR_SET);
			int r2 = evbuffer_ptr_set(B[b], &p, parse_size(tok[3]), EVBUFFER_PTR_ADD);
			printf("ptr %d %d %ld\n", r1, r2, (long)p.pos);
		} else if (!strcmp(op, "fwrite")) {
			printf("fwrite %d\n", evbuffer_write_atmost(B[b], wfd, strtoll(tok[2], NULL, 10)));
		} else if (!strcmp(op, "fread")) {
			printf("fread %d\n", evbuffer_read(B[b], rfd, atoi(tok[2])));
		} else if (!strcmp(op, "add_file")) {
			int fd = open(source_path, O_RDONLY);
			int r = evbuffer_add_file(B[b], fd, strtoll(tok[2], NULL, 10), strtoll(tok[3], NULL, 10));
			printf("add_file %d\n", r);
		} else if (!strcmp(op, "free")) {
			evbuffer_free(B[b]);
			B[b] = NULL;
			printf("free %d\n", b);
		} else {
			printf("unknown %s\n", op);
		}
	}
	for (i = 0; i < NB; i++)
		if (B[i])
			evbuffer_free(B[i]);
	printf("end\n");
	return 0;
}
