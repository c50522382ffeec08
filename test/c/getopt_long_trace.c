/* glibc's getopt_long and getopt_long_only on argument vectors, traced call
 * by call against one table of long options; test/libc_getopt_long.test.ts
 * runs the same vectors through the port and compares the traces.
 *
 * Reads one vector a line from stdin, tab-separated: flags, optstring, then
 * argv[1..] (argv[0] is "prog"). Flags: L uses getopt_long_only, N passes a
 * NULL longindex, P sets POSIXLY_CORRECT, Q sets opterr = 0, "-" is none.
 * Diagnostics go to stderr, unbuffered: run with 2>&1 to see them in order. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int mode;

static const struct option table[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, &mode, 1 },
	{ "brief", no_argument, &mode, 2 },
	{ "output", required_argument, NULL, 'o' },
	{ "color", optional_argument, NULL, 'C' },
	{ "colour", optional_argument, NULL, 'C' },
	{ "config", required_argument, NULL, 'c' },
	{ "verb", no_argument, NULL, 'V' },
	{ "fubar", no_argument, NULL, 'f' },
	{ "number", required_argument, NULL, 1000 },
	{ "xa", no_argument, NULL, 'a' },
	{ "xb", no_argument, NULL, 'b' },
	{ "xc", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

static void scan(int argc, char **argv, const char *optstring, const char *flags)
{
	int c, i, index;
	int only = strchr(flags, 'L') != NULL, noindex = strchr(flags, 'N') != NULL;

	for (;;) {
		index = -1;
		mode = 0;
		if (only)
			c = getopt_long_only(argc, argv, optstring, table,
			    noindex ? NULL : &index);
		else
			c = getopt_long(argc, argv, optstring, table,
			    noindex ? NULL : &index);
		if (c == -1)
			break;
		printf("c=%d optind=%d optopt=%d optarg=%s index=%d mode=%d\n", c,
		    optind, optopt, optarg ? optarg : "(null)", index, mode);
	}
	printf("end optind=%d argv:", optind);
	for (i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
}

int main(void)
{
	static char line[4096];
	char *vec[64], *flags, *optstring, *p;
	int n;

	setvbuf(stdout, NULL, _IONBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		p = line;
		flags = strsep(&p, "\t");
		optstring = strsep(&p, "\t");
		vec[0] = "prog";
		n = 1;
		while (p && n < 63)
			vec[n++] = strsep(&p, "\t");
		vec[n] = NULL;
		if (strchr(flags, 'P'))
			setenv("POSIXLY_CORRECT", "1", 1);
		else
			unsetenv("POSIXLY_CORRECT");
		opterr = strchr(flags, 'Q') ? 0 : 1;
		optind = 0;
		printf("vector %s %s\n", flags, optstring);
		scan(n, vec, optstring, flags);
	}
	return 0;
}
