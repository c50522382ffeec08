// Making sockets: socket(2), a connecting stream for the socket bufferevent,
// and socketpair.
//
// Node cannot make an AF_UNIX socketpair, so a pair is a real AF_UNIX
// connection through a one-shot listening socket in a private temporary
// directory (removed at once by libuv when the listener closes, the
// directory at exit). Both ends are usable at once: the connecting end has
// its OS descriptor immediately; the accepting end, whose descriptor the
// kernel hands over a moment later, gets a library number, and what is
// written to either end meanwhile waits in its send buffer. Both report an
// unnamed AF_UNIX address, as a real socketpair does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { install } from "./descriptor.js";
import { settle, unsettle } from "./io_source.js";
import { descriptorOf } from "./descriptor_table.js";
import { newConnectReq, newPipe } from "./net_handles.js";
import { SocketDescriptor } from "./net_socket.js";
import { readSockaddr } from "./sockaddr.js";
import { EBADF, EINPROGRESS, ENOTSOCK } from "../libc/errno.js";

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

let pairDir: string | null = null;
let pairSeq = 0;

function pairPath(): string {
  if (!pairDir) {
    const dir = mkdtempSync(join(tmpdir(), "bufferevent-pair-"));
    pairDir = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(pairDir, `${pairSeq++}`);
}

/** socketpair(AF_UNIX, SOCK_STREAM): two connected streams, or a negative errno. */
export function socketpairStreams(
  nonblock = false,
  cloexec = false,
): [SocketDescriptor, SocketDescriptor] | number {
  const path = pairPath();
  const server = newPipe();
  let r = server.bind(path);
  if (r === 0) r = server.listen(1);
  if (r !== 0) {
    server.close();
    return r;
  }
  server.unref();
  const client = newPipe();
  const a = SocketDescriptor.pairEnd(nonblock);
  const b = SocketDescriptor.pairEnd(nonblock);
  // Each end settles once, after its hand-over, so work that starts (a pending shutdown) is waited for too.
  const handed = new Set<SocketDescriptor>();
  const handOver = (
    end: SocketDescriptor,
    h: Parameters<SocketDescriptor["handOver"]>[0],
    status: number,
  ) => {
    end.handOver(h, status);
    if (handed.has(end)) return;
    handed.add(end);
    settle();
  };
  const req = newConnectReq(false, (status) => {
    handOver(a, client, status);
    if (status < 0) {
      server.close();
      handOver(b, undefined, status);
    }
  });
  server.onconnection = (status, h) => {
    server.close();
    handOver(b, h, status);
  };
  r = client.connect(req, path);
  if (r !== 0) {
    server.close();
    client.close();
    return r;
  }
  // Both handles are on the way; a poll waits for them (socketpair(2) returns a connected pair).
  unsettle();
  unsettle();
  client.unref();
  a.cloexec = b.cloexec = cloexec;
  install(a, client.fd);
  install(b);
  return [a, b];
}
