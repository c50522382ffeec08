// Making sockets: socket(2), a connecting stream for the socket bufferevent,
// and socketpair.
//
// Node cannot make an AF_UNIX socketpair(2), so a pair is two library
// sockets joined in memory (wire_memory.ts): connected at once, each
// readable as soon as the other writes, both with an unnamed AF_UNIX
// address, as a real socketpair's; their numbers are the library's own.
import { descriptorRoom, install } from "./descriptor.js";
import { descriptorOf } from "./descriptor_table.js";
import { SocketDescriptor } from "./net_socket.js";
import { readSockaddr } from "./sockaddr.js";
import {
  EAFNOSUPPORT,
  EBADF,
  EINPROGRESS,
  EINVAL,
  EMFILE,
  ENOTSOCK,
  EPROTONOSUPPORT,
} from "../libc/errno.js";
import { warn } from "./log.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  ESOCKTNOSUPPORT,
  IPPROTO_TCP,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
} from "./net_constants.js";

const SOCK_RAW = 3;
const SOCK_SEQPACKET = 5;
const SOCK_PACKET = 10;

/**
 * Why socket(2) or socketpair(2) refuses (domain, type, protocol), checked in
 * Linux's order: unknown type flags or a type beyond SOCK_PACKET (EINVAL), a
 * family without sockets (EAFNOSUPPORT), a protocol the family does not have
 * for the type (EPROTONOSUPPORT; an inet protocol beyond 0-255 is EINVAL), a
 * type the family lacks (ESOCKTNOSUPPORT).
 * 0 for a stream socket (for any socket Linux makes, with `anyType`); types
 * Linux has but this library does not make (SOCK_DGRAM, ...) are
 * EPROTONOSUPPORT with a warning naming `fn`.
 */
export function socketArgsErrno(
  fn: string,
  domain: number,
  type: number,
  protocol: number,
  anyType = false,
): number {
  if ((type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC)) !== 0) return EINVAL;
  const kind = type & 0xf;
  if (domain < 0 || domain >= 46) return EAFNOSUPPORT;
  if (kind > SOCK_PACKET) return EINVAL;
  if (domain !== AF_INET && domain !== AF_INET6 && domain !== AF_UNIX) return EAFNOSUPPORT;
  if (domain === AF_UNIX) {
    if (protocol !== 0 && protocol !== AF_UNIX) return EPROTONOSUPPORT;
    if (![SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET].includes(kind)) return ESOCKTNOSUPPORT;
  } else {
    if (protocol < 0 || protocol >= 256) return EINVAL;
    if (![SOCK_STREAM, SOCK_DGRAM, SOCK_RAW].includes(kind)) return ESOCKTNOSUPPORT;
    if (kind === SOCK_STREAM && protocol !== 0 && protocol !== IPPROTO_TCP) return EPROTONOSUPPORT;
  }
  if (kind === SOCK_STREAM || anyType) return 0;
  warn(
    `${fn}: only SOCK_STREAM sockets are supported, not ${kind === SOCK_DGRAM ? "SOCK_DGRAM" : `type ${kind}`}`,
  );
  return EPROTONOSUPPORT;
}

/** socket(2) for a stream socket of `domain`, entered in the table. */
export function createSocket(domain: number, nonblock = false, cloexec = false): SocketDescriptor {
  const s = new SocketDescriptor(domain);
  s.nonblock = nonblock;
  s.cloexec = cloexec;
  install(s);
  return s;
}

/**
 * connect(2) on descriptor `fd` to the address in the sockaddr object `sa`:
 * 0, -EINPROGRESS (completion is EV_WRITE readiness and `connectError`), or
 * another negative errno.
 */
export function connectFd(fd: number, sa: object, socklen?: number): number {
  const s = descriptorOf(fd);
  if (!s) return -EBADF;
  if (!(s instanceof SocketDescriptor)) return -ENOTSOCK;
  const a = readSockaddr(sa, socklen);
  return typeof a === "number" ? a : s.connect(a);
}

/**
 * A new non-blocking socket connecting to the sockaddr object `sa` (what
 * bufferevent_socket_connect does with no descriptor yet): the stream, still
 * connecting or already failed, or a negative errno when connect failed at
 * once (the socket is closed again).
 */
export function connectStream(sa: object, socklen?: number): SocketDescriptor | number {
  const a = readSockaddr(sa, socklen);
  if (typeof a === "number") return a;
  if (!descriptorRoom()) return -EMFILE;
  const s = new SocketDescriptor(a.family);
  s.nonblock = true;
  const r = s.connect(a);
  if (r !== 0 && r !== -EINPROGRESS) {
    s.close();
    return r;
  }
  // Numbered once connect has made the OS socket, so it carries the real descriptor.
  install(s, s.uvHandle?.fd ?? -1);
  return s;
}

/** socketpair(AF_UNIX, SOCK_STREAM): two connected streams, numbered by the library. */
export function socketpairStreams(
  nonblock = false,
  cloexec = false,
): [SocketDescriptor, SocketDescriptor] {
  const ends = SocketDescriptor.pair(nonblock, cloexec);
  install(ends[0]);
  install(ends[1]);
  return ends;
}
