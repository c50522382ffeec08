// POSIX signals through Node's process signal events. One process listener
// per signal number, installed while any event watches that signal; each
// delivery activates every watching event with one more call (ev_ncalls).
import { constants } from "node:os";
import type { Event } from "./event.js";
import { EV_SIGNAL } from "./flags.js";
import type { IoSource } from "./io_source.js";

const names = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(constants.signals)) names.set(num, name as NodeJS.Signals);

// Node refuses listeners for these (or they cannot be caught at all).
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

const watchers = new Map<number, { events: Set<Event>; listener: () => void }>();

export function signalName(sig: number): NodeJS.Signals | undefined {
  return names.get(sig);
}

export const signalSource: IoSource = {
  watch(ev: Event): boolean {
    const name = names.get(ev.fd);
    if (!name || uncatchable.has(name)) return false;
    let w = watchers.get(ev.fd);
    if (!w) {
      const events = new Set<Event>();
      const listener = () => {
        for (const e of [...events]) e.base.activate(e, EV_SIGNAL, 1);
      };
      w = { events, listener };
      watchers.set(ev.fd, w);
      process.on(name, listener);
    }
    w.events.add(ev);
    return true;
  },
  unwatch(ev: Event): void {
    const w = watchers.get(ev.fd);
    if (!w) return;
    w.events.delete(ev);
    if (w.events.size === 0) {
      process.removeListener(names.get(ev.fd)!, w.listener);
      watchers.delete(ev.fd);
    }
  },
};
