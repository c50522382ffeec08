// event2/thread.h. JavaScript runs every callback on one thread, so there is
// nothing to lock: these calls record that threading was asked for (which
// BEV_OPT_THREADSAFE requires, as in libevent) and otherwise do nothing.
import * as args from "../args.js";

export const EVTHREAD_WRITE = 0x04;
export const EVTHREAD_READ = 0x08;
export const EVTHREAD_TRY = 0x10;
export const EVTHREAD_LOCK_API_VERSION = 1;
export const EVTHREAD_CONDITION_API_VERSION = 1;
export const EVTHREAD_LOCKTYPE_RECURSIVE = 1;
export const EVTHREAD_LOCKTYPE_READWRITE = 2;
export const EVTHREAD_USE_PTHREADS_IMPLEMENTED = 1;

let threadingEnabled = false;

/** Whether evthread_use_pthreads() or lock callbacks were installed. */
export function evthreadEnabled(): boolean {
  return threadingEnabled;
}

export function evthread_use_pthreads(): number {
  threadingEnabled = true;
  return 0;
}

export function evthread_set_lock_callbacks(cbs: object | null): number {
  if (cbs !== null && typeof cbs !== "object")
    throw args.typeError("evthread_set_lock_callbacks", "cbs", "must be an object or null");
  threadingEnabled = cbs !== null;
  return 0;
}

export function evthread_set_condition_callbacks(cbs: object | null): number {
  if (cbs !== null && typeof cbs !== "object")
    throw args.typeError("evthread_set_condition_callbacks", "cbs", "must be an object or null");
  return 0;
}

export function evthread_set_id_callback(id_fn: (() => number) | null): void {
  args.optFn("evthread_set_id_callback", "id_fn", id_fn);
}

export function evthread_enable_lock_debugging(): void {}
/** libevent's misspelt alias, kept for old programs. */
export const evthread_enable_lock_debuging = evthread_enable_lock_debugging;

/** Every base is notifiable: an activation from Node always wakes a waiting loop. */
export function evthread_make_base_notifiable(base: object): number {
  if (base === null || typeof base !== "object")
    throw args.typeError("evthread_make_base_notifiable", "base", "is NULL");
  return 0;
}
