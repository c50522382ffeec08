// How an event on a descriptor learns of readiness. Whatever owns a
// descriptor (a managed socket, a pipe, a bufferevent's transport) implements
// IoSource: it is told which events want EV_READ/EV_WRITE/EV_CLOSED and
// activates them on their base when Node reports the condition, as epoll
// would report it to libevent.
import type { Event } from "./event.js";

export interface IoSource {
  /** Starts reporting readiness for `ev` (its `events` say which); false if it cannot. */
  watch(ev: Event): boolean;
  /** Stops reporting readiness for `ev`. */
  unwatch(ev: Event): void;
  /**
   * The poll step for a level-triggered `ev` (just added, or just run):
   * activates it if the descriptor is still ready, as the next epoll_wait
   * would report it, together with the other events of its base waiting for
   * that poll on the same descriptor, and clears their `pollQueued`.
   * Sources that only ever report edges leave it out.
   */
  recheck?(ev: Event): void;
}

const byFd = new Map<number, IoSource>();

/** Makes `fd` watchable by events (the descriptor layer registers what it manages). */
export function registerFd(fd: number, src: IoSource): void {
  byFd.set(fd, src);
}

export function unregisterFd(fd: number, src?: IoSource): void {
  if (!src || byFd.get(fd) === src) byFd.delete(fd);
}

// The descriptor layer answers for descriptors nobody registered yet (a real
// fd inherited or opened outside the library), adopting them on first sight.
let resolver: ((fd: number) => IoSource | null) | null = null;

export function setFdResolver(r: (fd: number) => IoSource | null): void {
  resolver = r;
}

export function lookupFd(fd: number): IoSource | undefined {
  return byFd.get(fd) ?? resolver?.(fd) ?? undefined;
}

// Kernel work a program's own call started that C finishes before the call
// returns: a shutdown's FIN (with nothing queued before it) leaves through
// libuv a moment later. A non-blocking poll waits for that work, so it sees
// the peer's EOF as epoll_wait(0) would.
let unsettled = 0;
let onSettled: (() => void)[] = [];

export function unsettle(): void {
  unsettled++;
}

export function settle(): void {
  if (--unsettled > 0) return;
  const waiters = onSettled;
  onSettled = [];
  for (const w of waiters) w();
}

/** Resolves once no such work is under way; null if none is. */
export function whenSettled(): Promise<void> | null {
  return unsettled === 0 ? null : new Promise((resolve) => onSettled.push(resolve));
}
