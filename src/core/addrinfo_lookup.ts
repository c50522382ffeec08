// Name lookups through the system resolver (glibc getaddrinfo: /etc/hosts,
// then DNS, as nsswitch.conf says), in two forms:
// - blocking, for evutil_getaddrinfo, which blocks in C too: a short-lived
//   child Node process runs dns.lookup while this one waits;
// - asynchronous, for the bufferevent connect path: dns.lookup on Node's
//   threadpool.
// Both return glibc's address list in glibc's order, or a glibc EAI_* code.
import { spawnSync } from "node:child_process";
import { lookup, type LookupAddress } from "node:dns";
import { getSystemErrorName } from "node:util";
import { isIP } from "node:net";
import { pton4, pton6 } from "./evutil_inet.js";
import { AF_INET, AF_INET6 } from "./evutil_sockaddr.js";
import {
  EVUTIL_AI_ADDRCONFIG,
  EVUTIL_AI_ALL,
  EVUTIL_AI_V4MAPPED,
  EVUTIL_EAI_AGAIN,
  EVUTIL_EAI_FAIL,
  EVUTIL_EAI_SYSTEM,
} from "./addrinfo.js";

/** One looked-up address. */
export interface Found {
  family: number;
  addr: Uint8Array;
}

export type Lookup = { err: number; found: Found[] };

/** How long a blocking lookup may take before it reports EAI_AGAIN (glibc retries for ~30 s at worst). */
const BLOCKING_LIMIT_MS = 60_000;

const GLIBC_CODES: Record<string, number> = {
  EAI_BADFLAGS: -1,
  EAI_NONAME: -2,
  EAI_AGAIN: -3,
  EAI_FAIL: -4,
  EAI_NODATA: -5,
  EAI_FAMILY: -6,
  EAI_SOCKTYPE: -7,
  EAI_SERVICE: -8,
  EAI_ADDRFAMILY: -9,
  EAI_MEMORY: -10,
  EAI_OVERFLOW: -12,
};

// The child prints the uv error name (EAI_NONAME, not Node's ENOTFOUND) or the addresses.
const CHILD = `const [n, f, h] = process.argv.slice(1);
require("dns").lookup(n, { all: true, family: +f, hints: +h, verbatim: true }, (e, a) =>
  process.stdout.write(JSON.stringify(e ? { code: require("util").getSystemErrorName(e.errno) } : a)));`;

/** getaddrinfo's family and flags in dns.lookup's terms. */
function options(family: number, flags: number): [number, number] {
  const fam = family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0;
  return [fam, flags & (EVUTIL_AI_ADDRCONFIG | EVUTIL_AI_V4MAPPED | EVUTIL_AI_ALL)];
}

function errCode(name: string): number {
  return GLIBC_CODES[name] ?? (name.startsWith("EAI_") ? EVUTIL_EAI_FAIL : EVUTIL_EAI_SYSTEM);
}

function toFound(list: LookupAddress[]): Found[] {
  return list.flatMap((a) => {
    const text = a.address.replace(/%.*$/, "");
    const bytes = isIP(text) === 4 ? pton4(Buffer.from(text)) : pton6(Buffer.from(text));
    return bytes ? [{ family: a.family === 6 ? AF_INET6 : AF_INET, addr: bytes }] : [];
  });
}

/** Looks `name` up and waits for the answer. */
export function lookupBlocking(name: string, family: number, flags: number): Lookup {
  const [fam, hints] = options(family, flags);
  const r = spawnSync(process.execPath, ["-e", CHILD, name, String(fam), String(hints)], {
    encoding: "utf8",
    timeout: BLOCKING_LIMIT_MS,
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (r.error || r.status !== 0)
    return { err: r.error ? EVUTIL_EAI_AGAIN : EVUTIL_EAI_SYSTEM, found: [] };
  const out = JSON.parse(r.stdout) as { code: string } | LookupAddress[];
  return Array.isArray(out)
    ? { err: 0, found: toFound(out) }
    : { err: errCode(out.code), found: [] };
}

/** Looks `name` up on Node's threadpool; `cb` runs from Node's loop, never synchronously. */
export function lookupAsync(
  name: string,
  family: number,
  flags: number,
  cb: (r: Lookup) => void,
): void {
  const [fam, hints] = options(family, flags);
  lookup(name, { all: true, family: fam, hints, verbatim: true }, (e, list) => {
    if (e) cb({ err: errCode(getSystemErrorName(Number(e.errno))), found: [] });
    else cb({ err: 0, found: toFound(list) });
  });
}

const REVERSE_CHILD = `require("dns").lookupService(process.argv[1], 0, (e, h) =>
  process.stdout.write(e ? "" : h));`;

/** The host name of address `ip` as getnameinfo would find it (hosts file, then DNS), waiting for it; null if none. */
export function reverseBlocking(ip: string): string | null {
  const r = spawnSync(process.execPath, ["-e", REVERSE_CHILD, ip], {
    encoding: "utf8",
    timeout: BLOCKING_LIMIT_MS,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return !r.error && r.status === 0 && r.stdout !== "" ? r.stdout : null;
}
