/* The C twin of test/libc_sizeof.test.ts: prints "TYPE<TAB>sizeof(TYPE)". */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/util.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>

#define P(t) printf("%s\t%zu\n", #t, sizeof(t))

int main(void) {
  P(char); P(unsigned char); P(short); P(unsigned short); P(int); P(unsigned); P(unsigned int);
  P(long); P(unsigned long); P(long long); P(unsigned long long); P(float); P(double);
  P(long double); P(_Bool); P(wchar_t); P(size_t); P(ssize_t); P(off_t); P(ptrdiff_t);
  P(intptr_t); P(uintptr_t); P(int8_t); P(uint16_t); P(int32_t); P(uint64_t); P(time_t);
  P(suseconds_t); P(pid_t); P(socklen_t); P(sa_family_t); P(in_port_t); P(in_addr_t);
  P(sig_atomic_t); P(evutil_socket_t); P(ev_uint8_t); P(ev_uint16_t); P(ev_uint32_t);
  P(ev_uint64_t); P(ev_int64_t); P(ev_ssize_t); P(ev_off_t); P(ev_uintptr_t); P(ev_intptr_t);
  P(void *); P(char *); P(const char *); P(char **); P(struct event_base *);
  P(struct bufferevent *); P(char[16]); P(int[3]); P(struct sockaddr); P(struct sockaddr_in);
  P(struct sockaddr_in6); P(struct sockaddr_un); P(struct sockaddr_storage); P(struct in_addr);
  P(struct in6_addr); P(struct timeval); P(struct timespec); P(struct timezone); P(struct tm);
  P(struct linger); P(struct iovec); P(struct addrinfo); P(struct evutil_addrinfo);
  P(struct evbuffer_iovec); P(struct evbuffer_ptr); P(struct evbuffer_cb_info); P(struct event);
  return 0;
}
