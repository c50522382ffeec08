/* glibc's streams on files and stdin, one step after another in a directory
 * given as argv[1]; test/libc_stdio_file.test.ts runs its port, step by
 * step, and compares what the two print. stdin is read at the end. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static char path[4096], other[4096];

static void show(const char *label, const char *s, int n)
{
	int i;

	printf("%s [", label);
	for (i = 0; i < n; i++) {
		unsigned char b = s[i];
		if (b >= 32 && b < 127 && b != '\\')
			putchar(b);
		else
			printf("\\x%02x", b);
	}
	printf("]\n");
}

static void state(const char *label, FILE *fp)
{
	printf("%s feof=%d ferror=%d errno=%d\n", label, feof(fp), ferror(fp), errno);
	errno = 0;
}

static void line(const char *label, FILE *fp, int size)
{
	char buf[64];
	char *r;

	memset(buf, '.', sizeof(buf));
	r = fgets(buf, size, fp);
	printf("%s fgets(%d) %s", label, size, r == NULL ? "NULL" : r == buf ? "buf" : "?");
	show("", buf, size > 0 ? size : 1);
}

static void opened(const char *label, FILE *fp)
{
	printf("%s %s errno=%d\n", label, fp ? "FILE" : "NULL", errno);
	errno = 0;
}

int main(int argc, char **argv)
{
	FILE *fp;
	char buf[64];
	int c, i, r;
	double d;

	snprintf(path, sizeof(path), "%s/one.txt", argv[1]);
	snprintf(other, sizeof(other), "%s/two.bin", argv[1]);
	errno = 0;

	opened("missing", fopen("/nonexistent/x", "r"));
	opened("mode z", fopen(path, "z"));
	opened("mode empty", fopen(path, ""));
	opened("dir w", fopen(argv[1], "w"));

	fp = fopen(path, "w");
	opened("w", fp);
	printf("fputs %d\n", fputs("line one\n", fp));
	printf("fprintf %d\n", fprintf(fp, "%d %s\n", 42, "two"));
	printf("fwrite %zu\n", fwrite("abc", 1, 3, fp));
	printf("fputc %d\n", fputc('\n', fp));
	printf("fileno>2 %d\n", fileno(fp) > 2);
	line("w", fp, 10);
	state("w after fgets", fp);
	clearerr(fp);
	state("w cleared", fp);
	printf("fclose %d\n", fclose(fp));

	fp = fopen(path, "r");
	opened("r", fp);
	line("r", fp, 64);
	line("r", fp, 4);
	line("r", fp, 4);
	line("r", fp, 1);
	line("r", fp, 0);
	line("r", fp, 64);
	line("r", fp, 64);
	state("r at end", fp);
	line("r", fp, 64);
	printf("fwrite %zu\n", fwrite("x", 1, 1, fp));
	state("r after fwrite", fp);
	printf("fputs %d\n", fputs("x", fp));
	printf("fprintf %d\n", fprintf(fp, "x"));
	printf("fputc %d\n", fputc('x', fp));
	state("r after writes", fp);
	printf("fclose %d\n", fclose(fp));

	fp = fopen(path, "a");
	printf("fputs %d\n", fputs("appended\n", fp));
	printf("ftell %ld\n", ftell(fp));
	fclose(fp);
	fp = fopen(path, "rb");
	memset(buf, 0, sizeof(buf));
	r = (int)fread(buf, 1, sizeof(buf), fp);
	printf("fread %d\n", r);
	show("all", buf, r);
	state("rb", fp);
	fclose(fp);

	fp = fopen(path, "r+");
	line("r+", fp, 64);
	printf("ftell %ld\n", ftell(fp));
	printf("fseek %d\n", fseek(fp, 0, SEEK_CUR));
	printf("fputs %d\n", fputs("XY", fp));
	printf("ftell %ld\n", ftell(fp));
	printf("fseek %d\n", fseek(fp, -3, SEEK_END));
	line("r+", fp, 64);
	r = fseek(fp, -100, SEEK_SET);
	printf("fseek %d errno=%d\n", r, errno);
	errno = 0;
	r = fseek(fp, 0, 7);
	printf("fseek %d errno=%d\n", r, errno);
	errno = 0;
	rewind(fp);
	memset(buf, 0, sizeof(buf));
	r = (int)fread(buf, 1, sizeof(buf), fp);
	show("r+ all", buf, r);
	fclose(fp);

	fp = fopen(other, "w+b");
	printf("fwrite %zu\n", fwrite("hello world", 1, 11, fp));
	rewind(fp);
	memset(buf, 0, sizeof(buf));
	printf("fread %zu\n", fread(buf, 2, 6, fp));
	show("w+", buf, 12);
	state("w+", fp);
	printf("fread %zu\n", fread(buf, 2, 6, fp));
	fclose(fp);

	fp = fopen(path, "a+");
	line("a+", fp, 64);
	printf("fputs %d\n", fputs("end\n", fp));
	printf("fseek %d", fseek(fp, 0, SEEK_END));
	printf(" ftell %ld\n", ftell(fp));
	rewind(fp);
	for (i = 0; (c = fgetc(fp)) != EOF;)
		i += c == '\n';
	printf("lines %d\n", i);
	state("a+", fp);
	fclose(fp);

	opened("wx", fopen(path, "wx"));
	opened("r+b", fp = fopen(path, "r+b"));
	printf("fgetc %d", fgetc(fp));
	printf(" ungetc %d", ungetc('Z', fp));
	printf(" fgetc %d", fgetc(fp));
	printf(" getc %d", getc(fp));
	printf(" ungetc(EOF) %d\n", ungetc(EOF, fp));
	fclose(fp);
	fp = fopen(argv[1], "r");
	opened("dir r", fp);
	line("dir", fp, 64);
	state("dir", fp);
	fclose(fp);

	fp = fopen(other, "w");
	fputs("12 abc 3.5\nrest", fp);
	fclose(fp);
	fp = fopen(other, "r");
	buf[0] = 0;
	r = fscanf(fp, "%d %s %lf", &i, buf, &d);
	printf("fscanf %d %d %s %g\n", r, i, buf, d);
	line("after fscanf", fp, 64);
	printf("fscanf %d\n", fscanf(fp, "%d", &i));
	line("after fscanf", fp, 64);
	state("fscanf", fp);
	printf("fscanf at end %d\n", fscanf(fp, "%d", &i));
	fclose(fp);

	printf("fileno stdin %d", fileno(stdin));
	printf(" stdout %d stderr %d\n", fileno(stdout), fileno(stderr));
	printf("fflush %d\n", fflush(NULL));
	r = scanf("%d", &i);
	printf("scanf %d %d\n", r, i);
	line("stdin", stdin, 8);
	line("stdin", stdin, 8);
	line("stdin", stdin, 64);
	line("stdin", stdin, 64);
	printf("getchar %d\n", getchar());
	state("stdin", stdin);
	printf("fputs stdin %d\n", fputs("x", stdin));
	state("stdin", stdin);
	return 0;
}
