/* The C twin of test/libc_numbers.test.ts: for each input line "BASE<TAB>TEXT"
 * prints what glibc's atoi, atol, strtol and strtoul make of TEXT (values,
 * end offsets, errno), and for lines "cmp<TAB>A<TAB>B" the signs of strcmp,
 * strncmp(3), strcasecmp, strncasecmp(2) and memcmp(shorter length). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void) {
  char line[4096];
  while (fgets(line, sizeof(line), stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    char *text = tab + 1;
    if (strcmp(line, "cmp") == 0) {
      char *b = strchr(text, '\t');
      if (!b) continue;
      *b++ = 0;
      size_t la = strlen(text), lb = strlen(b), n = la < lb ? la : lb;
      printf("%d %d %d %d %d\n", sign(strcmp(text, b)), sign(strncmp(text, b, 3)),
             sign(strcasecmp(text, b)), sign(strncasecmp(text, b, 2)), sign(memcmp(text, b, n)));
      continue;
    }
    int base = atoi(line);
    char *end = NULL; /* glibc leaves it alone for a bad base: printed as -1 */
    errno = 0;
    long l = strtol(text, &end, base);
    int el = errno;
    long lend = end ? end - text : -1;
    end = NULL;
    errno = 0;
    unsigned long u = strtoul(text, &end, base);
    int eu = errno;
    long uend = end ? end - text : -1;
    printf("%d %ld %ld %ld %d %lu %ld %d\n", atoi(text), atol(text), l, lend, el, u, uend, eu);
  }
  return 0;
}
