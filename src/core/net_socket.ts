// A TCP (IPv4, IPv6) or AF_UNIX stream socket: socket(2) and the calls on
// it, as a state machine over Node's handles.
//
//   fresh ─bind→ bound ─listen→ listening ─accept→ (a new socket, connected)
//     └──────────connect────────→ connecting ─→ connected | failed
//
// bind and listen answer synchronously, as in C (libuv reports EADDRINUSE at
// listen, which is where it is returned here when getsockname cannot reveal
// it earlier). Connections wait un-accepted in libuv's hands, their bytes in
// the kernel, until accept() takes one. connect on a non-blocking socket
// returns -1/EINPROGRESS and completes as EV_WRITE readiness with SO_ERROR
// set. Node cannot block, so a connect on a blocking socket, and any AF_UNIX
// connect (synchronous in C), returns 0 at once: the connection completes in
// the background, writes made meanwhile wait in the send buffer, and a
// failure surfaces as the error of the next read or write and as SO_ERROR;
// only a blocking connect to this host's own address with nothing listening
// on the port fails at once with ECONNREFUSED, as the kernel's reset arrives
// before C's call returns. A blocking recv or accept with nothing waiting returns -1/EAGAIN.
import { Socket } from "node:net";
import { statSync } from "node:fs";
import {
  Descriptor,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDHUP,
  descriptorRoom,
  install,
} from "./descriptor.js";
import { AF_INET, AF_INET6, AF_UNIX, SHUT_RD, SHUT_RDWR, SHUT_WR } from "./net_constants.js";
import {
  UV_TCP_IPV6ONLY,
  isTcp,
  newConnectReq,
  newPipe,
  newTcp,
  type PipeHandle,
  type StreamHandle,
  type TcpHandle,
  type UvHandle,
} from "./net_handles.js";
import type { Chunk } from "./chunk.js";
import { SockOpts, type Linger } from "./net_sockopt.js";
import { refusedLocally } from "./local_listeners.js";
import { anyAddress, fromUv, type Address } from "./sockaddr.js";
import type { StreamDescriptor } from "./stream.js";
import { NetConduit } from "./stream_net.js";
import { HandleWire } from "./wire_handle.js";
import { MemoryWire } from "./wire_memory.js";
import { SocketWire } from "./wire_socket.js";
import {
  EAFNOSUPPORT,
  EAGAIN,
  EALREADY,
  ECONNREFUSED,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  EMFILE,
  ENOTCONN,
  ENOENT,
  EPIPE,
} from "../libc/errno.js";

type State = "fresh" | "bound" | "listening" | "connecting" | "connected" | "failed";

/** Linux's cap on a listen backlog (net.core.somaxconn). */
const SOMAXCONN = 4096;

/**
 * A connection that waited un-accepted while its listener closed: Linux resets
 * it (the client's recv fails with ECONNRESET, a send with EPIPE), so the TCP
 * handle libuv accepted on the listener's behalf closes with an RST.
 */
function dropUnaccepted(h: UvHandle): void {
  const s = h as StreamHandle;
  if (!(s.reset && s.reset(() => {}) === 0)) h.close();
}

const UNNAMED: Address = { family: AF_UNIX, path: "" };

export class SocketDescriptor extends Descriptor implements StreamDescriptor {
  state: State = "fresh";
  readonly opts: SockOpts;
  connectError = 0;
  private handle: TcpHandle | PipeHandle | null = null;
  private conduit: NetConduit | null = null;
  /**
   * Connections waiting for accept(). libuv accepts every connection as it
   * comes, so the backlog cannot hold the excess back in the kernel; up to
   * SOMAXCONN wait here, beyond that a new connection is closed.
   */
  private waiting: UvHandle[] = [];
  private local: Address | null = null;
  private peer: Address | null = null;
  /** connect returned 0 before the connection completed (blocking or AF_UNIX). */
  private optimistic = false;
  /** Linux answers the first connect after completion with 0, later ones with EISCONN. */
  private connectSeen = false;
  /** The handle belongs to the data path now (a wire), which closes it. */
  private wrapped = false;
  /** One end of a socketpair (its bytes move in memory, wire_memory.ts). */
  private memoryPair = false;
  /** Closed while connecting with bytes written: the handle stays until they are sent. */
  private lingering = false;

  constructor(public domain: number) {
    super();
    this.opts = new SockOpts(domain);
  }

  /** Wraps a net.Socket the program made (a `net.Socket` passed where a descriptor goes). */
  static adopt(sock: Socket): SocketDescriptor {
    const h = (sock as unknown as { _handle: UvHandle | null })._handle;
    const unix = h !== null && !isTcp(h);
    const s = new SocketDescriptor(
      unix ? AF_UNIX : sock.remoteFamily === "IPv6" ? AF_INET6 : AF_INET,
    );
    s.nonblock = true;
    s.handle = h as TcpHandle | PipeHandle | null;
    s.conduit = new NetConduit(s, s.opts);
    s.connectSeen = true;
    // The program's net.Socket keeps driving the handle (through a SocketWire).
    s.wrapped = true;
    if (sock.connecting) {
      s.state = "connecting";
      s.optimistic = true;
      sock.once("connect", () => {
        if (s.state !== "connecting") return;
        s.connected();
        s.notify(POLLOUT);
      });
    } else if (sock.destroyed) s.state = "connected";
    else s.connected();
    sock.unref();
    if (sock.destroyed)
      s.conduit.fail(0); // reads end, writes fail with EPIPE
    else s.conduit.attach(new SocketWire(sock, s.conduit));
    install(s, h?.fd ?? -1);
    return s;
  }

  // ---- readiness ----

  poll(): number {
    switch (this.state) {
      case "fresh":
      case "bound":
        return POLLOUT | POLLHUP; // an unconnected TCP socket is in state CLOSE
      case "listening":
        return this.waiting.length ? POLLIN : 0;
      case "connecting":
        return this.optimistic ? this.conduit!.poll() & POLLOUT : 0;
      default:
        return this.conduit ? this.conduit.poll() : POLLHUP;
    }
  }

  /** From the conduit: bytes, EOF, room, or failure. */
  changed(edge: number): void {
    if (this.state === "connecting" && this.conduit!.dead) return this.connectFailed();
    // A pair end changes only inside the program's calls (the other end's send or close).
    if (this.memoryPair) this.notifyNextPoll(edge);
    else this.notify(edge);
  }

  // ---- the data path (StreamDescriptor) ----

  get pending(): number {
    return this.conduit?.pending ?? 0;
  }

  get unflushed(): number {
    return this.conduit?.unflushed ?? 0;
  }

  /** A non-blocking connect is under way (one that returned 0 early does not count). */
  get connecting(): boolean {
    return this.state === "connecting" && !this.optimistic;
  }

  private get streaming(): boolean {
    return this.state === "connecting" || this.state === "connected" || this.state === "failed";
  }

  read(max: number): Chunk | number {
    return this.streaming ? this.conduit!.read(max) : -ENOTCONN;
  }

  readInto(dst: Uint8Array, peek: boolean): number {
    return this.streaming ? this.conduit!.readInto(dst, peek) : -ENOTCONN;
  }

  write(data: Uint8Array, lent?: boolean): number {
    if (!this.streaming) return -EPIPE;
    if (this.state === "connecting" && !this.optimistic) return -EAGAIN;
    return this.conduit!.write(data, lent, !this.nonblock);
  }

  /** evbuffer_write's iovecs: one writev where Node can. */
  override writev(vecs: Uint8Array[], lent?: boolean): number {
    this.conduit?.cork(true);
    const n = super.writev(vecs, lent);
    this.conduit?.cork(false);
    return n;
  }

  shutdown(how: number): number {
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) return -EINVAL;
    if (this.state === "listening") {
      // Linux stops listening; accept then fails with EINVAL.
      this.releaseHandle();
      this.state = "failed";
      this.notifySoon(POLLHUP);
      return 0;
    }
    if (this.state !== "connected" && !(this.state === "connecting" && this.optimistic))
      return -ENOTCONN;
    const c = this.conduit!;
    if (how !== SHUT_WR) c.shutdownRead();
    if (how !== SHUT_RD) c.shutdownWrite();
    this.notifySoon(how === SHUT_WR ? (c.eof ? POLLHUP : 0) : POLLIN | POLLRDHUP);
    return 0;
  }

  /** setsockopt: 0 or a negative errno. */
  setOption(level: number, name: number, v: number | Linger): number {
    const r = this.opts.set(level, name, v, this.handle, this.bound);
    this.conduit?.boundsChanged();
    return r;
  }

  /** getsockopt(SO_ERROR): the pending error, cleared. */
  takeError(): number {
    const c = this.conduit;
    if (!c || !c.err) return 0;
    const e = c.err;
    c.err = 0;
    return e;
  }

  // ---- bind, listen, accept ----

  bind(a: Address): number {
    if (a.family !== this.domain) return -EAFNOSUPPORT;
    if (this.state !== "fresh") return -EINVAL;
    let r: number;
    let h: TcpHandle | PipeHandle;
    if (a.family === AF_UNIX) {
      if (a.path === "") return -EINVAL;
      const p = newPipe();
      h = p;
      r = p.bind(a.path);
      this.local = a;
    } else {
      const t = newTcp();
      h = t;
      r =
        a.family === AF_INET
          ? t.bind(a.ip, a.port)
          : t.bind6(a.ip, a.port, this.opts.v6only ? UV_TCP_IPV6ONLY : 0);
      // libuv keeps EADDRINUSE for later; getsockname reveals it now.
      const out = {};
      if (r === 0) r = t.getsockname(out);
      this.local = fromUv(out);
    }
    if (r !== 0) {
      h.close();
      this.local = null;
      return r;
    }
    h.unref();
    this.handle = h;
    this.opts.applyTo(h);
    this.state = "bound";
    return 0;
  }

  listen(backlog: number): number {
    if (this.state === "listening") return 0;
    if (this.state === "fresh") {
      if (this.domain === AF_UNIX) return -EINVAL;
      const r = this.bind(anyAddress(this.domain));
      if (r) return r;
    }
    if (this.state !== "bound") return -EINVAL;
    const h = this.handle!;
    h.onconnection = (status, client) => this.arrived(status, client);
    const r = h.listen(backlog < 0 || backlog > SOMAXCONN ? SOMAXCONN : backlog);
    if (r) return r;
    this.state = "listening";
    if (isTcp(h)) this.local = this.liveName(h) ?? this.local;
    return 0;
  }

  private arrived(status: number, client: UvHandle | undefined): void {
    if (status !== 0 || !client) return;
    if (this.closed) return dropUnaccepted(client);
    if (this.waiting.length >= SOMAXCONN) {
      client.close();
      return;
    }
    client.unref();
    this.waiting.push(client);
    this.notify(POLLIN);
  }

  /** accept(2): the new connected socket, or -EAGAIN / -EINVAL. */
  accept(): SocketDescriptor | number {
    if (this.state !== "listening") return -EINVAL;
    if (!descriptorRoom()) return -EMFILE; // the connection stays queued, as in the kernel
    const h = this.waiting.shift();
    if (!h) return -EAGAIN;
    const s = new SocketDescriptor(this.domain);
    s.opts.inherit(this.opts);
    s.handle = h as TcpHandle | PipeHandle;
    s.conduit = new NetConduit(s, s.opts);
    s.connectSeen = true;
    s.local = this.local;
    // A TCP peer gone before accept has no name libuv can report: 0.0.0.0:0 of the family.
    s.peer = isTcp(h) ? anyAddress(this.domain) : UNNAMED;
    s.connected(true);
    install(s, h.fd);
    return s;
  }

  // ---- connect ----

  /** socketpair's two ends: connected AF_UNIX sockets joined in memory, with no handle. */
  static pair(nonblock: boolean, cloexec: boolean): [SocketDescriptor, SocketDescriptor] {
    const ends = [0, 1].map(() => {
      const s = new SocketDescriptor(AF_UNIX);
      s.nonblock = nonblock;
      s.cloexec = cloexec;
      s.state = "connected";
      s.connectSeen = true;
      // No handle for the wire to own.
      s.wrapped = s.memoryPair = true;
      s.conduit = new NetConduit(s, s.opts);
      s.local = s.peer = UNNAMED;
      return s;
    }) as [SocketDescriptor, SocketDescriptor];
    const [x, y] = MemoryWire.pair(ends[0].conduit!, ends[1].conduit!);
    ends[0].conduit!.attach(x);
    ends[1].conduit!.attach(y);
    return ends;
  }

  connect(a: Address): number {
    if (a.family !== this.domain) return -EAFNOSUPPORT;
    switch (this.state) {
      case "connecting":
        return -EALREADY;
      case "listening":
        return -EISCONN;
      case "connected":
        if (this.connectSeen) return -EISCONN;
        this.connectSeen = true;
        return 0;
      case "failed": // Linux lets a socket whose connect failed try again
        this.state = "fresh";
        this.local = null;
        this.conduit = null;
    }
    const unix = a.family === AF_UNIX;
    if (unix) {
      const e = unixTargetError(a.path);
      if (e) return -e;
    } else if (!this.nonblock && refusedLocally(a.ip, a.port)) {
      // A blocking connect to this host's own address learns of the reset before it returns.
      return -ECONNREFUSED;
    }
    const h = this.handle ?? (unix ? newPipe() : newTcp());
    const req = newConnectReq(!unix, (status) => this.connectDone(h, status));
    const r = unix
      ? (h as PipeHandle).connect(req, a.path)
      : a.family === AF_INET
        ? (h as TcpHandle).connect(req, a.ip, a.port)
        : (h as TcpHandle).connect6(req, a.ip, a.port);
    if (r) {
      if (!this.handle) h.close();
      return r;
    }
    if (!this.handle) {
      h.unref();
      this.opts.applyTo(h);
    }
    this.handle = h;
    this.state = "connecting";
    this.peer = a;
    this.conduit = new NetConduit(this, this.opts);
    this.optimistic = unix || !this.nonblock;
    this.connectSeen = this.optimistic;
    this.connectError = 0;
    return this.optimistic ? 0 : -EINPROGRESS;
  }

  private connectDone(h: UvHandle, status: number): void {
    if (this.closed && this.lingering && this.handle === h) return this.lingerDone(status);
    if (this.closed || this.handle !== h || this.state !== "connecting") return;
    if (status < 0) {
      this.conduit!.fail(-status);
      return;
    }
    this.connected();
    this.notify(POLLOUT);
  }

  private connectFailed(): void {
    this.connectError = this.conduit!.err;
    this.state = "failed";
    this.releaseHandle();
    this.notify(POLLERR | POLLHUP);
  }

  /**
   * The handle is connected: the data path drives it from now on. An
   * accepted handle already has its listener's options (Linux copies
   * SO_KEEPALIVE and TCP_NODELAY to the new socket), so they are not set again.
   */
  private connected(accepted = false): void {
    const h = this.handle!;
    this.state = "connected";
    if (isTcp(h)) {
      this.local = this.liveName(h) ?? this.local;
      const out = {};
      if (h.getpeername(out) === 0) this.peer = fromUv(out) ?? this.peer;
      if (this.local) this.domain = this.local.family; // an adopted net.Socket may be IPv6
    }
    if (!this.wrapped) {
      this.wrapped = true;
      const conduit = this.conduit!;
      h.unref(); // a socket the library holds never keeps Node alive by itself
      if (!accepted) this.opts.applyTo(h);
      conduit.attach(new HandleWire(h, conduit));
    }
  }

  // ---- names ----

  private liveName(h: TcpHandle): Address | null {
    const out = {};
    return h.getsockname(out) === 0 ? fromUv(out) : null;
  }

  getsockname(): Address {
    const h = this.handle;
    if (h && isTcp(h) && this.state === "connecting")
      return this.liveName(h) ?? anyAddress(this.domain);
    return this.local ?? anyAddress(this.domain);
  }

  getpeername(): Address | number {
    const up = this.state === "connected" || (this.state === "connecting" && this.optimistic);
    return up && !this.conduit!.dead && this.peer ? this.peer : -ENOTCONN;
  }

  /** The peer as accept reports it (even if the connection has failed since). */
  get peerName(): Address {
    return this.peer ?? anyAddress(this.domain);
  }

  /** Whether bind has happened (IPV6_V6ONLY can no longer change). */
  private get bound(): boolean {
    return this.state !== "fresh";
  }

  get uvHandle(): UvHandle | null {
    return this.handle;
  }

  // ---- close ----

  private releaseHandle(): void {
    for (const w of this.waiting) dropUnaccepted(w);
    this.waiting = [];
    if (this.handle && !this.wrapped) this.handle.close();
    this.handle = null;
  }

  override close(): void {
    if (this.closed) return;
    super.close();
    // Linux resets a TCP connection closed with unread bytes, or with SO_LINGER {1, 0};
    // an AF_UNIX pair end closed with unread bytes gives its peer ECONNRESET.
    const linger0 = this.opts.linger.l_onoff === 1 && this.opts.linger.l_linger === 0;
    const reset = this.memoryPair
      ? this.pending > 0
      : this.domain !== AF_UNIX && (linger0 || this.pending > 0);
    // In C the connect would have completed and the bytes reached the peer before the close.
    if (this.state === "connecting" && !reset && this.conduit?.closeWhenAttached()) {
      this.lingering = true;
      return;
    }
    this.releaseHandle();
    this.conduit?.close(reset && this.wrapped);
  }

  /** A lingering close's connection completed (or failed): its bytes go, then the handle closes. */
  private lingerDone(status: number): void {
    this.lingering = false;
    const h = this.handle!;
    this.handle = null;
    if (status < 0) return h.close();
    this.wrapped = true;
    h.unref();
    this.conduit!.attach(new HandleWire(h, this.conduit!));
  }
}

/** What connect(2) on AF_UNIX fails with at once: ENOENT for no such path, ECONNREFUSED for a non-socket. */
function unixTargetError(path: string): number {
  if (path.startsWith("\0")) return 0;
  try {
    return statSync(path).isSocket() ? 0 : ECONNREFUSED;
  } catch (e) {
    return (e as { code?: string }).code === "ENOENT" ? ENOENT : 0;
  }
}
