// A wire over a connected libuv stream handle (tcp_wrap's TCP, pipe_wrap's
// Pipe), driven the way Node's own net.Socket drives it underneath, without
// the stream machinery above: a read lands in memory the conduit chooses, a
// write goes to the kernel at once (libuv tries the write before queueing
// it), and only a write the kernel could not take whole keeps a request
// object and its bytes until libuv completes it. For a connection that
// exchanges small messages this saves Node's per-write and per-read objects
// and the stream state of every socket.
import { readSync } from "node:fs";
import { EAGAIN, EINTR } from "../libc/errno.js";
import { binding, type StreamHandle } from "./net_handles.js";
import { settle, unsettle } from "./io_source.js";
import type { Wire, WireOwner } from "./wire.js";

interface WriteReq {
  handle: StreamHandle;
  oncomplete: (this: WriteReq, status: number) => void;
  wire: HandleWire;
  /** The bytes of a write still in libuv's queue, kept alive until it completes. */
  data: Uint8Array | Uint8Array[] | null;
}

interface ShutdownReq {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
}

const streamWrap = binding("stream_wrap");
const WriteWrap: new () => WriteReq = streamWrap.WriteWrap;
const ShutdownWrap: new () => ShutdownReq = streamWrap.ShutdownWrap;
/** Where StreamBase leaves a call's results: read counts, and whether a write was queued. */
const state: Int32Array = streamWrap.streamBaseState;
const kReadBytesOrError: number = streamWrap.kReadBytesOrError;
const kLastWriteWasAsync: number = streamWrap.kLastWriteWasAsync;
const UV_EOF: number = binding("uv").UV_EOF;

const noop = () => {};
/** Where readNow lands: never the buffer libuv reads into next, nor one a conduit keeps. */
const SYNC_READ = Buffer.allocUnsafe(65536);

function writeDone(this: WriteReq, status: number): void {
  this.data = null;
  this.wire.completed(status);
}

export class HandleWire implements Wire {
  private corked = 0;
  private corkQ: Uint8Array[] = [];
  private corkLen = 0;
  /** A request object no write holds: a write the kernel takes at once leaves it unused. */
  private spare: WriteReq | null = null;
  /**
   * Writes libuv queued and has not completed: with none, its write queue
   * is empty, so `queued` need not ask the handle (a C++ accessor) each time.
   */
  private inFlight = 0;
  /** The buffer the handle reads into now (the conduit's to choose). */
  private buf: Buffer;
  private closed = false;
  /** A shutdown is under way; close once it completes. */
  private shutting = false;
  private closeAfterShutdown = false;
  /** Closed by the program with writes still queued: the handle stays until they have gone. */
  private lingering = false;

  constructor(
    private readonly h: StreamHandle,
    private readonly owner: WireOwner,
  ) {
    this.buf = owner.readBuffer();
    h.onread = () => this.onRead();
    h.useUserBuffer(this.buf);
    const r = h.readStart();
    if (r < 0) this.failSoon(r);
  }

  /** StreamBase's read callback: returns the buffer the next read lands in. */
  private onRead(): Uint8Array | undefined {
    const n = state[kReadBytesOrError];
    if (n > 0) {
      if (!this.owner.received(n, this.buf)) this.h.readStop();
      return (this.buf = this.owner.readBuffer());
    }
    if (n === UV_EOF) this.owner.ended();
    else if (n < 0) this.fail(n);
    return undefined;
  }

  get queued(): number {
    if (this.closed) return 0;
    return this.inFlight > 0 ? this.h.writeQueueSize + this.corkLen : this.corkLen;
  }

  write(b: Uint8Array, _notify: boolean): number {
    if (this.closed) return 0;
    if (this.corked > 0) {
      this.corkQ.push(b);
      this.corkLen += b.length;
      return 0;
    }
    const req = this.request();
    const err = this.h.writeBuffer(req, b);
    this.dispatched(req, err, b);
    return err < 0 ? err : 0;
  }

  /** Every write libuv had to queue reports its completion (flushed()), so there is nothing to ask for. */
  notifyWhenFlushed(): void {}

  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked > 0 && --this.corked === 0) this.sendCorked();
  }

  /** Ends every cork at once (before a FIN or a close). */
  private uncorkAll(): void {
    this.corked = 0;
    this.sendCorked();
  }

  private sendCorked(): void {
    const q = this.corkQ;
    if (q.length === 0 || this.closed) return;
    this.corkQ = [];
    this.corkLen = 0;
    const req = this.request();
    const err = q.length === 1 ? this.h.writeBuffer(req, q[0]) : this.h.writev(req, q, true);
    this.dispatched(req, err, q);
  }

  private request(): WriteReq {
    let req = this.spare;
    if (req === null) {
      req = new WriteWrap();
      req.handle = this.h;
      req.oncomplete = writeDone;
      req.wire = this;
      req.data = null;
      this.spare = req;
    }
    return req;
  }

  /** After writeBuffer/writev: a queued write keeps its request and bytes; a failed one is reported. */
  private dispatched(req: WriteReq, err: number, data: Uint8Array | Uint8Array[]): void {
    if (err < 0) return this.failSoon(err);
    if (state[kLastWriteWasAsync]) {
      req.data = data;
      this.spare = null;
      this.inFlight++;
    }
  }

  /** A queued write completed (status < 0: it failed, or was cancelled by close). */
  completed(status: number): void {
    this.inFlight--;
    if (this.closed) {
      if (!this.lingering) return;
      if (status < 0) this.abort();
      else if (this.h.writeQueueSize === 0) {
        this.lingering = false;
        this.h.readStop();
        this.h.close();
      }
      return;
    }
    if (status < 0) this.fail(status);
    else this.owner.flushed();
  }

  resume(): void {
    if (!this.closed) this.h.readStart();
  }

  readNow(): void {
    if (this.closed) return;
    let n: number;
    try {
      n = readSync(this.h.fd, SYNC_READ, 0, SYNC_READ.length, null);
    } catch (err) {
      const e = -((err as { errno?: number }).errno ?? -EAGAIN);
      if (e !== EAGAIN && e !== EINTR) this.fail(-e);
      return;
    }
    if (n === 0) this.owner.ended();
    else if (!this.owner.received(n, SYNC_READ)) this.h.readStop();
  }

  end(): void {
    if (this.closed || this.shutting) return;
    this.uncorkAll();
    this.shutting = this.shutdown();
  }

  /**
   * uv_shutdown: libuv sends the FIN after the queued writes. False if it
   * refused. With nothing queued, a poll waits for the FIN, which shutdown(2)
   * would have sent at once; behind queued bytes the peer sees them first anyway.
   */
  private shutdown(): boolean {
    const req = new ShutdownWrap();
    req.handle = this.h;
    const awaited = this.h.writeQueueSize === 0;
    req.oncomplete = () => {
      this.shutting = false;
      if (awaited) settle();
      if (this.closeAfterShutdown) this.h.close();
    };
    if (this.h.shutdown(req) !== 0) return false;
    if (awaited) unsettle();
    return true;
  }

  close(reset: boolean): void {
    if (this.closed) return;
    const h = this.h;
    if (!reset) this.uncorkAll();
    this.closed = true;
    if (reset) return this.abort();
    if (this.shutting) {
      // The FIN is on its way: the handle closes once it has gone.
      h.readStop();
      this.closeAfterShutdown = true;
    } else if (h.writeQueueSize > 0) {
      // Queued bytes still go, then the handle closes (the kernel sends the
      // FIN). Meanwhile the descriptor is closed as far as the peer's bytes
      // go: any that arrive, or were waiting unread, get Linux's answer to
      // data for a closed socket, an RST, so the peer's next write fails.
      this.lingering = true;
      h.onread = () => {
        if (state[kReadBytesOrError] > 0) this.abort();
        return undefined;
      };
      h.readStart();
    } else {
      h.readStop();
      h.close();
    }
  }

  /** Closes at once, with an RST where the handle can send one (TCP), dropping what was queued. */
  private abort(): void {
    const h = this.h;
    this.lingering = false;
    h.readStop();
    if (!(h.reset && h.reset(noop) === 0)) h.close();
  }

  /** The connection failed (status: a negative libuv code, -errno): the handle goes, as Node destroys a socket. */
  private fail(status: number): void {
    if (this.closed) return;
    this.closed = true;
    this.h.readStop();
    this.h.close();
    this.owner.fail(-status);
  }

  /** A failure found inside the program's own call is reported after it, as Node reports it. */
  private failSoon(status: number): void {
    process.nextTick(() => this.fail(status));
  }
}
