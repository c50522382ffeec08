// The descriptor half of event2/util.h: socketpair, the evutil_make_* socket
// settings, closing, and socket errors. Thin: each is what libevent 2.1.12
// does on Linux, in terms of the socket calls of src/libc/socket.ts.
// event2/util.ts re-exports this module.
import { Socket } from "node:net";
import * as args from "../args.js";
import { warn } from "../core/log.js";
import {
  AF_INET,
  AF_INET6,
  EOPNOTSUPP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOL_SOCKET,
  SO_REUSEADDR,
  SO_REUSEPORT,
  TCP_DEFER_ACCEPT,
} from "../core/net_constants.js";
import { socketArgsErrno, socketpairStreams } from "../core/net_connect.js";
import { descriptorRoom } from "../core/descriptor.js";
import { EMFILE, errno, set_errno } from "../libc/errno.js";
import { strerror } from "../libc/errno_text.js";
import {
  FD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  O_NONBLOCK,
  close,
  fcntl,
  setsockopt,
} from "../libc/socket.js";

type Fd = number | Socket;

export const EVUTIL_INVALID_SOCKET = -1;

/**
 * socketpair(AF_UNIX, SOCK_STREAM, 0, pair): fills pair[0] and pair[1] with
 * two connected AF_UNIX sockets and returns 0; -1 with errno otherwise
 * (EOPNOTSUPP for AF_INET/AF_INET6, as Linux's socketpair). Node cannot make
 * a socketpair, so the pair is a real AF_UNIX connection made through a
 * one-shot listener in a private temporary directory (src/core/net_connect.ts).
 */
export function evutil_socketpair(
  family: number,
  type: number,
  protocol: number,
  pair: number[] | Int32Array,
): number {
  const fn = "evutil_socketpair";
  const f = args.int(fn, "family", family);
  const t = args.int(fn, "type", type);
  const p = args.int(fn, "protocol", protocol);
  if (!Array.isArray(pair) && !(pair instanceof Int32Array))
    throw args.typeError(fn, "fd", `must be an array of 2 to fill, got ${args.describe(pair)}`);
  // Linux makes the sockets first (their checks), then only AF_UNIX can pair them.
  if (f === AF_INET || f === AF_INET6) {
    const e = socketArgsErrno(fn, f, t, p, true);
    return fail(e || EOPNOTSUPP);
  }
  const e = socketArgsErrno(fn, f, t, p);
  if (e) return fail(e);
  if (!descriptorRoom(2)) return fail(EMFILE);
  const ends = socketpairStreams((t & SOCK_NONBLOCK) !== 0, (t & SOCK_CLOEXEC) !== 0);
  pair[0] = ends[0].fd;
  pair[1] = ends[1].fd;
  return 0;
}

function fail(e: number): -1 {
  set_errno(e);
  return -1;
}

/** fcntl's get-then-set, warning as libevent does ("fcntl(5, F_GETFL): Bad file descriptor"). */
function setFlag(fd: Fd, get: number, set: number, flag: number, names: [string, string]): number {
  const flags = fcntl(fd, get);
  if (flags < 0) {
    warn(`fcntl(${describeFd(fd)}, ${names[0]}): ${strerror(errno)}`);
    return -1;
  }
  if (!(flags & flag) && fcntl(fd, set, flags | flag) === -1) {
    warn(`fcntl(${describeFd(fd)}, ${names[1]}): ${strerror(errno)}`);
    return -1;
  }
  return 0;
}

function describeFd(fd: Fd): string {
  return typeof fd === "number" ? String(fd) : "socket";
}

export function evutil_make_socket_nonblocking(fd: Fd): number {
  return setFlag(fd, F_GETFL, F_SETFL, O_NONBLOCK, ["F_GETFL", "F_SETFL"]);
}

/** Records FD_CLOEXEC (every descriptor Node opens is close-on-exec already). */
export function evutil_make_socket_closeonexec(fd: Fd): number {
  return setFlag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, ["F_GETFD", "F_SETFD"]);
}

export function evutil_make_listen_socket_reuseable(sock: Fd): number {
  return setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, 1, 4);
}

/** Records SO_REUSEPORT, which Node 20 cannot apply to a socket. */
export function evutil_make_listen_socket_reuseable_port(sock: Fd): number {
  return setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, 1, 4);
}

export function evutil_make_listen_socket_ipv6only(sock: Fd): number {
  return setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, 1, 4);
}

/** TCP_DEFER_ACCEPT, recorded: connections are offered to accept as soon as they complete. */
export function evutil_make_tcp_listen_socket_deferred(sock: Fd): number {
  return setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, 1, 4);
}

export function evutil_closesocket(sock: Fd): number {
  return close(sock);
}

export const EVUTIL_CLOSESOCKET = evutil_closesocket;

/** The errno of the last failed socket call (positive, Linux numbering). */
export function EVUTIL_SOCKET_ERROR(): number {
  return errno;
}

export function EVUTIL_SET_SOCKET_ERROR(errcode: number): void {
  set_errno(args.int("EVUTIL_SET_SOCKET_ERROR", "errcode", errcode));
}

/** On Unix the socket's own error is errno, whatever the socket. */
export function evutil_socket_geterror(sock: Fd): number {
  void sock;
  return errno;
}

export function evutil_socket_error_to_string(errcode: number): string {
  return strerror(args.int("evutil_socket_error_to_string", "errcode", errcode));
}
