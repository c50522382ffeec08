/* glibc's address text conversions, one input per stdin line:
 *   "4 TEXT" / "6 TEXT": inet_pton(AF_INET / AF_INET6), then inet_ntop of the result
 *   "a TEXT": inet_addr, then inet_ntoa of the result
 * test/socket_inet.test.ts feeds the same lines to the TypeScript calls. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[512], out[INET6_ADDRSTRLEN];
	while (fgets(line, sizeof(line), stdin)) {
		char *text = line + 2;
		unsigned char addr[16];
		line[strcspn(line, "\n")] = 0;
		if (line[0] == 'a') {
			in_addr_t a = inet_addr(text);
			struct in_addr in;
			in.s_addr = a;
			printf("inet_addr(\"%s\") = %08x %s\n", text, (unsigned)a, inet_ntoa(in));
		} else {
			int af = line[0] == '4' ? AF_INET : AF_INET6;
			int r = inet_pton(af, text, addr);
			printf("inet_pton(%d, \"%s\") = %d", af, text, r);
			if (r == 1)
				printf(" %s", inet_ntop(af, addr, out, sizeof(out)));
			printf("\n");
		}
	}
	return 0;
}
