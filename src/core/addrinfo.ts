// struct evutil_addrinfo and the parts of address lookup that libevent does
// itself: building entries (one per socket type when the hints leave it
// open), and evutil_getaddrinfo_common_, which answers NULL and numeric hosts
// without a resolver. evdns_getaddrinfo and the bufferevent connect path use
// these rules; evutil_getaddrinfo itself is glibc's (addrinfo_glibc.ts).
import { splitScope, pton4, pton6 } from "./evutil_inet.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  newSockaddr,
  sockaddrLen,
  type SockaddrObj,
} from "./evutil_sockaddr.js";
import { IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from "./net_constants.js";
import { protoByNumber, servByName } from "./addrinfo_services.js";
import { strtolAt } from "./evutil_cnum.js";

export const EVUTIL_AI_PASSIVE = 0x1;
export const EVUTIL_AI_CANONNAME = 0x2;
export const EVUTIL_AI_NUMERICHOST = 0x4;
export const EVUTIL_AI_V4MAPPED = 0x8;
export const EVUTIL_AI_ALL = 0x10;
export const EVUTIL_AI_ADDRCONFIG = 0x20;
export const EVUTIL_AI_NUMERICSERV = 0x400;
/** Marks entries libevent built itself (ai_flags of evdns answers), as an int. */
export const EVUTIL_AI_LIBEVENT_ALLOCATED = 0x80000000 | 0;

// glibc's EAI_* values, which libevent's EVUTIL_EAI_* take where glibc defines them.
export const EVUTIL_EAI_BADFLAGS = -1;
export const EVUTIL_EAI_NONAME = -2;
export const EVUTIL_EAI_AGAIN = -3;
export const EVUTIL_EAI_FAIL = -4;
export const EVUTIL_EAI_FAMILY = -6;
export const EVUTIL_EAI_SOCKTYPE = -7;
export const EVUTIL_EAI_SERVICE = -8;
export const EVUTIL_EAI_MEMORY = -10;
export const EVUTIL_EAI_SYSTEM = -11;
// libevent's own numbers: without _GNU_SOURCE its header does not see glibc's.
export const EVUTIL_EAI_ADDRFAMILY = -901;
export const EVUTIL_EAI_NODATA = -907;
export const EVUTIL_EAI_CANCEL = -90001;
/**
 * glibc's EAI_NODATA and EAI_ADDRFAMILY: what the library itself uses (it is
 * built with _GNU_SOURCE, so evdns answers NODATA as -5), what glibc's
 * getaddrinfo returns, and what evutil_gai_strerror names.
 */
export const GLIBC_EAI_NODATA = -5;
export const GLIBC_EAI_ADDRFAMILY = -9;

export const SOCK_RAW = 3;
const IPPROTO_SCTP = 132;

export interface Addrinfo {
  ai_flags: number;
  ai_family: number;
  ai_socktype: number;
  ai_protocol: number;
  ai_addrlen: number;
  ai_canonname: string | null;
  ai_addr: SockaddrObj;
  ai_next: Addrinfo | null;
}

/** The hints a caller may pass; missing fields are 0, as after memset. */
export interface Hints {
  ai_flags: number;
  ai_family: number;
  ai_socktype: number;
  ai_protocol: number;
}

export function addrinfo(
  flags: number,
  sa: SockaddrObj,
  family: number,
  socktype: number,
  protocol: number,
  canonname: string | null = null,
): Addrinfo {
  return {
    ai_flags: flags,
    ai_family: family,
    ai_socktype: socktype,
    ai_protocol: protocol,
    ai_addrlen: sockaddrLen(family),
    ai_canonname: canonname,
    ai_addr: sa,
    ai_next: null,
  };
}

/** Links entries into a list; returns its head (or null). */
export function chain(list: Addrinfo[]): Addrinfo | null {
  for (let i = 0; i + 1 < list.length; i++) list[i].ai_next = list[i + 1];
  return list[0] ?? null;
}

/** The entries of a list, in order. */
export function entries(ai: Addrinfo | null): Addrinfo[] {
  const out: Addrinfo[] = [];
  for (; ai; ai = ai.ai_next) out.push(ai);
  return out;
}

/**
 * evutil_new_addrinfo_: entries for one address, taking the socket type and
 * protocol from the hints, or a TCP and a UDP entry when the hints give neither.
 */
export function libeventEntries(
  family: number,
  addr: Uint8Array,
  port: number,
  scope: number,
  hints: Hints,
): Addrinfo[] {
  const kinds =
    hints.ai_socktype === 0 && hints.ai_protocol === 0
      ? [
          [SOCK_STREAM, IPPROTO_TCP],
          [SOCK_DGRAM, IPPROTO_UDP],
        ]
      : [[hints.ai_socktype, hints.ai_protocol]];
  return kinds.map(([st, pr]) =>
    addrinfo(EVUTIL_AI_LIBEVENT_ALLOCATED, newSockaddr(family, addr, port, scope), family, st, pr),
  );
}

/** evutil_getaddrinfo_infer_protocols: fills in the protocol from the socket type and back. */
function inferProtocols(h: Hints): void {
  if (!h.ai_protocol && h.ai_socktype) {
    if (h.ai_socktype === SOCK_DGRAM) h.ai_protocol = IPPROTO_UDP;
    else if (h.ai_socktype === SOCK_STREAM) h.ai_protocol = IPPROTO_TCP;
  }
  if (!h.ai_socktype && h.ai_protocol) {
    if (h.ai_protocol === IPPROTO_UDP) h.ai_socktype = SOCK_DGRAM;
    else if (h.ai_protocol === IPPROTO_TCP || h.ai_protocol === IPPROTO_SCTP)
      h.ai_socktype = SOCK_STREAM;
  }
}

/** What evutil_getaddrinfo_common_ decided: an answer, or a port and a name to resolve. */
export type CommonResult = { err: number; res: Addrinfo | null } | { resolve: true; port: number };

/**
 * evutil_getaddrinfo_common_: validates, reads the service, and answers NULL
 * or numeric hosts. Updates `hints` (inferred protocol) as libevent does.
 */
export function commonGetaddrinfo(
  node: Uint8Array | null,
  serv: Uint8Array | null,
  hints: Hints,
): CommonResult {
  if (node === null && serv === null) return { err: EVUTIL_EAI_NONAME, res: null };
  const fam = hints.ai_family;
  if (fam !== AF_UNSPEC && fam !== AF_INET && fam !== AF_INET6)
    return { err: EVUTIL_EAI_FAMILY, res: null };
  inferProtocols(hints);
  let port = 0;
  if (serv !== null) {
    port = parseServname(serv, hints);
    if (port < 0) return { err: EVUTIL_EAI_NONAME, res: null };
  }
  if (node === null) {
    const passive = (hints.ai_flags & EVUTIL_AI_PASSIVE) !== 0;
    const v4 =
      fam !== AF_INET6
        ? libeventEntries(
            AF_INET,
            Uint8Array.of(passive ? 0 : 127, 0, 0, passive ? 0 : 1),
            port,
            0,
            hints,
          )
        : [];
    const loop6 = new Uint8Array(16);
    if (!passive) loop6[15] = 1;
    const v6 = fam !== AF_INET ? libeventEntries(AF_INET6, loop6, port, 0, hints) : [];
    return { err: 0, res: chain([...v4, ...v6]) };
  }
  if (fam === AF_INET6 || fam === AF_UNSPEC) {
    const scoped = splitScope(node);
    const a = scoped && pton6(scoped.addr);
    if (a) return { err: 0, res: chain(libeventEntries(AF_INET6, a, port, scoped.index, hints)) };
  }
  if (fam === AF_INET || fam === AF_UNSPEC) {
    const a = pton4(node);
    if (a) return { err: 0, res: chain(libeventEntries(AF_INET, a, port, 0, hints)) };
  }
  if (hints.ai_flags & EVUTIL_AI_NUMERICHOST) return { err: EVUTIL_EAI_NONAME, res: null };
  return { resolve: true, port };
}

/** libevent's evutil_parse_servname: a decimal port ((int)strtol, 0..65535), else a service name; -1 if neither. */
function parseServname(serv: Uint8Array, hints: Hints): number {
  const r = strtolAt(serv, 0);
  const n = Number(BigInt.asIntN(32, r.value));
  if (serv.length > 0 && r.end === serv.length && n >= 0 && n <= 65535) return n;
  if (hints.ai_flags & EVUTIL_AI_NUMERICSERV) return -1;
  return servByName(latin1(serv), protoName(hints.ai_protocol));
}

/** evutil_unparse_protoname: the protocol's name for getservbyname, null for any. */
function protoName(proto: number): string | null {
  if (proto === 0) return null;
  if (proto === IPPROTO_TCP) return "tcp";
  if (proto === IPPROTO_UDP) return "udp";
  if (proto === IPPROTO_SCTP) return "sctp";
  return protoByNumber(proto);
}

export const latin1 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");

const MESSAGES: Record<number, string> = {
  [EVUTIL_EAI_CANCEL]: "Request canceled",
  0: "No error",
  [GLIBC_EAI_ADDRFAMILY]: "address family for nodename not supported",
  [EVUTIL_EAI_AGAIN]: "temporary failure in name resolution",
  [EVUTIL_EAI_BADFLAGS]: "invalid value for ai_flags",
  [EVUTIL_EAI_FAIL]: "non-recoverable failure in name resolution",
  [EVUTIL_EAI_FAMILY]: "ai_family not supported",
  [EVUTIL_EAI_MEMORY]: "memory allocation failure",
  [GLIBC_EAI_NODATA]: "no address associated with nodename",
  [EVUTIL_EAI_NONAME]: "nodename nor servname provided, or not known",
  [EVUTIL_EAI_SERVICE]: "servname not supported for ai_socktype",
  [EVUTIL_EAI_SOCKTYPE]: "ai_socktype not supported",
  [EVUTIL_EAI_SYSTEM]: "system error",
};

// glibc's gai_strerror, which libevent falls back to for codes it does not name.
const GLIBC_MESSAGES: Record<number, string> = {
  [-100]: "Processing request in progress",
  [-101]: "Request canceled",
  [-102]: "Request not canceled",
  [-103]: "All requests done",
  [-104]: "Interrupted by a signal",
  [-105]: "Parameter string not correctly encoded",
};

export function gaiStrerror(err: number): string {
  return MESSAGES[err] ?? GLIBC_MESSAGES[err] ?? "Unknown error";
}

// The rest of glibc's own texts, for the C library's gai_strerror.
const GLIBC_ONLY: Record<number, string> = {
  [EVUTIL_EAI_BADFLAGS]: "Bad value for ai_flags",
  [EVUTIL_EAI_NONAME]: "Name or service not known",
  [EVUTIL_EAI_AGAIN]: "Temporary failure in name resolution",
  [EVUTIL_EAI_FAIL]: "Non-recoverable failure in name resolution",
  [GLIBC_EAI_NODATA]: "No address associated with hostname",
  [EVUTIL_EAI_FAMILY]: "ai_family not supported",
  [EVUTIL_EAI_SOCKTYPE]: "ai_socktype not supported",
  [EVUTIL_EAI_SERVICE]: "Servname not supported for ai_socktype",
  [GLIBC_EAI_ADDRFAMILY]: "Address family for hostname not supported",
  [EVUTIL_EAI_MEMORY]: "Memory allocation failure",
  [EVUTIL_EAI_SYSTEM]: "System error",
};

/** glibc's gai_strerror (libevent's evutil_gai_strerror words some codes its own way). */
export function glibcGaiStrerror(err: number): string {
  return GLIBC_ONLY[err] ?? GLIBC_MESSAGES[err] ?? "Unknown error";
}
