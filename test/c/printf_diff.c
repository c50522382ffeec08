/* The C side of test/printf.test.ts: prints what glibc's snprintf makes of
 * each case read from stdin, one case per line:
 *
 *   <format as hex> <arg> <arg> ...
 *
 * where each arg is a type tag and a value: i<int> l<long long>
 * u<unsigned long long> d<double bits, hex> L<double bits, hex, passed as
 * long double> s<string as hex> N (a NULL string) p<pointer, hex>.
 * Output is one line per case: the bytes as hex, or ERR where snprintf
 * fails or the format is one the TypeScript side rejects.
 *
 * A C caller cannot build a va_list at run time, so each conversion is
 * printed by its own snprintf call with exactly its arguments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arg {
	char tag;
	long long i;
	unsigned long long u;
	double d;
	char *s;
	void *p;
};

static char *out;
static size_t out_len, out_cap;

static void put(const char *b, size_t n)
{
	if (out_len + n > out_cap) {
		out_cap = (out_len + n) * 2;
		out = realloc(out, out_cap);
	}
	memcpy(out + out_len, b, n);
	out_len += n;
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* Decodes hex in place into a NUL-terminated byte string. */
static char *unhex(char *h)
{
	size_t n = strlen(h) / 2, k;
	for (k = 0; k < n; k++)
		h[k] = (char)(hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1]));
	h[n] = 0;
	return h;
}

static void parse_arg(char *tok, struct arg *a)
{
	uint64_t bits;
	a->tag = tok[0];
	switch (tok[0]) {
	case 'i':
	case 'l':
		a->i = strtoll(tok + 1, NULL, 10);
		break;
	case 'u':
		a->u = strtoull(tok + 1, NULL, 10);
		break;
	case 'd':
	case 'L':
		bits = strtoull(tok + 1, NULL, 16);
		memcpy(&a->d, &bits, sizeof a->d);
		break;
	case 's':
		a->s = unhex(tok + 1);
		break;
	case 'N':
		a->s = NULL;
		break;
	case 'p':
		a->p = (void *)(uintptr_t)strtoull(tok + 1, NULL, 16);
		break;
	}
}

/* Prints one conversion `seg` with its star arguments and its value (a may be NULL for %%). */
static int one(const char *seg, int nstar, const int *star, const struct arg *a)
{
	char *buf;
	int n;
#define CALL(...)                                               \
	do {                                                    \
		n = snprintf(NULL, 0, seg, __VA_ARGS__);        \
		if (n < 0)                                      \
			return -1;                              \
		buf = malloc((size_t)n + 1);                    \
		snprintf(buf, (size_t)n + 1, seg, __VA_ARGS__); \
	} while (0)
#define BY_STARS(v)                                 \
	do {                                        \
		if (nstar == 0)                     \
			CALL(v);                    \
		else if (nstar == 1)                \
			CALL(star[0], v);           \
		else                                \
			CALL(star[0], star[1], v);  \
	} while (0)
	if (a == NULL) {
		if (nstar == 0)
			CALL(0);
		else if (nstar == 1)
			CALL(star[0]);
		else
			CALL(star[0], star[1]);
	} else {
		switch (a->tag) {
		case 'i':
			BY_STARS((int)a->i);
			break;
		case 'l':
			BY_STARS(a->i);
			break;
		case 'u':
			BY_STARS(a->u);
			break;
		case 'd':
			BY_STARS(a->d);
			break;
		case 'L':
			BY_STARS((long double)a->d);
			break;
		case 's':
		case 'N':
			BY_STARS(a->s);
			break;
		case 'p':
			BY_STARS(a->p);
			break;
		default:
			return -1;
		}
	}
	put(buf, (size_t)n);
	free(buf);
	return 0;
}

/* Formats one case into out; -1 where the TypeScript side returns null. */
static int format_case(const char *fmt, struct arg *args, int nargs)
{
	int next = 0;
	char seg[256];
	while (*fmt) {
		const char *p = fmt + 1;
		int nstar = 0, star[2];
		size_t len;
		if (*fmt != '%') {
			put(fmt++, 1);
			continue;
		}
		p += strspn(p, "-+ #0");
		if (*p == '*')
			p++, nstar++;
		else
			p += strspn(p, "0123456789");
		if (*p == '.') {
			p++;
			if (*p == '*')
				p++, nstar++;
			else
				p += strspn(p, "0123456789");
		}
		p += strspn(p, "hlLqjzt");
		if (*p == 0 || !strchr("diouxXcsfFeEgGaAp%", *p))
			return -1;
		len = (size_t)(p + 1 - fmt);
		if (len >= sizeof seg)
			return -1;
		memcpy(seg, fmt, len);
		seg[len] = 0;
		fmt = p + 1;
		for (int k = 0; k < nstar; k++) {
			if (next >= nargs || args[next].tag != 'i')
				return -1;
			star[k] = (int)args[next++].i;
		}
		if (*p == '%') {
			if (one(seg, nstar, star, NULL) < 0)
				return -1;
		} else {
			if (next >= nargs || one(seg, nstar, star, &args[next++]) < 0)
				return -1;
		}
	}
	return 0;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	struct arg args[16];
	while ((got = getline(&line, &cap, stdin)) > 0) {
		char *tok, *save, *fmt;
		int nargs = 0;
		if (line[got - 1] == '\n')
			line[got - 1] = 0;
		fmt = strtok_r(line, " ", &save);
		fmt = fmt ? unhex(fmt) : "";
		while ((tok = strtok_r(NULL, " ", &save)) != NULL && nargs < 16)
			parse_arg(tok, &args[nargs++]);
		out_len = 0;
		if (format_case(fmt, args, nargs) < 0) {
			puts("ERR");
			continue;
		}
		for (size_t k = 0; k < out_len; k++)
			printf("%02x", (unsigned char)out[k]);
		putchar('\n');
	}
	free(line);
	free(out);
	return 0;
}
