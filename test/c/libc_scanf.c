/* glibc's sscanf on a table of cases; test/libc_scanf.test.ts runs the same
 * table through the port and compares what the two print.
 *
 * Reads one case a line from stdin, tab-separated: the kinds of the
 * out-parameters, the format, the input. \t \n \v \f \r \\ and \xHH stand for
 * their bytes in the format and the input. Kinds: i int, h short, c signed
 * char, u unsigned, U unsigned short, C unsigned char, l long, k unsigned
 * long, L long long, K unsigned long long, z size_t, f float, d double,
 * s char[16] (filled with '.'), m char * (for %ms). Prints the return value,
 * errno and every out-parameter after the call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

union slot {
	int i;
	short h;
	signed char c;
	unsigned u;
	unsigned short U;
	unsigned char C;
	long l;
	unsigned long k;
	long long L;
	unsigned long long K;
	size_t z;
	float f;
	double d;
	char s[16];
	char *m;
};

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'v': *o++ = '\v'; break;
		case 'f': *o++ = '\f'; break;
		case 'r': *o++ = '\r'; break;
		case 'x': {
			char hex[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
			break;
		}
		default: *o++ = *s;
		}
	}
	*o = '\0';
}

static void init(union slot *p, char kind)
{
	memset(p, 0, sizeof(*p));
	switch (kind) {
	case 'i': p->i = 77; break;
	case 'h': p->h = 77; break;
	case 'c': p->c = 77; break;
	case 'u': p->u = 77; break;
	case 'U': p->U = 77; break;
	case 'C': p->C = 77; break;
	case 'l': p->l = 77; break;
	case 'k': p->k = 77; break;
	case 'L': p->L = 77; break;
	case 'K': p->K = 77; break;
	case 'z': p->z = 77; break;
	case 'f': p->f = 77; break;
	case 'd': p->d = 77; break;
	case 's': memset(p->s, '.', sizeof(p->s)); break;
	case 'm': p->m = NULL; break;
	}
}

static void show(union slot *p, char kind)
{
	int j;

	switch (kind) {
	case 'i': printf(" %d", p->i); break;
	case 'h': printf(" %d", p->h); break;
	case 'c': printf(" %d", p->c); break;
	case 'u': printf(" %u", p->u); break;
	case 'U': printf(" %u", p->U); break;
	case 'C': printf(" %u", p->C); break;
	case 'l': printf(" %ld", p->l); break;
	case 'k': printf(" %lu", p->k); break;
	case 'L': printf(" %lld", p->L); break;
	case 'K': printf(" %llu", p->K); break;
	case 'z': printf(" %zu", p->z); break;
	case 'f': printf(" %a", p->f); break;
	case 'd': printf(" %a", p->d); break;
	case 's':
		printf(" [");
		for (j = 0; j < 16; j++) {
			unsigned char b = p->s[j];
			if (b > 32 && b < 127 && b != '\\')
				putchar(b);
			else
				printf("\\x%02x", b);
		}
		printf("]");
		break;
	case 'm':
		printf(" <%s>", p->m ? p->m : "(null)");
		free(p->m);
		break;
	}
}

int main(void)
{
	static char line[4096];
	union slot v[8];
	char *kinds, *format, *input, *p;
	int i, n, r;

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		p = line;
		kinds = strsep(&p, "\t");
		format = strsep(&p, "\t");
		input = p ? p : "";
		unescape(format);
		unescape(input);
		n = (int)strlen(kinds);
		for (i = 0; i < 8; i++)
			init(&v[i], i < n ? kinds[i] : 'i');
		errno = 0;
		r = sscanf(input, format, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		    &v[6], &v[7]);
		printf("ret=%d errno=%d", r, errno);
		for (i = 0; i < n; i++)
			show(&v[i], kinds[i]);
		printf("\n");
	}
	return 0;
}
