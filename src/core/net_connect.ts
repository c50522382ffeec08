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
import { EBADF, EINPROGRESS, EMFILE, ENOTSOCK } from "../libc/errno.js";

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
