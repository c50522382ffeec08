// <sys/resource.h>: getrlimit and setrlimit. Node's process is not the C
// program's, so the limits are the program's own record, starting from the
// process's (/proc/self/limits). RLIMIT_NOFILE is enforced on the
// descriptors the program holds (core/descriptor.ts): socket, accept,
// socketpair, open and a bufferevent's connect fail with EMFILE beyond it.
// The other limits are recorded only.
import { readFileSync } from "node:fs";
import { describe, typeError } from "../args.js";
import { setDescriptorLimit } from "../core/descriptor.js";
import { EFAULT, EINVAL, EPERM, set_errno } from "./errno.js";

export const RLIMIT_CPU = 0;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_RSS = 5;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_MEMLOCK = 8;
export const RLIMIT_AS = 9;
export const RLIMIT_LOCKS = 10;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_MSGQUEUE = 12;
export const RLIMIT_NICE = 13;
export const RLIMIT_RTPRIO = 14;
export const RLIMIT_RTTIME = 15;
export const RLIMIT_NLIMITS = 16;
/** (rlim_t)-1, the nearest double as for the other 64-bit constants. */
export const RLIM_INFINITY = 2 ** 64;

/** `struct rlimit`. */
export interface Rlimit {
  rlim_cur: number;
  rlim_max: number;
}

let limits: Rlimit[] | null = null;

/** The process's limits, in resource order (the rows of /proc/self/limits). */
function table(): Rlimit[] {
  if (limits) return limits;
  const num = (s: string | undefined) =>
    s === undefined || s === "unlimited" ? RLIM_INFINITY : Number(s);
  let rows: string[] = [];
  try {
    rows = readFileSync("/proc/self/limits", "utf8").split("\n").slice(1);
  } catch {
    // no /proc: every limit unlimited
  }
  limits = [];
  for (let r = 0; r < RLIMIT_NLIMITS; r++) {
    const m = /^Max [a-z ]+?\s{2,}(\S+)\s+(\S+)/.exec(rows[r] ?? "");
    limits.push({ rlim_cur: num(m?.[1]), rlim_max: num(m?.[2]) });
  }
  return limits;
}

function fail(e: number): number {
  set_errno(e);
  return -1;
}

/** An rlim_t field: a non-negative integer, RLIM_INFINITY at or beyond 2^64 - 1. */
function rlimField(fn: string, field: string, v: unknown): number {
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw typeError(fn, field, `must be a non-negative integer (rlim_t), got ${describe(v)}`);
  return n >= 2 ** 64 - 1 ? RLIM_INFINITY : n;
}

/** getrlimit(2): fills `rlim` ({} or a struct rlimit object) in place; 0, or -1 (EINVAL, EFAULT). */
export function getrlimit(resource: number, rlim: object | null): number {
  if (!Number.isInteger(resource) || resource < 0 || resource >= RLIMIT_NLIMITS)
    return fail(EINVAL);
  if (rlim === null || rlim === undefined) return fail(EFAULT);
  if (typeof rlim !== "object")
    throw typeError("getrlimit", "rlim", `must be a struct rlimit object, got ${describe(rlim)}`);
  const l = table()[resource];
  Object.assign(rlim, { rlim_cur: l.rlim_cur, rlim_max: l.rlim_max });
  return 0;
}

/**
 * setrlimit(2), as Linux checks it: EINVAL for a soft limit above the hard
 * one, EPERM for raising the hard limit without CAP_SYS_RESOURCE (or RLIMIT_NOFILE's
 * beyond fs.nr_open). A lower RLIMIT_NOFILE leaves open descriptors open.
 */
export function setrlimit(resource: number, rlim: object | null): number {
  const fn = "setrlimit";
  if (!Number.isInteger(resource) || resource < 0 || resource >= RLIMIT_NLIMITS)
    return fail(EINVAL);
  if (rlim === null || rlim === undefined) return fail(EFAULT);
  if (typeof rlim !== "object")
    throw typeError(fn, "rlim", `must be a struct rlimit object, got ${describe(rlim)}`);
  const r = rlim as Partial<Rlimit>;
  const cur = rlimField(fn, "rlim.rlim_cur", r.rlim_cur);
  const max = rlimField(fn, "rlim.rlim_max", r.rlim_max);
  if (cur > max) return fail(EINVAL);
  const l = table()[resource];
  if (max > l.rlim_max && !canRaise()) return fail(EPERM);
  if (resource === RLIMIT_NOFILE && max > nrOpen()) return fail(EPERM);
  l.rlim_cur = cur;
  l.rlim_max = max;
  if (resource === RLIMIT_NOFILE) setDescriptorLimit(cur);
  return 0;
}

/** Whether the process has CAP_SYS_RESOURCE (bit 24 of CapEff), which raising a hard limit takes. */
function canRaise(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m !== null && (BigInt("0x" + m[1]) & (1n << 24n)) !== 0n;
  } catch {
    return false;
  }
}

function nrOpen(): number {
  try {
    return Number(readFileSync("/proc/sys/fs/nr_open", "utf8")) || 1 << 20;
  } catch {
    return 1 << 20;
  }
}
