// getaddrinfo and freeaddrinfo as both faces offer them: libevent's
// evutil_getaddrinfo (event2/util.h) and the C library's getaddrinfo
// (<netdb.h>), which on Linux are the same glibc call.
import * as args from "../args.js";
import { cbytes } from "../libc/cstring.js";
import * as check from "./checks.js";
import type { Addrinfo, Hints } from "../core/addrinfo.js";
import { glibcGetaddrinfo } from "../core/addrinfo_glibc.js";

/** A `struct evutil_addrinfo *hints` argument: its four fields, or null for NULL. */
export function hintsArg(fn: string, v: unknown): Hints | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw args.typeError(
      fn,
      "hints",
      `must be a struct evutil_addrinfo object or null, got ${args.describe(v)}`,
    );
  const h = v as Partial<Hints>;
  const field = (k: keyof Hints) => (h[k] === undefined ? 0 : args.int(fn, `hints.${k}`, h[k]));
  return {
    ai_flags: field("ai_flags"),
    ai_family: field("ai_family"),
    ai_socktype: field("ai_socktype"),
    ai_protocol: field("ai_protocol"),
  };
}

const optCstr = (fn: string, arg: string, v: unknown) =>
  v === null || v === undefined ? null : cbytes(fn, arg, v);

/** getaddrinfo's argument checks and call, for evutil_getaddrinfo and the libc's getaddrinfo (`fn` names the caller). */
export function getaddrinfoCall(
  fn: string,
  nodename: string | Uint8Array | null,
  servname: string | Uint8Array | null,
  hints: Partial<Hints> | null,
  res: { value: Addrinfo | null },
): number {
  const node = optCstr(fn, "nodename", nodename);
  const serv = optCstr(fn, "servname", servname);
  const h = hintsArg(fn, hints) ?? { ai_flags: 0, ai_family: 0, ai_socktype: 0, ai_protocol: 0 };
  const out = check.box<Addrinfo | null>(fn, res, "res");
  if (!out) throw args.typeError(fn, "res", "is NULL (expected a { value } box)");
  const r = glibcGetaddrinfo(node, serv, h);
  if (r.err === 0) out.value = r.res;
  return r.err;
}

const freedLists = new WeakSet<object>();

/** Releases a list from getaddrinfo or evdns_getaddrinfo; freeing one twice throws, as C would crash. */
export function freeaddrinfoCall(fn: string, ai: Addrinfo): void {
  if (ai === null || typeof ai !== "object" || !("ai_family" in ai))
    throw args.typeError(fn, "ai", `must be a struct evutil_addrinfo, got ${args.describe(ai)}`);
  if (freedLists.has(ai)) throw args.typeError(fn, "ai", "was already freed");
  freedLists.add(ai);
}
