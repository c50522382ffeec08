/* glibc's getopt on argument vectors, traced call by call; test/libc_getopt.test.ts
 * runs the same vectors through the port and compares the traces.
 *
 * With arguments: scans its own argv with "ab:c::". Without: reads one vector a
 * line from stdin, tab-separated: flags, optstring, then argv[1..] (argv[0] is
 * "prog"). Flags: P sets POSIXLY_CORRECT, Q sets opterr = 0, R scans again
 * after `optind = 1`, "-" is none. Diagnostics go to stderr, unbuffered, so
 * run with 2>&1 to see them in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void scan(int argc, char **argv, const char *optstring)
{
	int c, i;

	while ((c = getopt(argc, argv, optstring)) != -1)
		printf("c=%d optind=%d optopt=%d optarg=%s\n", c, optind, optopt,
		    optarg ? optarg : "(null)");
	printf("end optind=%d argv:", optind);
	for (i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static char line[4096];
	char *vec[64], *flags, *optstring, *p;
	int n;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1) {
		scan(argc, argv, "ab:c::");
		return 0;
	}
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		/* strsep keeps empty fields: they are empty arguments. */
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
		scan(n, vec, optstring);
		if (strchr(flags, 'R')) {
			optind = 1;
			printf("rescan\n");
			scan(n, vec, optstring);
		}
	}
	return 0;
}
