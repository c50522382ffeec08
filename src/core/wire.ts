// What carries a conduit's bytes to and from the kernel: a libuv stream
// handle driven directly (the sockets the library makes), or a Node stream
// (a net.Socket the program handed over, a pipe, a TTY). NetConduit holds
// the socket semantics; a wire only moves bytes and reports what happened.

/** What a wire reports to (NetConduit). */
export interface WireOwner {
  /** Where the next read lands (a wire reading into memory of the owner's choosing). */
  readBuffer(): Buffer;
  /** `n` bytes were read into `buf` (from readBuffer); false: stop reading, the receive buffer is full. */
  received(n: number, buf: Buffer): boolean;
  /** A Buffer of arrived bytes, now the owner's; false: stop reading. */
  arrived(b: Buffer): boolean;
  /** The peer shut down writing (FIN). */
  ended(): void;
  /**
   * The connection failed with errno `e` (reset, broken pipe). `readsOnly`:
   * only a read reports `e` (an AF_UNIX peer closed with bytes unread);
   * writes get EPIPE.
   */
  fail(e: number, readsOnly?: boolean): void;
  /** Bytes the wire held went to the kernel: `queued` may have dropped. */
  flushed(): void;
}

export interface Wire {
  /** Bytes handed to write() and not yet in the kernel. */
  readonly queued: number;
  /**
   * Hands bytes over (the wire may keep `b` until they are sent).
   * `notify`: report flushed() once they have gone, if they do not go at once.
   * Returns 0, or -errno when the kernel refused them at once (the wire
   * then fails, as fail() says, after the call).
   */
  write(b: Uint8Array, notify: boolean): number;
  /** Report flushed() once what is queued now has gone. */
  notifyWhenFlushed(): void;
  /** Holds writes back until uncork, which sends them together (one writev). */
  cork(): void;
  uncork(): void;
  /** Reads again after received()/arrived() returned false and stopped them. */
  resume(): void;
  /**
   * Reads what the kernel holds right now, inside the program's own call, and
   * reports it as a read would: C's read(2) finds the bytes a send just put
   * there, before any loop turn. Optional: a Node stream cannot.
   */
  readNow?(): void;
  /** SHUT_WR: a FIN once every queued byte is sent. */
  end(): void;
  /** close(2): `reset` sends an RST; otherwise queued bytes still go, then a FIN. */
  close(reset: boolean): void;
}
