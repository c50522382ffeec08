/* Twin of test/libc_ctype.test.ts's isascii/toascii and buffer-size case:
 * prints BUFSIZ and the inet_ntop sizes, inet_ntop of the longest addresses
 * into buffers of exactly those sizes and one byte fewer, then isascii and
 * toascii of -1..256. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void ntop(int af, const char *text, size_t size)
{
	unsigned char addr[16];
	char out[64];
	inet_pton(af, text, addr);
	errno = 0;
	const char *r = inet_ntop(af, addr, out, size);
	printf("%zu %s %d\n", size, r ? r : "(null)", r ? 0 : errno);
}

int main(void)
{
	int c;
	printf("%d %d %d\n", BUFSIZ, INET_ADDRSTRLEN, INET6_ADDRSTRLEN);
	ntop(AF_INET, "255.255.255.255", INET_ADDRSTRLEN);
	ntop(AF_INET, "255.255.255.255", INET_ADDRSTRLEN - 1);
	ntop(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", INET6_ADDRSTRLEN);
	ntop(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", INET6_ADDRSTRLEN - 1);
	for (c = -1; c <= 256; c++)
		printf("%d%c", isascii(c) ? 1 : 0, c == 256 ? '\n' : ' ');
	for (c = -1; c <= 256; c++)
		printf("%d%c", toascii(c), c == 256 ? '\n' : ' ');
	return 0;
}
