// Descriptors the library did not create: pipes and FIFOs, a TTY, regular
// files (stdin, stdout and stderr among them).
//
// Reading and writing use Node's synchronous fs calls, as C's blocking read
// and write would, so output keeps its order with printf. Readiness to read
// needs a libuv watcher: the first EV_READ/EV_CLOSED event on a pipe or TTY
// (or a read after O_NONBLOCK was set) wraps it, lazily, in a net.Socket or a
// tty.ReadStream, whose arrivals then queue here and are what read() returns.
// A pipe or TTY is taken to be always writable. Regular files are refused as
// epoll refuses them (epoll_ctl fails with EPERM), so event_add returns -1.
import { Socket } from "node:net";
import { closeSync, readSync, writeSync } from "node:fs";
import { ReadStream } from "node:tty";
import { ownedChunk, type Chunk } from "./chunk.js";
import { Descriptor, POLLOUT } from "./descriptor.js";
import type { Event } from "./event.js";
import { EV_CLOSED, EV_READ } from "./flags.js";
import { errnoOf } from "./net_handles.js";
import type { StreamDescriptor } from "./stream.js";
import { NetConduit, type Bounds } from "./stream_net.js";
import { SocketWire } from "./wire_socket.js";
import { EINVAL, ENOTSOCK } from "../libc/errno.js";

export type OsKind = "pipe" | "tty" | "file";

/** A pipe's capacity on Linux: what a wrapped pipe queues before pausing. */
const PIPE_BOUNDS: Bounds = { rcvBound: 65536, sndBound: 65536 };

/**
 * The standard descriptors (0-2) the program closed. Node keeps writing to
 * them and libuv aborts the process if one of its own pipes ever gets such a
 * number, so close(0..2) leaves the OS descriptor open and only marks it: the
 * program's calls on it then fail with EBADF, as on a closed descriptor.
 */
export const closedStdio = new Set<number>();

export class OsDescriptor extends Descriptor implements StreamDescriptor {
  private conduit: NetConduit | null = null;
  /** Why Node could not wrap this descriptor, once it failed to. */
  private wrapError = "";
  readonly connecting = false;
  readonly connectError = 0;
  readonly unflushed = 0;

  constructor(readonly kind: OsKind) {
    super();
  }

  protected override refusal(): string | null {
    // epoll_ctl refuses regular files (and /dev/null) with EPERM.
    return this.kind === "file" ? "Operation not permitted" : null;
  }

  /** Only reading needs a watcher: a pipe or TTY counts as always writable. */
  protected override startWatching(ev: Event): string | null {
    if (!(ev.events & (EV_READ | EV_CLOSED)) || this.wrap()) return null;
    return `Node cannot watch it (${this.wrapError})`;
  }

  /** The read side in Node's hands, made on first need; null if Node cannot wrap this descriptor. */
  private wrap(): NetConduit | null {
    if (this.conduit || this.wrapError) return this.conduit;
    try {
      const sock =
        this.kind === "tty"
          ? new ReadStream(this.fd)
          : new Socket({ fd: this.fd, readable: true, writable: false, allowHalfOpen: true });
      sock.unref();
      this.conduit = new NetConduit(this, PIPE_BOUNDS);
      this.conduit.attach(new SocketWire(sock, this.conduit));
    } catch (e) {
      this.wrapError = (e as Error).message;
    }
    return this.conduit;
  }

  changed(edge: number): void {
    this.notify(edge);
  }

  poll(): number {
    return (this.conduit?.poll() ?? 0) | POLLOUT;
  }

  get pending(): number {
    return this.conduit?.pending ?? 0;
  }

  /** Reads come from the wrapped queue once there is one (or O_NONBLOCK asks for one). */
  private queue(): NetConduit | null {
    return this.kind !== "file" && (this.conduit || this.nonblock) ? this.wrap() : null;
  }

  readInto(dst: Uint8Array, peek: boolean): number {
    const q = this.queue();
    if (q) return q.readInto(dst, peek);
    if (peek) return -ENOTSOCK;
    try {
      return readSync(this.fd, dst, 0, dst.length, null);
    } catch (e) {
      return -errnoOf(e);
    }
  }

  read(max: number): Chunk | number {
    const q = this.queue();
    if (q) return q.read(max);
    if (max < 1) return -EINVAL;
    const b = Buffer.allocUnsafe(Math.min(max, 65536));
    const n = this.readInto(b, false);
    return n <= 0 ? n : ownedChunk(b.subarray(0, n));
  }

  write(data: Uint8Array): number {
    try {
      return writeSync(this.fd, data);
    } catch (e) {
      return -errnoOf(e);
    }
  }

  shutdown(): number {
    return -ENOTSOCK;
  }

  override close(): void {
    if (this.closed) return;
    super.close();
    if (this.conduit) this.conduit.close(false);
    else if (this.fd <= 2) closedStdio.add(this.fd);
    else
      try {
        closeSync(this.fd);
      } catch {
        // C's close of a descriptor already gone: nothing left to release.
      }
  }
}
