// The pre-2.0 "current base": event_init() sets it, and a NULL base handed to
// event_set, bufferevent_new and friends means this one.
import type { EventBase } from "./event_base.js";

let current: EventBase | null = null;

export function setCurrentBase(b: EventBase | null): void {
  current = b;
}

export function getCurrentBase(): EventBase | null {
  return current;
}
