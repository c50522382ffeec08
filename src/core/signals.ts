// POSIX signals through Node's process signal events, delivered as libevent
// delivers them. Its handler only counts; the loop later runs an internal
// priority-0 callback that activates every event watching each caught signal
// (ascending signal numbers, newest event first) with ncalls = the count.
// One process listener per signal number exists while any event watches it.
import { constants } from "node:os";
import type { Event } from "./event.js";
import type { IoSource } from "./io_source.js";
import { warn } from "./log.js";

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
    let w = watchers.get(sig);
    if (!w) {
      const events: Event[] = [];
      // One count per delivery for each base that has an event on it.
      const listener = () => {
        events.forEach((e, i) => {
          if (events.findIndex((o) => o.base === e.base) === i) e.base!.signalCaught(sig);
        });
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
