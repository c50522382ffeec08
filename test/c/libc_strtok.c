/* glibc's strtok, strtok_r, strncat, strcat and strcpy on a table of cases;
 * test/libc_strtok.test.ts prints the same lines from the port. Each line: the
 * tokens, then the buffer's 24 bytes after (a NUL as '|'). */
#include <stdio.h>
#include <string.h>

static void bytes(const char *b)
{
	int i;

	printf(" {");
	for (i = 0; i < 24; i++)
		putchar(b[i] ? b[i] : '|');
	printf("}\n");
}

static const char *split[][2] = {
	{ "a,b,,c", "," }, { ",,lead and trail,,", "," }, { "", "," },
	{ ",,,", "," }, { "one two\tthree\n", " \t\n" }, { "no delims", "" },
	{ "GET /x HTTP/1.1", " " }, { "k=v;k2=v2", "=;" },
};

static const char *cat[][3] = {
	{ "abc", "defgh", "3" }, { "", "xyz", "10" }, { "abc", "", "5" },
	{ "ab", "cdef", "0" }, { "12345", "6789", "4" },
};

int main(void)
{
	char buf[24], *t, *save;
	size_t i;
	int n;

	for (i = 0; i < sizeof(split) / sizeof(split[0]); i++) {
		memset(buf, '.', sizeof(buf));
		strcpy(buf, split[i][0]);
		printf("strtok");
		for (t = strtok(buf, split[i][1]); t; t = strtok(NULL, split[i][1]))
			printf(" [%s]@%d", t, (int)(t - buf));
		bytes(buf);
		memset(buf, '.', sizeof(buf));
		strcpy(buf, split[i][0]);
		printf("strtok_r");
		for (t = strtok_r(buf, split[i][1], &save); t;
		    t = strtok_r(NULL, split[i][1], &save))
			printf(" [%s]@%d", t, (int)(t - buf));
		printf(" save@%d", (int)(save - buf));
		bytes(buf);
	}
	for (i = 0; i < sizeof(cat) / sizeof(cat[0]); i++) {
		memset(buf, '.', sizeof(buf));
		strcpy(buf, cat[i][0]);
		sscanf(cat[i][2], "%d", &n);
		printf("strncat %d", strncat(buf, cat[i][1], n) == buf);
		bytes(buf);
		printf("strcat %d", strcat(buf, cat[i][1]) == buf);
		bytes(buf);
	}
	return 0;
}
