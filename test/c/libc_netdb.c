/* The C twin of test/libc_netdb.test.ts: glibc's random(), gai_strerror,
   getaddrinfo and getnameinfo, one result per line. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void names(const char *label, struct sockaddr *sa, socklen_t len, size_t hl, size_t sl, int flags) {
  char host[64] = "", serv[32] = "";
  int r = getnameinfo(sa, len, hl ? host : NULL, hl, sl ? serv : NULL, sl, flags);
  printf("%s %d [%s] [%s]\n", label, r, host, serv);
}

int main(void) {
  int i;
  printf("unseeded");
  for (i = 0; i < 4; i++) printf(" %ld", random());
  printf("\n");
  unsigned seeds[] = {42, 0, 1, 123456789, 4294967295u};
  for (i = 0; i < 5; i++) {
    srandom(seeds[i]);
    long a = random(), b = random(), c = random();
    printf("srandom(%u) %ld %ld %ld\n", seeds[i], a, b, c);
  }
  srand(7);
  int r1 = rand(), r2 = rand();
  printf("srand(7) %d %d\n", r1, r2);

  int codes[] = {0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -100, -101, -105, -106, 7};
  for (i = 0; i < (int)(sizeof codes / sizeof *codes); i++) printf("gai %d %s\n", codes[i], gai_strerror(codes[i]));

  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int e = getaddrinfo("127.0.0.1", "8080", &hints, &res);
  printf("getaddrinfo %d family %d socktype %d protocol %d addrlen %d next %d\n", e, res->ai_family,
         res->ai_socktype, res->ai_protocol, (int)res->ai_addrlen, res->ai_next != NULL);
  names("from-ai", res->ai_addr, res->ai_addrlen, 24, 6, NI_NUMERICHOST | NI_NUMERICSERV);
  freeaddrinfo(res);
  printf("bad-service %d\n", getaddrinfo("127.0.0.1", "no-such-service", &hints, &res));

  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
  struct sockaddr *sa = (struct sockaddr *)&sin;
  names("numeric", sa, sizeof sin, 64, 32, NI_NUMERICHOST | NI_NUMERICSERV);
  names("service-name", sa, sizeof sin, 64, 32, NI_NUMERICHOST);
  names("short-host", sa, sizeof sin, 5, 32, NI_NUMERICHOST);
  names("short-serv", sa, sizeof sin, 64, 2, NI_NUMERICHOST | NI_NUMERICSERV);
  names("just-fits", sa, sizeof sin, 10, 3, NI_NUMERICHOST | NI_NUMERICSERV);
  names("neither", sa, sizeof sin, 0, 0, 0);
  names("short-salen", sa, 8, 64, 32, NI_NUMERICHOST);
  names("host-only", sa, sizeof sin, 64, 0, NI_NUMERICHOST);
  names("name-required", sa, sizeof sin, 64, 32, NI_NUMERICHOST | NI_NAMEREQD);

  struct sockaddr_in6 s6;
  memset(&s6, 0, sizeof s6);
  s6.sin6_family = AF_INET6;
  s6.sin6_port = htons(19999);
  inet_pton(AF_INET6, "2001:db8::5", &s6.sin6_addr);
  names("v6", (struct sockaddr *)&s6, sizeof s6, 64, 32, NI_NUMERICHOST | NI_NUMERICSERV);
  return 0;
}
