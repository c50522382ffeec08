// event2/thread.h. JavaScript runs every callback on one thread, so nothing
// is ever locked: the lock, condition and id callbacks a program installs are
// checked and kept with libevent's rules (install once; the same set again is
// fine, another set is refused) but never called. Having lock callbacks is
// what BEV_OPT_THREADSAFE requires, as in libevent (evthreadEnabled).
import * as args from "../args.js";
import { warn } from "../core/log.js";
import * as check from "./checks.js";

export const EVTHREAD_WRITE = 0x04;
export const EVTHREAD_READ = 0x08;
export const EVTHREAD_TRY = 0x10;
export const EVTHREAD_LOCK_API_VERSION = 1;
export const EVTHREAD_CONDITION_API_VERSION = 1;
export const EVTHREAD_LOCKTYPE_RECURSIVE = 1;
export const EVTHREAD_LOCKTYPE_READWRITE = 2;
export const EVTHREAD_USE_PTHREADS_IMPLEMENTED = 1;

/** struct evthread_lock_callbacks */
export interface evthread_lock_callbacks {
  lock_api_version: number;
  supported_locktypes: number;
  alloc: ((locktype: number) => unknown) | null;
  free: ((lock: unknown, locktype: number) => void) | null;
  lock: ((mode: number, lock: unknown) => number) | null;
  unlock: ((mode: number, lock: unknown) => number) | null;
}

/** struct evthread_condition_callbacks */
export interface evthread_condition_callbacks {
  condition_api_version: number;
  alloc_condition: ((condtype: number) => unknown) | null;
  free_condition: ((cond: unknown) => void) | null;
  signal_condition: ((cond: unknown, broadcast: number) => number) | null;
  wait_condition: ((cond: unknown, lock: unknown, timeout: unknown) => number) | null;
}

const LOCK_FNS = ["alloc", "free", "lock", "unlock"] as const;
const COND_FNS = [
  "alloc_condition",
  "free_condition",
  "signal_condition",
  "wait_condition",
] as const;

let lockCbs: evthread_lock_callbacks | null = null;
let condCbs: evthread_condition_callbacks | null = null;

/** Whether lock callbacks are installed (evthread_use_pthreads or evthread_set_lock_callbacks). */
export function evthreadEnabled(): boolean {
  return lockCbs !== null;
}

/** The pthreads implementation's callbacks: what evthread_use_pthreads installs. */
const pthreadLocks: evthread_lock_callbacks = {
  lock_api_version: EVTHREAD_LOCK_API_VERSION,
  supported_locktypes: EVTHREAD_LOCKTYPE_RECURSIVE,
  alloc: () => ({}),
  free: () => {},
  lock: () => 0,
  unlock: () => 0,
};
const pthreadConds: evthread_condition_callbacks = {
  condition_api_version: EVTHREAD_CONDITION_API_VERSION,
  alloc_condition: () => ({}),
  free_condition: () => {},
  signal_condition: () => 0,
  wait_condition: () => 0,
};

function cbsArg<T extends object>(fn: string, v: unknown, names: readonly string[]): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw args.typeError(fn, "cbs", `must be a callbacks struct or null, got ${args.describe(v)}`);
  for (const n of names) args.optFn(fn, `cbs.${n}`, (v as Record<string, unknown>)[n]);
  return v as T;
}

const sameFns = (a: object, b: object, names: readonly string[]) =>
  names.every((n) => (a as Record<string, unknown>)[n] === (b as Record<string, unknown>)[n]);

/** 0, or -1 when callbacks were already set to other ones or one of the four is missing. */
export function evthread_set_lock_callbacks(cbs: evthread_lock_callbacks | null): number {
  const c = cbsArg<evthread_lock_callbacks>("evthread_set_lock_callbacks", cbs, LOCK_FNS);
  if (!c) {
    if (lockCbs)
      warn("Trying to disable lock functions after they have been set up will probaby not work.");
    lockCbs = null;
    return 0;
  }
  if (lockCbs) {
    const same =
      lockCbs.lock_api_version === c.lock_api_version &&
      lockCbs.supported_locktypes === c.supported_locktypes &&
      sameFns(lockCbs, c, LOCK_FNS);
    if (same) return 0;
    warn("Can't change lock callbacks once they have been initialized.");
    return -1;
  }
  if (!LOCK_FNS.every((n) => c[n])) return -1;
  lockCbs = { ...c };
  return 0;
}

/** 0 (an incomplete set is accepted and ignored), or -1 when others were set already. */
export function evthread_set_condition_callbacks(cbs: evthread_condition_callbacks | null): number {
  const c = cbsArg<evthread_condition_callbacks>("evthread_set_condition_callbacks", cbs, COND_FNS);
  if (!c) {
    if (condCbs)
      warn(
        "Trying to disable condition functions after they have been set up will probaby not work.",
      );
    condCbs = null;
    return 0;
  }
  if (condCbs) {
    const same =
      condCbs.condition_api_version === c.condition_api_version && sameFns(condCbs, c, COND_FNS);
    if (same) return 0;
    warn("Can't change condition callbacks once they have been initialized.");
    return -1;
  }
  if (COND_FNS.every((n) => c[n])) condCbs = { ...c };
  return 0;
}

/** Checked and ignored: there is one thread, whose id never matters. */
export function evthread_set_id_callback(id_fn: (() => number) | null): void {
  args.optFn("evthread_set_id_callback", "id_fn", id_fn);
}

/** Installs the pthreads callbacks: 0, or -1 if other lock callbacks are in place. */
export function evthread_use_pthreads(): number {
  if (evthread_set_lock_callbacks(pthreadLocks) < 0) return -1;
  evthread_set_condition_callbacks(pthreadConds);
  return 0;
}

/** A no-op: no lock is ever taken, so there is nothing to check. */
export function evthread_enable_lock_debugging(): void {}
/** libevent's misspelt alias, kept for old programs. */
export const evthread_enable_lock_debuging = evthread_enable_lock_debugging;

/** Every base is notifiable: an activation from Node always wakes a waiting loop. -1 for NULL. */
export function evthread_make_base_notifiable(base: object | null): number {
  if (base === null || base === undefined) return -1;
  check.base("evthread_make_base_notifiable", base);
  return 0;
}
