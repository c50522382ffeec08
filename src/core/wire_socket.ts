// A wire over a Node stream: a net.Socket the program handed over, or a
// pipe or TTY the library wrapped. Node's stream machinery does the moving;
// its write callbacks tell when queued bytes have gone.
import type { Socket } from "node:net";
import { errnoOf } from "./net_handles.js";
import type { Wire, WireOwner } from "./wire.js";

const EMPTY = Buffer.alloc(0);

export class SocketWire implements Wire {
  /** A write carrying `done` is still in Node's queue. */
  private awaitingFlush = false;
  private readonly done = (err?: Error | null) => {
    this.awaitingFlush = false;
    if (!err) this.owner.flushed();
  };

  constructor(
    private readonly sock: Socket,
    private readonly owner: WireOwner,
  ) {
    sock.on("data", (b: Buffer) => {
      if (!owner.arrived(b)) sock.pause();
    });
    sock.on("end", () => owner.ended());
    sock.on("error", (e) => owner.fail(errnoOf(e)));
  }

  get queued(): number {
    return this.sock.writableLength;
  }

  /** A net.Socket reports every failure later, as an 'error' event. */
  write(b: Uint8Array, notify: boolean): number {
    // A callback on every write would cost Node a tick and an object each time.
    const ask = notify && !this.awaitingFlush;
    if (ask) this.awaitingFlush = true;
    this.sock.write(b, ask ? this.done : undefined);
    return 0;
  }

  notifyWhenFlushed(): void {
    if (this.awaitingFlush) return;
    // An empty write completes after everything queued before it.
    this.awaitingFlush = true;
    this.sock.write(EMPTY, this.done);
  }

  cork(): void {
    this.sock.cork();
  }

  uncork(): void {
    this.sock.uncork();
  }

  resume(): void {
    this.sock.resume();
  }

  end(): void {
    this.sock.end();
  }

  close(reset: boolean): void {
    const sock = this.sock;
    sock.removeAllListeners("data");
    if (reset) sock.resetAndDestroy();
    else if (sock.writableLength > 0) {
      sock.pause();
      if (sock.writableEnded) sock.once("finish", () => sock.destroy());
      else sock.end(() => sock.destroy());
    } else sock.destroy();
  }
}
