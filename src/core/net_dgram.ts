// A UDP socket (socket(AF_INET or AF_INET6, SOCK_DGRAM, 0)) over Node's
// udp_wrap handle, the layer under node:dgram: bind and getsockname answer
// synchronously, as in C; sendto sends at once (libuv tries the kernel
// first); datagrams that arrive wait here, whole, until recvfrom (or recv,
// read) takes the next one. The socket is always writable and readable
// while a datagram waits, as epoll reports a UDP socket. There is no
// connect: send and write without an address fail with EDESTADDRREQ.
import { Descriptor, POLLIN, POLLOUT, install } from "./descriptor.js";
import { AF_INET, AF_INET6, AF_UNIX } from "./net_constants.js";
import { binding } from "./net_handles.js";
import { anyAddress, fromUv, type Address } from "./sockaddr.js";
import { EAFNOSUPPORT, EAGAIN, EINVAL } from "../libc/errno.js";

/** Linux's errno for a send on an unconnected datagram socket with no address. */
const EDESTADDRREQ = 89;

interface UdpHandle {
  readonly fd: number;
  bind(ip: string, port: number, flags: number): number;
  bind6(ip: string, port: number, flags: number): number;
  send(req: object, list: Uint8Array[], n: number, port: number, ip: string, cb: boolean): number;
  send6(req: object, list: Uint8Array[], n: number, port: number, ip: string, cb: boolean): number;
  getsockname(out: object): number;
  recvStart(): number;
  recvStop(): number;
  onmessage:
    | ((nread: number, h: unknown, buf: Buffer | undefined, rinfo: object | undefined) => void)
    | null;
  close(cb?: () => void): void;
  unref(): void;
}

const udpWrap = binding("udp_wrap");

interface Datagram {
  data: Buffer;
  from: Address;
}

export class DgramDescriptor extends Descriptor {
  private handle: UdpHandle | null = null;
  private local: Address | null = null;
  private queue: Datagram[] = [];

  constructor(readonly domain: number) {
    super();
  }

  poll(): number {
    return POLLOUT | (this.queue.length > 0 ? POLLIN : 0);
  }

  /** FIONREAD on a UDP socket: the size of the next datagram. */
  get pending(): number {
    return this.queue.length > 0 ? this.queue[0].data.length : 0;
  }

  get bound(): boolean {
    return this.handle !== null;
  }

  bind(a: Address): number {
    if (a.family !== this.domain) return -EAFNOSUPPORT;
    if (this.handle) return -EINVAL;
    return this.open(a);
  }

  /** Creates the handle, bound to `a`, and starts taking datagrams in. */
  private open(a: Address): number {
    if (a.family !== AF_INET && a.family !== AF_INET6) return -EAFNOSUPPORT;
    const h = new udpWrap.UDP() as UdpHandle;
    let r = a.family === AF_INET ? h.bind(a.ip, a.port, 0) : h.bind6(a.ip, a.port, 0);
    const out = {};
    if (r === 0) r = h.getsockname(out);
    if (r !== 0) {
      h.close();
      return r;
    }
    this.local = fromUv(out);
    h.onmessage = (nread, _h, buf, rinfo) => this.arrived(nread, buf, rinfo);
    h.recvStart();
    h.unref();
    this.handle = h;
    return 0;
  }

  private arrived(nread: number, buf: Buffer | undefined, rinfo: object | undefined): void {
    if (this.closed || nread < 0 || !rinfo) return;
    const from = fromUv(rinfo as { address?: string; family?: string; port?: number });
    if (!from) return;
    this.queue.push({ data: Buffer.from(buf ? buf.subarray(0, nread) : []), from });
    this.notify(POLLIN);
  }

  getsockname(): Address {
    return this.local ?? anyAddress(this.domain);
  }

  /** recvfrom: the datagram's length (truncated to `dst`) and its sender, or a negative errno. */
  recvFrom(dst: Uint8Array, peek: boolean): { n: number; from: Address | null } {
    const d = this.queue[0];
    if (!d) return { n: -EAGAIN, from: null };
    if (!peek) this.queue.shift();
    const n = Math.min(d.data.length, dst.length);
    dst.set(d.data.subarray(0, n));
    return { n, from: d.from };
  }

  readInto(dst: Uint8Array, peek: boolean): number {
    return this.recvFrom(dst, peek).n;
  }

  write(): number {
    return -EDESTADDRREQ;
  }

  /** sendto: the whole datagram is sent (its length), or a negative errno. An unbound socket is bound first, as the kernel does. */
  sendTo(data: Uint8Array, to: Address): number {
    if (to.family !== this.domain || to.family === AF_UNIX) return -EAFNOSUPPORT;
    if (!this.handle) {
      const r = this.open(anyAddress(this.domain));
      if (r) return r;
    }
    const h = this.handle as UdpHandle;
    const req = new udpWrap.SendWrap();
    req.oncomplete = () => {};
    const copy = Buffer.from(data);
    const r =
      to.family === AF_INET
        ? h.send(req, [copy], 1, to.port, to.ip, false)
        : h.send6(req, [copy], 1, to.port, to.ip, false);
    // libuv returns the length + 1 when the kernel took it at once, 0 when queued.
    return r < 0 ? r : data.length;
  }

  override close(): void {
    if (this.closed) return;
    super.close();
    this.queue = [];
    if (this.handle) {
      this.handle.onmessage = null;
      this.handle.recvStop();
      this.handle.close();
      this.handle = null;
    }
  }
}

/** socket(domain, SOCK_DGRAM, 0): not bound until bind or the first sendto. */
export function createDgram(domain: number, nonblock: boolean, cloexec: boolean): DgramDescriptor {
  const s = new DgramDescriptor(domain);
  s.nonblock = nonblock;
  s.cloexec = cloexec;
  install(s);
  return s;
}
