// What the socket kind needs from the descriptor layer, in one place: the
// stream behind a descriptor number, the number of a net.Socket, and
// socket(2) / connect(2) / close(2) on the library's own descriptors.
import { descriptorRoom, install, managed } from "./descriptor.js";
import { fdOf, streamFor } from "./descriptor_table.js";
import { connectFd } from "./net_connect.js";
import { SocketDescriptor } from "./net_socket.js";
import { readSockaddr } from "./sockaddr.js";
import { familyOf, type SockaddrObj } from "./evutil_sockaddr.js";
import { ECONNREFUSED, EINPROGRESS, EMFILE, set_errno } from "../libc/errno.js";

export { fdOf, streamFor };

/** What evutil_socket_connect_ reports: 0 connecting, 1 connected at once, 2 refused at once. */
export type ConnectStart = 0 | 1 | 2;

/** How a connect(2) result starts a bufferevent connect; -1 for other failures (errno set). */
function started(r: number): ConnectStart | -1 {
  if (r === -EINPROGRESS) return 0;
  if (r === 0) return 1;
  set_errno(-r);
  return r === -ECONNREFUSED ? 2 : -1;
}

/** connect(2) on descriptor fd. */
export function startConnect(fd: number, sa: SockaddrObj, socklen?: number): ConnectStart | -1 {
  return started(connectFd(fd, sa, socklen));
}

/**
 * socket(2) + connect(2) for a bufferevent that has no descriptor yet. The
 * descriptor is numbered once the connect has made the OS socket, so that
 * bufferevent_getfd reports the real OS descriptor. Returns it with the
 * connect's start, or -1 (errno set, nothing left open).
 */
export function connectNew(
  sa: SockaddrObj,
  socklen?: number,
): { fd: number; r: ConnectStart } | -1 {
  if (!descriptorRoom()) {
    set_errno(EMFILE);
    return -1;
  }
  const d = new SocketDescriptor(familyOf(sa));
  d.nonblock = true;
  const a = readSockaddr(sa, socklen);
  const r = started(typeof a === "number" ? a : d.connect(a));
  if (r < 0) {
    d.close();
    return -1;
  }
  return { fd: install(d, d.uvHandle?.fd ?? -1), r: r as ConnectStart };
}

/** close(2) on a descriptor the library manages. */
export function closeFd(fd: number): void {
  managed(fd)?.close();
}
