// POSIX signals through Node's process signal events, delivered as libevent
// delivers them. Its handler only counts; the loop later runs an internal
// priority-0 callback that activates every event watching each caught signal
// (ascending signal numbers, newest event first) with ncalls = the count.
// One process listener per signal number exists while any event watches it.
//
// As with libevent's epoll backend, one base at a time receives signals: the
// one that most recently added a signal event or started a loop with signal
// events added. A signal caught while that base has no event for it is lost.
import { constants } from "node:os";
import type { Event } from "./event.js";
import type { IoSource } from "./io_source.js";
import { warn } from "./log.js";
import { cformat } from "./printf.js";

/** Linux's NSIG: signal numbers are 1..64. */
export const NSIG = 65;

const names = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(constants.signals)) names.set(num, name as NodeJS.Signals);

// Node refuses listeners for these, or they cannot be caught at all.
const uncatchable = new Set([
  "SIGKILL",
  "SIGSTOP",
  "SIGVTALRM",
  "SIGPROF",
  "SIGSEGV",
  "SIGBUS",
  "SIGFPE",
  "SIGILL",
]);

/** Per signal: the watching events in the order they were added, and the listener. */
const watchers = new Map<number, { events: Event[]; listener: () => void }>();

type Base = NonNullable<Event["base"]>;

/** libevent's evsig_base: where caught signals go. */
let signalBase: Base | null = null;

function hasSignalEvents(base: Base): boolean {
  for (const w of watchers.values()) if (w.events.some((e) => e.base === base)) return true;
  return false;
}

/** A signal the process sends itself: delivered now, as libevent's handler would take it. False if no event watches it. */
export function raiseWatched(sig: number): boolean {
  const w = watchers.get(sig);
  if (!w) return false;
  w.listener();
  return true;
}

/** event_base_loop's start: a base with signal events added takes the signals. */
export function claimSignals(base: Base): void {
  if (hasSignalEvents(base)) signalBase = base;
}

/** event_base_free: a freed base receives nothing more. */
export function releaseSignals(base: Base): void {
  if (signalBase === base) signalBase = null;
}

export function signalName(sig: number): NodeJS.Signals | undefined {
  return names.get(sig);
}

/** The events watching `sig`, oldest first. */
export function signalWatchers(sig: number): readonly Event[] {
  return watchers.get(sig)?.events ?? [];
}

export const signalSource: IoSource = {
  watch(ev: Event): boolean {
    const sig = ev.fd;
    if (sig < 0 || sig >= NSIG) return false;
    const name = names.get(sig);
    if (!name || uncatchable.has(name)) {
      warn("sigaction: Invalid argument");
      return false;
    }
    const base = ev.base!;
    if (signalBase && signalBase !== base && hasSignalEvents(signalBase))
      warn(
        cformat(
          "Added a signal to event base %p with signals already added to event_base %p.  Only one can have signals at a time with the epoll backend.  The base with the most recently added signal or the most recent event_base_loop() call gets preference; do not rely on this behavior in future Libevent versions.",
          [base, signalBase],
        )!.toString(),
      );
    signalBase = base;
    let w = watchers.get(sig);
    if (!w) {
      const events: Event[] = [];
      const listener = () => {
        const b = signalBase;
        if (b && events.some((e) => e.base === b)) b.signalCaught(sig);
      };
      w = { events, listener };
      watchers.set(sig, w);
      process.on(name, listener);
    }
    w.events.push(ev);
    return true;
  },
  unwatch(ev: Event): void {
    const w = watchers.get(ev.fd);
    const i = w ? w.events.indexOf(ev) : -1;
    if (!w || i < 0) return;
    w.events.splice(i, 1);
    if (w.events.length === 0) {
      process.removeListener(names.get(ev.fd)!, w.listener);
      watchers.delete(ev.fd);
    }
  },
};
