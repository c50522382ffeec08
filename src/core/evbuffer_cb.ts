// Evbuffer callbacks: entries, the run over them, deferred runs.
//
// As in libevent 2.1.12 (buffer.c): every change of length adds to the
// buffer's n_added / n_deleted counters; after each operation the enabled
// callbacks run with { orig_size, n_added, n_deleted } accumulated since the
// previous run, newest entry first. On a buffer with deferred callbacks, only
// NODEFER entries run at once (without resetting the counters); the rest run
// once from the event loop with the sum.
import { CbState, Deferred } from "./callback.js";
import type { Evbuffer } from "./evbuffer.js";

export const CB_ENABLED = 1;
/** Runs at once even on a deferred-callback buffer (EVBUFFER_CB_NODEFER). */
export const CB_NODEFER = 2;
const CB_USER_FLAGS = 0xffff;

/** struct evbuffer_cb_info */
export interface CbInfo {
  orig_size: number;
  n_added: number;
  n_deleted: number;
}

export type CbFunc = (buf: any, info: CbInfo, arg: any) => void;
/** The pre-2.0 callback of evbuffer_setcb: (buf, old_len, new_len, arg). */
export type ObsoleteCbFunc = (buf: any, oldLen: number, newLen: number, arg: any) => void;

/** struct evbuffer_cb_entry */
export class CbEntry {
  next: CbEntry | null = null;
  prev: CbEntry | null = null;
  /** Still in its buffer's list. */
  linked = true;
  // evbuffer_cb_suspend bookkeeping (not compiled into libevent 2.1; see the face).
  suspended = false;
  sizeBeforeSuspend = 0;
  missedAdded = 0;
  missedDeleted = 0;

  constructor(
    readonly owner: Evbuffer,
    readonly cb: CbFunc | ObsoleteCbFunc,
    readonly cbarg: unknown,
    public flags: number,
    readonly obsolete: boolean,
  ) {}
}

/** The evbuffer-side view of an EventBase (the only part used here). */
export interface DeferredQueue {
  scheduleDeferred(d: Deferred): void;
  cancelDeferred(d: Deferred): void;
  readonly deferredPriority: number;
}

/** A bufferevent owning the buffer: referenced while a deferred run is pending. */
export interface EvbufferParent {
  incref(): void;
  decref(): void;
}

/** Adds an entry at the head of the list: newer callbacks run first. */
export function addEntry(buf: Evbuffer, e: CbEntry): CbEntry {
  e.next = buf.cbHead;
  if (buf.cbHead) buf.cbHead.prev = e;
  buf.cbHead = e;
  return e;
}

/** Unlinks an entry. Its `next` is kept so that a run in progress can step past it. */
export function unlinkEntry(buf: Evbuffer, e: CbEntry): void {
  if (!e.linked) return;
  e.linked = false;
  if (e.prev) e.prev.next = e.next;
  else buf.cbHead = e.next;
  if (e.next) e.next.prev = e.prev;
  e.prev = null;
}

export function removeAllEntries(buf: Evbuffer): void {
  for (let e = buf.cbHead; e; e = e.next) e.linked = false;
  buf.cbHead = null;
}

export function setEntryFlags(e: CbEntry, flags: number): void {
  e.flags |= flags & CB_USER_FLAGS;
}

export function clearEntryFlags(e: CbEntry, flags: number): void {
  e.flags &= ~(flags & CB_USER_FLAGS);
}

function call(buf: Evbuffer, e: CbEntry, info: CbInfo, newSize: number): void {
  if (e.obsolete) (e.cb as ObsoleteCbFunc)(buf, info.orig_size, newSize, e.cbarg);
  else (e.cb as CbFunc)(buf, info, e.cbarg);
}

/** evbuffer_run_callbacks */
export function runCallbacks(buf: Evbuffer, runningDeferred: boolean): void {
  let mask: number, want: number;
  let clear = true;
  if (runningDeferred) {
    mask = CB_NODEFER | CB_ENABLED;
    want = CB_ENABLED;
  } else if (buf.deferredCbs) {
    mask = CB_NODEFER | CB_ENABLED;
    want = CB_NODEFER | CB_ENABLED;
    clear = false;
  } else {
    mask = want = CB_ENABLED;
  }
  if (buf.cbHead === null) {
    buf.nAdd = buf.nDel = 0;
    return;
  }
  const nAdd = buf.nAdd;
  const nDel = buf.nDel;
  if (nAdd === 0 && nDel === 0) return;
  const newSize = buf.totalLen;
  const info: CbInfo = { orig_size: newSize + nDel - nAdd, n_added: nAdd, n_deleted: nDel };
  if (clear) buf.nAdd = buf.nDel = 0;
  let e: CbEntry | null = buf.cbHead;
  while (e) {
    const next: CbEntry | null = e.next;
    if (e.linked && (e.flags & mask) === want) {
      if (e.suspended) {
        e.missedAdded += nAdd;
        e.missedDeleted += nDel;
      } else call(buf, e, info, newSize);
    }
    e = next;
    // Skip entries unlinked by the callback just run.
    while (e && !e.linked) e = e.next;
  }
}

/** evbuffer_invoke_callbacks_: after every operation that may have changed the length. */
export function invokeCallbacks(buf: Evbuffer): void {
  if (buf.cbHead === null) {
    buf.nAdd = buf.nDel = 0;
    return;
  }
  if (buf.deferredCbs) scheduleDeferredRun(buf);
  runCallbacks(buf, false);
}

function scheduleDeferredRun(buf: Evbuffer): void {
  const d = buf.deferred!;
  if (d.state !== CbState.Idle) return;
  buf.base!.scheduleDeferred(d);
  // The pending run keeps the buffer (and its bufferevent) alive.
  buf.refcnt++;
  buf.parent?.incref();
}

/** The deferred run, from the event loop. */
export function deferredRun(buf: Evbuffer): void {
  const parent = buf.parent;
  // A buffer freed by the user while this run was pending is still alive (the
  // run holds a reference), and libevent runs its callbacks on it.
  const freed = buf.freed;
  buf.freed = false;
  try {
    runCallbacks(buf, true);
  } finally {
    buf.freed = freed;
    buf.decref();
    parent?.decref();
  }
}

/** evbuffer_defer_callbacks */
export function deferCallbacks(buf: Evbuffer, queue: DeferredQueue): void {
  const d = buf.deferred;
  if (d && buf.base && buf.base !== queue && d.state !== CbState.Idle) {
    // Re-targeting a pending run: move it to the new base.
    buf.base.cancelDeferred(d);
    queue.scheduleDeferred(d);
  }
  if (!d) buf.deferred = new Deferred(() => deferredRun(buf));
  buf.base = queue;
  buf.deferredCbs = true;
}

/** evbuffer_cb_suspend: the entry misses changes until unsuspended. */
export function suspendEntry(buf: Evbuffer, e: CbEntry): void {
  if (e.suspended) return;
  e.suspended = true;
  e.sizeBeforeSuspend = buf.totalLen;
  e.missedAdded = e.missedDeleted = 0;
}

/** evbuffer_cb_unsuspend: one call with what was missed, if anything was. */
export function unsuspendEntry(buf: Evbuffer, e: CbEntry): void {
  if (!e.suspended) return;
  e.suspended = false;
  const info: CbInfo = {
    orig_size: e.sizeBeforeSuspend,
    n_added: e.missedAdded,
    n_deleted: e.missedDeleted,
  };
  e.missedAdded = e.missedDeleted = 0;
  if ((info.n_added || info.n_deleted) && e.flags & CB_ENABLED && e.linked)
    call(buf, e, info, buf.totalLen);
}
