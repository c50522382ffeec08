// The socket constants of <sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>
// and <fcntl.h>, Linux values. Defined once here; bufferevent/libc and
// bufferevent/event2/util re-export these very bindings.

export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const PF_UNSPEC = AF_UNSPEC;
export const PF_UNIX = AF_UNIX;
export const PF_INET = AF_INET;
export const PF_INET6 = AF_INET6;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;

export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const TCP_NODELAY = 1;
/** Linux's TCP_DEFER_ACCEPT (not exported: evutil_make_tcp_listen_socket_deferred sets it). */
export const TCP_DEFER_ACCEPT = 9;
export const IPV6_V6ONLY = 26;

export const MSG_PEEK = 2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

export const INADDR_ANY = 0;
export const INADDR_LOOPBACK = 0x7f000001;
/** inet_addr's failure value. */
export const INADDR_NONE = 0xffffffff;

export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;
export const O_RDWR = 2;
export const O_NONBLOCK = 0o4000;

// errno values the socket calls need that libc.txt does not export.
export const ENOSPC = 28;
export const ENOPROTOOPT = 92;
export const EOPNOTSUPP = 95;
export const ESOCKTNOSUPPORT = 94;
