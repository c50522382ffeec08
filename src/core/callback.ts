// The unit the scheduler runs: libevent's `struct event_callback`. Events,
// deferred callbacks and the loop's own internal work are all Callbacks, so
// one active queue per priority orders them all, FIFO.

/** Where a callback currently is. */
export const enum CbState {
  Idle = 0,
  /** In its priority's active queue (EVLIST_ACTIVE). */
  Active = 1,
  /** Queued for the next loop pass (EVLIST_ACTIVE_LATER). */
  ActiveLater = 2,
}

export abstract class Callback {
  state: CbState = CbState.Idle;
  priority = 0;
  /** EVLIST_INTERNAL: the library's own work, left out of event counts and of EVLOOP_ONCE's "something ran". */
  internal = false;
  // Intrusive doubly-linked list links: O(1) removal, no allocation per activation.
  next: Callback | null = null;
  prev: Callback | null = null;
  /** The active queue it is on: its priority may change while it waits there. */
  queue: CallbackQueue | null = null;
  /** Runs the callback; called by the base with the callback already dequeued. */
  abstract run(): void;
}

/**
 * A deferred callback (libevent's `event_deferred_cb`): a function the loop
 * runs at `priority`. Left at -1, the base's deferredPriority (npriorities/2)
 * is taken when it is scheduled; libevent fixes it when the owner is created.
 */
export class Deferred extends Callback {
  override priority = -1;
  constructor(public fn: () => void) {
    super();
  }
  run(): void {
    this.fn();
  }
}

/** FIFO of callbacks linked through their own fields. */
export class CallbackQueue {
  head: Callback | null = null;
  tail: Callback | null = null;
  length = 0;

  push(cb: Callback): void {
    cb.next = null;
    cb.prev = this.tail;
    if (this.tail) this.tail.next = cb;
    else this.head = cb;
    this.tail = cb;
    this.length++;
  }

  shift(): Callback | null {
    const cb = this.head;
    if (cb) this.remove(cb);
    return cb;
  }

  remove(cb: Callback): void {
    if (cb.prev) cb.prev.next = cb.next;
    else this.head = cb.next;
    if (cb.next) cb.next.prev = cb.prev;
    else this.tail = cb.prev;
    cb.next = cb.prev = null;
    this.length--;
  }
}
