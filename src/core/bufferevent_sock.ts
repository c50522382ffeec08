// The socket kind: a bufferevent over a connected stream descriptor
// (libevent's bufferevent_sock.c). Reading and writing are driven by two
// events on the descriptor, as epoll drives libevent: the read event reads
// at most max_to_read bytes (and stops below the read high watermark) into
// the input, the write event hands at most max_to_write bytes of the output
// to the stream. The output's length is what the stream has not accepted.
import type { Socket } from "node:net";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_TIMEOUT,
  BEV_EVENT_WRITING,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  BufferEvent,
  Suspend,
  badOptions,
} from "./bufferevent.js";
import { EVUTIL_EAI_CANCEL } from "./addrinfo.js";
import { resolveHost, type PendingLookup } from "./dns.js";
import type { DnsBase } from "./dns_base.js";
import * as transport from "./bufferevent_transport.js";
import {
  CHUNK_FILESEGMENT,
  CHUNK_IMMUTABLE,
  CHUNK_MULTICAST,
  CHUNK_REFERENCE,
  CHUNK_SENDFILE,
  type Chunk,
} from "./chunk.js";
import { FLAG_DRAINS_TO_FD, type CbInfo } from "./evbuffer.js";
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { EV_PERSIST, EV_READ, EV_TIMEOUT, EV_WRITE } from "./flags.js";
import type { StreamDescriptor } from "./stream.js";
import { EAGAIN, ECONNREFUSED, set_errno } from "../libc/errno.js";
import type { SockaddrObj } from "./evutil_sockaddr.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./evutil_sockaddr.js";

/** At most this many chunks per write event (libevent's NUM_WRITE_IOVEC). */
const MAX_WRITE_VECS = 128;
/** Chunks over memory that is not the evbuffer's own to manage. */
const FOREIGN = CHUNK_REFERENCE | CHUNK_MULTICAST | CHUNK_FILESEGMENT | CHUNK_SENDFILE;

/** The first `n` data bytes of `c`, as a Buffer over its memory (no copy). */
function chunkData(c: Chunk, n: number): Buffer {
  const start = c.base + c.misalign;
  // A bulk read's own Buffer goes back out as it is (an echo): no view to make.
  return start === 0 && n === c.mem.length ? c.mem : c.mem.subarray(start, start + n);
}

const sockReadable = (_fd: number, what: number, bev: SocketBufferEvent) => bev.onReadable(what);
const sockWritable = (_fd: number, what: number, bev: SocketBufferEvent) => bev.onWritable(what);
const sockOutbufCb = (_buf: unknown, info: CbInfo, bev: SocketBufferEvent) => bev.outbufCb(info);

export class SocketBufferEvent extends BufferEvent {
  readonly kind: string = "socket";
  /** The stream behind the descriptor; null while there is none (fd -1). */
  stream: StreamDescriptor | null = null;
  private connecting = false;
  private connectionRefused = false;
  /** The last connect_hostname lookup error (EVUTIL_EAI_*), or 0. */
  dnsError = 0;
  private lookup: PendingLookup | null = null;

  protected constructor(base: EventBase, fd: number, options: number) {
    super(base, options);
    this.output.flags |= FLAG_DRAINS_TO_FD;
    this.assignEvents(fd);
    this.output.addCb(sockOutbufCb, this);
    this.input.freeze(false);
    this.output.freeze(true);
  }

  /** bufferevent_socket_new: null where libevent fails (options it refuses). */
  static create(base: EventBase, fd: number | Socket, options: number): SocketBufferEvent | null {
    if (badOptions(options)) return null;
    return new SocketBufferEvent(base, transport.fdOf(fd), options);
  }

  /** (Re)creates the read and write events on `fd` (event_assign: default priority). */
  private assignEvents(fd: number): void {
    const stream = fd >= 0 ? this.openTransport(fd) : null;
    this.stream = stream;
    // Without a descriptor (fd -1) the events are pending but never fire: timeouts still run.
    this.readEv = new Event(this.base, fd, EV_READ | EV_PERSIST, sockReadable, this);
    this.writeEv = new Event(this.base, fd, EV_WRITE | EV_PERSIST, sockWritable, this);
    this.readEv.io = this.writeEv.io = stream;
  }

  /** The byte stream behind descriptor fd; a kind over another transport (TLS) substitutes its own. */
  protected openTransport(fd: number): StreamDescriptor | null {
    return transport.streamFor(fd);
  }

  // ---- arming (be_socket_enable / be_socket_disable) ----

  private addRead(): number {
    return this.addReadEvent();
  }

  private addWrite(): number {
    return this.addWriteEvent();
  }

  private delRead(): void {
    this.base.del(this.readEv);
  }

  private delWrite(): void {
    this.base.del(this.writeEv);
  }

  arm(events: number): number {
    if (events & EV_READ && this.addRead() === -1) return -1;
    if (events & EV_WRITE && this.addWrite() === -1) return -1;
    return 0;
  }

  disarm(events: number): number {
    if (events & EV_READ) this.delRead();
    // While connecting the write event stays: it reports the connect's outcome.
    if (events & EV_WRITE && !this.connecting) this.delWrite();
    return 0;
  }

  /** Data added to the output while writing is wanted: start the write event. */
  outbufCb(info: CbInfo): void {
    if (info.n_added && this.enabled & EV_WRITE && !this.writeEv.inserted && !this.writeSuspended)
      this.addWrite();
  }

  /** bufferevent_generic_adj_existing_timeouts_: only events already pending change. */
  override adjustTimeouts(): number {
    let r = 0;
    if (this.readEv.inserted) {
      if (this.readTimeoutSet) r |= this.addReadEvent();
      else this.base.removeTimer(this.readEv);
    }
    if (this.writeEv.inserted) {
      if (this.writeTimeoutSet) r |= this.addWriteEvent();
      else this.base.removeTimer(this.writeEv);
    }
    return r < 0 ? -1 : 0;
  }

  // ---- the read path ----

  onReadable(what: number): void {
    this.incref();
    if (what === EV_TIMEOUT) this.readFailed(BEV_EVENT_READING | BEV_EVENT_TIMEOUT);
    else this.readSome();
    this.decref();
  }

  private readSome(): void {
    const input = this.input;
    let howmuch = -1;
    if (this.wmReadHigh) {
      howmuch = this.wmReadHigh - input.totalLen;
      if (howmuch <= 0) {
        // The watermark was lowered under what the input holds: stop reading.
        this.suspendRead(Suspend.WM);
        return;
      }
    }
    const readmax = this.maxToRead();
    if (howmuch < 0 || howmuch > readmax) howmuch = readmax;
    if (this.readSuspended || howmuch === 0 || this.stream === null) return;
    const r = this.stream.read(howmuch);
    if (typeof r === "number") {
      if (r === 0) {
        this.readFailed(BEV_EVENT_READING | BEV_EVENT_EOF);
        return;
      }
      if (r === -EAGAIN) return;
      if (r === -ECONNREFUSED) {
        // Reported by the write event, as the connect's failure.
        this.connectionRefused = true;
        return;
      }
      set_errno(-r);
      this.readFailed(BEV_EVENT_READING | BEV_EVENT_ERROR);
      return;
    }
    const n = r.off;
    input.appendChunk(r);
    this.chargeRead(n);
    this.triggerNolock(EV_READ, 0);
  }

  /** EOF, error or timeout while reading: reading is disabled before the eventcb runs. */
  private readFailed(what: number): void {
    this.disable(EV_READ);
    this.runEventcb(what, 0);
  }

  // ---- the write path ----

  onWritable(what: number): void {
    this.incref();
    if (what === EV_TIMEOUT) this.writeFailed(BEV_EVENT_WRITING | BEV_EVENT_TIMEOUT);
    else this.writeSome();
    this.decref();
  }

  private writeSome(): void {
    let connected = false;
    if (this.connecting) {
      const c = this.connectOutcome();
      if (c === 0) return;
      this.connecting = false;
      if (c < 0) {
        this.delWrite();
        this.delRead();
        this.runEventcb(BEV_EVENT_ERROR, 0);
        return;
      }
      connected = true;
      this.connectedNow();
      if (!(this.enabled & EV_WRITE) || this.writeSuspended) {
        this.delWrite();
        return;
      }
    }
    const atmost = this.maxToWrite();
    if (this.writeSuspended) return;
    let res = 0;
    if (this.output.totalLen) {
      res = this.flushOutput(atmost);
      if (res < 0) {
        if (res === -EAGAIN) {
          if (this.output.totalLen === 0) this.delWrite();
          return;
        }
        set_errno(-res);
        this.writeFailed(BEV_EVENT_WRITING | BEV_EVENT_ERROR);
        return;
      }
      this.chargeWrite(res);
    }
    if (this.output.totalLen === 0) this.delWrite();
    // A connect that completes with nothing to send gives CONNECTED, no writecb.
    if (res || !connected) this.triggerNolock(EV_WRITE, 0);
  }

  /**
   * Hands up to `atmost` bytes of the output (at most MAX_WRITE_VECS chunks,
   * one writev) to the stream and drains what it accepted. The chunks'
   * memory is lent, not copied, except memory the program owns (references,
   * file segments), which may change once drained; only if the stream could
   * not send it all at once is it pinned: see pinSent.
   */
  private flushOutput(atmost: number): number {
    const stream = this.stream!;
    let c = this.output.first;
    while (c && !c.off) c = c.next;
    if (!c) return 0;
    let n: number;
    if (c.off >= atmost || !c.next)
      n = stream.write(chunkData(c, Math.min(c.off, atmost)), !(c.flags & FOREIGN));
    else {
      const vecs: Uint8Array[] = [];
      let want = 0;
      let lent = true;
      for (; c && vecs.length < MAX_WRITE_VECS && want < atmost; c = c.next) {
        if (!c.off) continue;
        const k = Math.min(c.off, atmost - want);
        vecs.push(chunkData(c, k));
        if (c.flags & FOREIGN) lent = false;
        want += k;
      }
      n = stream.writev(vecs, lent);
    }
    if (n <= 0) return n;
    if (stream.unflushed > 0) this.pinSent(n);
    this.output.consume(n);
    return n;
  }

  /**
   * Node still holds views of the first `n` bytes: their chunks' memory
   * must never change. A slab is never reused again; a chunk the stream
   * took only part of becomes immutable, so the rest is never realigned
   * over the part still to be sent.
   */
  private pinSent(n: number): void {
    for (let c = this.output.first; c && n > 0; c = c.next) {
      if (!c.off) continue;
      if (c.slab !== null) c.slab.exposed = true;
      if (n < c.off) c.flags |= CHUNK_IMMUTABLE;
      n -= c.off;
    }
  }

  private writeFailed(what: number): void {
    this.disable(EV_WRITE);
    this.runEventcb(what, 0);
  }

  // ---- connecting ----

  /** evutil_socket_finished_connecting_: 1 done, 0 still connecting, -1 failed (errno set). */
  private connectOutcome(): number {
    if (this.connectionRefused) {
      this.connectionRefused = false;
      set_errno(ECONNREFUSED);
      return -1;
    }
    const s = this.stream;
    if (!s) return -1;
    if (s.connecting) return 0;
    if (s.connectError) {
      set_errno(s.connectError);
      return -1;
    }
    return 1;
  }

  /** The connect completed: the CONNECTED moment (a kind over TLS moves it to the handshake). */
  protected connectedNow(): void {
    this.runEventcb(BEV_EVENT_CONNECTED, 0);
  }

  /** bufferevent_socket_connect: 0, or -1 on an immediate failure. sa null = already connecting. */
  connect(sa: SockaddrObj | null, socklen?: number): number {
    this.incref();
    const result = this.startConnect(sa, socklen);
    this.decref();
    return result;
  }

  private startConnect(sa: SockaddrObj | null, socklen?: number): number {
    let fd = this.getFd();
    let r: number;
    if (fd >= 0) r = sa ? transport.startConnect(fd, sa, socklen) : 0;
    else {
      // Without a descriptor, the bufferevent makes (and owns) one.
      const made = sa ? transport.connectNew(sa, socklen) : -1;
      if (made === -1) return -1;
      fd = made.fd;
      r = made.r;
    }
    if (r < 0) return -1;
    this.setFd(fd);
    if (r === 0) {
      if (this.arm(EV_WRITE) < 0) return -1;
      this.connecting = true;
    } else if (r === 1) {
      // Connected at once: the write event reports it (CONNECTED), and a deferred writecb follows.
      this.connecting = true;
      this.triggerNolock(EV_WRITE, BEV_OPT_DEFER_CALLBACKS);
    } else {
      // Refused at once: an error, delivered from the loop.
      this.runEventcb(BEV_EVENT_ERROR, BEV_OPT_DEFER_CALLBACKS);
      this.disable(EV_READ | EV_WRITE);
    }
    return 0;
  }

  /** bufferevent_socket_connect_hostname: -1 for a bad family or port; other failures reach the eventcb. */
  connectHostname(dns: DnsBase | null, family: number, host: string, port: number): number {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNSPEC) return -1;
    if (port < 1 || port > 65535) return -1;
    this.dnsError = 0;
    this.suspendWrite(Suspend.LOOKUP);
    this.suspendRead(Suspend.LOOKUP);
    this.incref();
    let live = true;
    const pending = resolveHost(this.base, dns, host, port, family, (err, res) => {
      // A lookup cancelled by free or setfd was accounted for then.
      if (!live) return;
      live = false;
      this.lookup = null;
      this.lookupDone(err, res ? res.ai_addr : null);
    });
    if (live && pending)
      this.lookup = {
        cancel() {
          live = false;
          pending.cancel();
        },
      };
    return 0;
  }

  private lookupDone(err: number, sa: SockaddrObj | null): void {
    this.unsuspendWrite(Suspend.LOOKUP);
    this.unsuspendRead(Suspend.LOOKUP);
    if (err) {
      this.dnsError = err;
      if (err !== EVUTIL_EAI_CANCEL) this.runEventcb(BEV_EVENT_ERROR, 0);
    } else if (this.connect(sa) < 0) this.runEventcb(BEV_EVENT_ERROR, 0);
    this.decref();
  }

  private cancelLookup(): void {
    const l = this.lookup;
    if (!l) return;
    this.lookup = null;
    l.cancel();
    this.lookupDone(EVUTIL_EAI_CANCEL, null);
  }

  // ---- the rest of the ops ----

  override getFd(): number {
    return this.readEv.fd;
  }

  /** be_socket_setfd: new events on fd; like libevent it leaves both buffers unfrozen. */
  override setFd(fd: number): number {
    this.delRead();
    this.delWrite();
    this.input.unfreeze(false);
    this.output.unfreeze(true);
    this.assignEvents(fd);
    if (fd >= 0) this.enable(this.enabled);
    this.cancelLookup();
    return 0;
  }

  override setPriority(pri: number): number {
    const base = this.base;
    if (pri < 0 || pri >= base.npriorities) return -1;
    if (base.isActive(this.readEv) || base.isActive(this.writeEv)) return -1;
    this.readEv.priority = pri;
    this.writeEv.priority = pri;
    this.deferredPriority = pri;
    return 0;
  }

  /** bufferevent_base_set: moves the bufferevent's events to another base while none is pending. */
  override setBase(base: EventBase): number {
    if (
      this.readEv.inserted ||
      this.writeEv.inserted ||
      this.base.isActive(this.readEv) ||
      this.base.isActive(this.writeEv)
    )
      return -1;
    this.base = base;
    this.assignEvents(this.getFd());
    return 0;
  }

  /** Socket flush does nothing: the stream takes bytes as fast as the kernel does. */
  override flush(): number {
    return 0;
  }

  /** bufferevent_free: a pending lookup ends now, so nothing outlives the free. */
  override cancelAll(): void {
    this.cancelLookup();
  }

  override destruct(): void {
    const fd = this.getFd();
    this.stream = null;
    if (this.options & BEV_OPT_CLOSE_ON_FREE && fd >= 0) transport.closeFd(fd);
  }
}
