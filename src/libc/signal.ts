// <signal.h>'s signal(2) over Node's process signal events, with Linux's
// signal numbers. A handler runs from Node's event loop (while a loop is
// dispatching, or whenever the program is idle), never in the middle of
// other JavaScript; it stays installed after each delivery, as glibc's
// BSD-style signal() does. kill(2) and raise(3) to this process deliver
// before they return, as Linux does.
import { describe, int, typeError } from "../args.js";
import { NSIG, raiseWatched, signalName } from "../core/signals.js";
import { EINVAL, EPERM, ESRCH, set_errno } from "./errno.js";

export { NSIG };

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGUSR1 = 10;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;

/** C's `(sighandler_t)0`, `1` and `-1`; NULL (null) is SIG_DFL as in C. */
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SIG_ERR = -1;

export type SigHandler = ((sig: number) => void) | typeof SIG_DFL | typeof SIG_IGN;

const installed = new Map<number, { handler: SigHandler; listener: () => void }>();

/**
 * Installs `handler` for `sig` and returns the previous one (SIG_DFL at
 * first); SIG_ERR with EINVAL for a number that is no signal or one that
 * cannot be caught (SIGKILL, SIGSTOP). SIG_IGN keeps Node from its default
 * action; SIG_DFL restores Node's, which for SIGPIPE is to ignore it (so a
 * write to a closed socket fails with EPIPE instead of killing the process).
 */
export function signal(sig: number, handler: SigHandler | null): SigHandler | typeof SIG_ERR {
  const n = int("signal", "sig", sig);
  if (
    handler !== null &&
    typeof handler !== "function" &&
    handler !== SIG_DFL &&
    handler !== SIG_IGN
  )
    throw typeError(
      "signal",
      "handler",
      `must be a function, SIG_DFL or SIG_IGN, got ${describe(handler)}`,
    );
  const name = signalName(n);
  if (!name) return refuse();
  let listener: (() => void) | null = null;
  if (typeof handler === "function") listener = () => handler(n);
  else if (handler === SIG_IGN) listener = () => {};
  if (listener) {
    try {
      process.on(name, listener);
    } catch {
      return refuse(); // libuv cannot watch it
    }
  }
  const prev = installed.get(n);
  if (prev) process.removeListener(name, prev.listener);
  if (listener) installed.set(n, { handler: handler!, listener });
  else installed.delete(n);
  return prev ? prev.handler : SIG_DFL;
}

function refuse(): typeof SIG_ERR {
  set_errno(EINVAL);
  return SIG_ERR;
}

/**
 * kill(2): 0, or -1 with errno (EINVAL, ESRCH, EPERM). To this process the
 * signal is delivered before kill returns: to the event base receiving
 * signals when an event watches it (libevent's handler), else to the
 * handler signal() installed, else with its default action.
 */
export function kill(pid: number, sig: number): number {
  const p = int("kill", "pid", pid);
  const n = int("kill", "sig", sig);
  const name = signalName(n);
  if (n !== 0 && !name) return refuse();
  if (p === process.pid) return raiseSelf(n);
  try {
    process.kill(p, n === 0 ? 0 : name);
    return 0;
  } catch (e) {
    set_errno((e as NodeJS.ErrnoException).code === "EPERM" ? EPERM : ESRCH);
    return -1;
  }
}

/** raise(3): kill(getpid(), sig). */
export function raise(sig: number): number {
  const n = int("raise", "sig", sig);
  return n !== 0 && !signalName(n) ? refuse() : raiseSelf(n);
}

function raiseSelf(n: number): number {
  if (n === 0 || raiseWatched(n)) return 0;
  const h = installed.get(n)?.handler;
  if (typeof h === "function") h(n);
  else if (h !== SIG_IGN) process.kill(process.pid, signalName(n)!);
  return 0;
}
