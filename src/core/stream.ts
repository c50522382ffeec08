// The contract between the descriptor layer (which owns OS descriptors and
// the Node objects behind them) and everything that moves bytes over them:
// the socket bufferevent, evbuffer_read/evbuffer_write, and the libc calls
// recv/send/read/write. One object per connected stream descriptor, so a
// descriptor handed from accept() to bufferevent_socket_new() keeps every
// byte it had already received.
//
// It behaves like a non-blocking socket seen through epoll: reads take what
// has arrived, writes take what fits, and readiness is reported to the Events
// watching it (IoSource) as EV_READ / EV_WRITE / EV_CLOSED activations.
import type { Chunk } from "./chunk.js";
import type { IoSource } from "./io_source.js";

export interface StreamDescriptor extends IoSource {
  /** The descriptor number (the real OS fd where Node exposes one). */
  readonly fd: number;

  /** Bytes that have arrived and wait to be read (FIONREAD). */
  readonly pending: number;

  /**
   * Takes up to `max` arrived bytes without copying when it can.
   * Returns an evbuffer chunk full of them, the caller's from now on (a
   * bufferevent links it into its input as it is); 0 at end of stream (peer
   * shut down writing, nothing left queued); or a negative errno: -EAGAIN
   * when nothing waits, -ECONNRESET etc. after an error.
   */
  read(max: number): Chunk | number;

  /**
   * Offers bytes for sending, like write(2) on a non-blocking socket: returns
   * how many it accepted (possibly fewer than offered, 0 < n), -EAGAIN when it
   * can take nothing now, or another negative errno (-EPIPE, -ECONNRESET,
   * -ENOTCONN). Accepted bytes are the stream's responsibility: they are
   * delivered or their failure is reported by a later read/write error.
   * The caller may reuse `data`'s memory as soon as this returns, unless it
   * passes `lent`: then the stream may keep the view instead of copying it,
   * and if `unflushed` is not 0 after the call, the caller leaves those bytes
   * unchanged for good (a write the kernel takes at once, the common case,
   * keeps nothing).
   */
  write(data: Uint8Array, lent?: boolean): number;

  /** writev: what write accepts of each vector in turn, sent with one system call where Node can. */
  writev(vecs: Uint8Array[], lent?: boolean): number;

  /** Bytes accepted by write() that Node has not yet handed to the kernel. */
  readonly unflushed: number;

  /** shutdown(2): 0 or a negative errno. */
  shutdown(how: number): number;

  /** close(2): releases the descriptor and its Node handle at once. */
  close(): void;

  /**
   * A non-blocking connect is under way: resolves through readiness (EV_WRITE
   * when it completes or fails) and `connectError` (0 on success, the errno
   * on failure, as getsockopt(SO_ERROR) reports it).
   */
  readonly connecting: boolean;
  readonly connectError: number;
}
