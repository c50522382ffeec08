// A descriptor the library manages, and the table of their numbers.
//
// Every descriptor reports readiness to the events watching it as epoll
// reports it to libevent: it says what epoll_wait would return for it now
// (poll()), and tells its watchers when Node reports something new
// (notify()). Events without EV_ET are level-triggered: after such an
// event's callback has run, its base's next poll asks the descriptor again
// (recheck()), so a callback that leaves bytes unread runs again in the next
// pass, as epoll_wait would report it; the loop still gives Node its turn
// every few milliseconds, so other I/O is not starved.
//
// evbuffer_read and evbuffer_write on a managed descriptor go through it too.
//
// Numbers: a descriptor takes its real OS descriptor number where one exists
// and is free in the table; otherwise (a socket() not yet bound or
// connected, or an OS number still held by a descriptor the program has not
// closed) a number from above the kernel's limit (fs.nr_open), which no real
// descriptor can have.
import { readFileSync } from "node:fs";
import { CbState } from "./callback.js";
import type { Event } from "./event.js";
import { EV_CLOSED, EV_ET, EV_READ, EV_WRITE } from "./flags.js";
import { registerFd, unregisterFd, type IoSource } from "./io_source.js";
import { setDescriptorLookup, setLastErrno, type DescriptorIO } from "./evbuffer_fd.js";
import { warn } from "./log.js";
import { set_errno } from "../libc/errno.js";

/**
 * The warning libevent's epoll backend logs when epoll_ctl(EPOLL_CTL_ADD)
 * refuses an event's descriptor (a regular file: EPERM; a closed one: EBADF),
 * word for word: the epoll_event bits as a signed int, then each change.
 */
export function epollAddFailure(fd: number, events: number, error: string): string {
  const et = events & EV_ET ? 0x20 : 0;
  const change = (wanted: number): number => (events & wanted ? 1 | et : 0);
  const bits =
    (events & EV_READ ? POLLIN : 0) |
    (events & EV_WRITE ? POLLOUT : 0) |
    (events & EV_CLOSED ? 0x2000 : 0) |
    (et ? 0x80000000 : 0);
  const part = (what: string, c: number): string =>
    `${what} change was ${c} (${c & 1 ? "add" : "none"})`;
  return (
    `Epoll ADD(${bits | 0}) on fd ${fd} failed. Old events were 0; ` +
    `${part("read", change(EV_READ))}; ${part("write", change(EV_WRITE))}; ` +
    `${part("close", change(EV_CLOSED))}: ${error}`
  );
}

// The bits of epoll_event.events.
export const POLLIN = 0x001;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLRDHUP = 0x2000;

/**
 * What an event with `events` receives for epoll's `mask`, as libevent's
 * epoll backend maps it: an error, or a hang-up without RDHUP, is readable
 * and writable; otherwise each bit counts (a hang-up after the peer's EOF
 * still reports EV_CLOSED).
 */
export function resultFor(events: number, mask: number): number {
  let r = 0;
  if (mask & POLLERR || (mask & POLLHUP && !(mask & POLLRDHUP))) r = EV_READ | EV_WRITE;
  else {
    if (mask & POLLIN) r |= EV_READ;
    if (mask & POLLOUT) r |= EV_WRITE;
    if (mask & POLLRDHUP) r |= EV_CLOSED;
  }
  r &= events;
  return r && events & EV_ET ? r | EV_ET : r;
}

// Changes the program's own calls cause (a shutdown, a close) are reported
// after Node's next I/O phase, as the next epoll_wait would see them.
let soonQueue: (() => void)[] = [];

function soon(fn: () => void): void {
  if (soonQueue.push(fn) === 1)
    setImmediate(() => {
      const q = soonQueue;
      soonQueue = [];
      for (const f of q) f();
    });
}

export abstract class Descriptor implements IoSource {
  fd = -1;
  /** O_NONBLOCK, as fcntl sets it. */
  nonblock = false;
  /** FD_CLOEXEC, as fcntl sets it (recorded only: Node opens every descriptor close-on-exec). */
  cloexec = false;
  closed = false;
  /** Watching events, oldest first; libevent activates the newest first. */
  private watchers: Event[] = [];

  /** What epoll_wait would report for this descriptor now (POLL* bits). */
  abstract poll(): number;

  /** Why epoll_ctl would refuse this descriptor (its strerror text), or null. */
  protected refusal(): string | null {
    return null;
  }

  /** Starts whatever Node work reporting readiness to `ev` needs; a message if Node cannot. */
  protected startWatching(ev: Event): string | null {
    void ev;
    return null;
  }

  /** Bytes that have arrived and wait to be read. */
  abstract readonly pending: number;

  /** recv/read into `dst`: the count, 0 at end of stream, or a negative errno. */
  abstract readInto(dst: Uint8Array, peek: boolean): number;

  /** send/write: the count accepted, or a negative errno. */
  abstract write(data: Uint8Array, lent?: boolean): number;

  /** writev: what write accepts of each vector in turn, up to the first short or failed one. */
  writev(vecs: Uint8Array[], lent?: boolean): number {
    let n = 0;
    for (const v of vecs) {
      const r = this.write(v, lent);
      if (r < 0) return n > 0 ? n : r;
      n += r;
      if (r < v.length) break;
    }
    return n;
  }

  watch(ev: Event): boolean {
    const refused = this.closed ? "Bad file descriptor" : this.refusal();
    if (refused) {
      warn(epollAddFailure(ev.fd, ev.events, refused));
      return false;
    }
    const why = this.startWatching(ev);
    if (why) {
      warn(`event_add: cannot watch fd ${ev.fd}: ${why}`);
      return false;
    }
    const before = this.interest(ev.base);
    this.watchers.push(ev);
    // A descriptor that is ready when added is reported by the next poll. For
    // EV_ET that takes an epoll_ctl: only an event asking for something new
    // makes one, and it re-arms the base's whole entry for this descriptor.
    if (ev.events & EV_ET && !(this.interest(ev.base) & ~before)) return true;
    ev.base?.pollSoon(ev);
    if (ev.events & EV_ET)
      for (let i = this.watchers.length - 2; i >= 0; i--) {
        const w = this.watchers[i];
        if (w.base === ev.base && w.events & EV_ET) w.base?.pollSoon(w); // newest first, as libevent activates them
      }
    return true;
  }

  unwatch(ev: Event): void {
    // In place: splice would allocate the removed element's array on every event_del.
    const w = this.watchers;
    const i = w.indexOf(ev);
    if (i < 0) return;
    for (let j = i + 1; j < w.length; j++) w[j - 1] = w[j];
    w.pop();
  }

  /**
   * Activates `ev` if it is idle, still watching, and this descriptor is
   * ready for it. epoll reports a descriptor once for all its events, which
   * libevent activates newest first, so the other events of ev's base
   * waiting for this poll are rechecked with it, in that order.
   */
  recheck(ev: Event): void {
    if (this.closed) return;
    const level = this.poll();
    const w = this.watchers;
    for (let i = w.length - 1; i >= 0; i--) {
      const e = w[i];
      if (e !== ev && !(e.pollQueued && e.base === ev.base)) continue;
      e.pollQueued = false;
      if (!e.inserted || e.io !== this || e.state !== CbState.Idle) continue;
      const res = resultFor(e.events, level);
      if (res) e.base?.activate(e, res);
    }
  }

  /**
   * Node reported something: `edge` holds what newly happened (bytes or a
   * connection arrived, room to write returned, the peer shut down, an error).
   * Level-triggered watchers get the current readiness. EV_ET ones get it too
   * when epoll would wake their base's entry for this descriptor (one entry
   * per descriptor and base, for all its events): on a change of state (EOF,
   * hang-up, error), or on news its events ask for.
   */
  protected notify(edge: number): void {
    if (this.closed) return;
    const level = this.poll();
    for (let i = this.watchers.length - 1; i >= 0; i--) {
      const ev = this.watchers[i];
      const res = this.wakes(ev, edge) ? resultFor(ev.events, level) : 0;
      if (res) ev.base?.activate(ev, res);
    }
  }

  /** Whether news `edge` wakes `ev`: always if level-triggered; for EV_ET, as its epoll entry would. */
  private wakes(ev: Event, edge: number): boolean {
    if (!(ev.events & EV_ET) || edge & (POLLRDHUP | POLLHUP | POLLERR)) return true;
    return (edge & this.interest(ev.base)) !== 0;
  }

  /** The POLL* bits the events of `base` on this descriptor ask epoll for. */
  private interest(base: Event["base"]): number {
    let m = 0;
    for (const w of this.watchers)
      if (w.base === base)
        m |=
          (w.events & EV_READ ? POLLIN : 0) |
          (w.events & EV_WRITE ? POLLOUT : 0) |
          (w.events & EV_CLOSED ? POLLRDHUP : 0);
    return m;
  }

  /** A change caused by the program's own call: reported in the next pass, not this one. */
  protected notifySoon(edge: number): void {
    soon(() => this.notify(edge));
  }

  /**
   * A change caused by the program's own call, reported by the loop's next
   * poll between passes (pollSoon), as epoll_wait would report it, with no
   * Node turn in between.
   */
  protected notifyNextPoll(edge: number): void {
    if (this.closed) return;
    for (const ev of this.watchers) if (this.wakes(ev, edge)) ev.base?.pollSoon(ev);
  }

  /** close(2): the number leaves the table; subclasses release their Node objects too. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (table.get(this.fd) === this) table.delete(this.fd);
    unregisterFd(this.fd, this);
  }
}

const table = new Map<number, Descriptor>();

// RLIMIT_NOFILE as the program set it (setrlimit). Node's own descriptors are
// not the program's, so the limit bounds the descriptors a C program would
// hold: the managed ones (stdio included) and each event base's own
// (libevent's epoll descriptor and signal pipe). A call that would open one
// beyond it fails with EMFILE, as the kernel refuses it.
let nofileLimit = Infinity;
let baseHeld = 0;

/** setrlimit(RLIMIT_NOFILE)'s soft limit; Infinity for none. */
export function setDescriptorLimit(n: number): void {
  nofileLimit = n;
}

/** An event base opening (n > 0) or closing (n < 0) its own descriptors. */
export function holdBaseDescriptors(n: number): void {
  baseHeld += n;
}

/** Whether `n` more descriptors fit under the RLIMIT_NOFILE the program set. */
export function descriptorRoom(n = 1): boolean {
  return nofileLimit === Infinity || table.size + baseHeld + n <= nofileLimit;
}

function firstVirtual(): number {
  try {
    return Math.max(Number(readFileSync("/proc/sys/fs/nr_open", "utf8")) || 0, 1 << 20);
  } catch {
    return 1 << 20;
  }
}

let nextVirtual = firstVirtual();

/** Enters `d` in the table under its real number `real` (if free) or a new virtual one. */
export function install(d: Descriptor, real = -1): number {
  const fd = real >= 0 && !table.has(real) ? real : nextVirtual++;
  d.fd = fd;
  table.set(fd, d);
  registerFd(fd, d);
  return fd;
}

/** The managed descriptor numbered `fd`, if any. */
export function managed(fd: number): Descriptor | undefined {
  return table.get(fd);
}

function failed(e: number): number {
  setLastErrno(e);
  set_errno(e);
  return -1;
}

/** evbuffer_read/evbuffer_write on the managed descriptors. */
const managedIO: DescriptorIO = {
  read(fd, vecs) {
    const d = table.get(fd)!;
    let n = 0;
    for (const v of vecs) {
      const r = d.readInto(v, false);
      if (r < 0) return n > 0 ? n : failed(-r);
      n += r;
      if (r < v.length) break;
    }
    return n;
  },
  write(fd, vecs) {
    const n = table.get(fd)!.writev(vecs);
    return n < 0 ? failed(-n) : n;
  },
  readable(fd) {
    return table.get(fd)!.pending;
  },
};

setDescriptorLookup((fd) => (table.has(fd) ? managedIO : null));
