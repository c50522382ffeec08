// evutil_getaddrinfo on Linux is glibc's getaddrinfo (libevent only clears
// its private flag), so this is glibc 2.36's, observed through C programs:
// its checks in its order, its numeric host syntax (inet_aton: "127.1",
// "0x7f.1", "2130706433"; inet_pton for IPv6 with a "%zone"), its service
// parsing (strtoul: " 80" and "65536" pass), one entry per address and
// socket type (TCP, UDP and raw when the hints leave it open), ai_flags
// copied from the hints and the canonical name on the first entry. Names
// that are not numeric go to the system resolver (addrinfo_lookup.ts).
import { networkInterfaces } from "node:os";
import { isDigit, isSpace, strtoulAt } from "./evutil_cnum.js";
import { parseAton, parseIPv6 } from "./sockaddr_text.js";
import { ifNameToIndex } from "./evutil_inet.js";
import { AF_INET, AF_INET6, AF_UNSPEC, newSockaddr } from "./evutil_sockaddr.js";
import {
  addrinfo,
  chain,
  latin1,
  EVUTIL_AI_ADDRCONFIG,
  EVUTIL_AI_CANONNAME,
  EVUTIL_AI_LIBEVENT_ALLOCATED,
  EVUTIL_AI_NUMERICHOST,
  EVUTIL_AI_NUMERICSERV,
  EVUTIL_AI_PASSIVE,
  EVUTIL_AI_V4MAPPED,
  EVUTIL_EAI_BADFLAGS,
  EVUTIL_EAI_FAMILY,
  EVUTIL_EAI_NONAME,
  EVUTIL_EAI_SERVICE,
  EVUTIL_EAI_SOCKTYPE,
  GLIBC_EAI_ADDRFAMILY,
  SOCK_RAW,
  type Addrinfo,
  type Hints,
} from "./addrinfo.js";
import { IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from "./net_constants.js";
import { servByName } from "./addrinfo_services.js";
import { lookupBlocking, type Lookup } from "./addrinfo_lookup.js";

/** glibc's flags mask: the AI_* it knows, IDN ones included. */
const KNOWN_FLAGS = 0x7ff;

/** glibc's socket type / protocol table; `dflt` entries are what open hints expand to. */
interface TypeProto {
  socktype: number;
  protocol: number;
  anyProto: boolean;
  noService: boolean;
  dflt: boolean;
  name: string;
}
const SOCK_DCCP = 6;
const SOCK_SEQPACKET = 5;
// prettier-ignore
const TYPEPROTOS: TypeProto[] = [
  { socktype: SOCK_STREAM, protocol: IPPROTO_TCP, anyProto: false, noService: false, dflt: true, name: "tcp" },
  { socktype: SOCK_DGRAM, protocol: IPPROTO_UDP, anyProto: false, noService: false, dflt: true, name: "udp" },
  { socktype: SOCK_DCCP, protocol: 33, anyProto: false, noService: false, dflt: false, name: "dccp" },
  { socktype: SOCK_DGRAM, protocol: 136, anyProto: false, noService: false, dflt: false, name: "udplite" },
  { socktype: SOCK_STREAM, protocol: 132, anyProto: false, noService: false, dflt: false, name: "sctp" },
  { socktype: SOCK_SEQPACKET, protocol: 132, anyProto: false, noService: false, dflt: false, name: "sctp" },
  { socktype: SOCK_RAW, protocol: 0, anyProto: true, noService: true, dflt: true, name: "raw" },
];

/** A (socket type, protocol, port) the answer is made of. */
interface ServTuple {
  socktype: number;
  protocol: number;
  port: number;
}

interface Host {
  family: number;
  addr: Uint8Array;
  scope: number;
}

export type GaiResult = { err: number; res: Addrinfo | null };

/** A lookup glibc would hand to NSS: the name, and how to build the answer from what it finds. */
export interface NameLookup {
  name: string;
  family: number;
  flags: number;
  finish(r: Lookup): GaiResult;
}

/** getaddrinfo, blocking on the system resolver for names (as the C call blocks). */
export function glibcGetaddrinfo(
  node: Uint8Array | null,
  serv: Uint8Array | null,
  hints: Hints,
): GaiResult {
  const p = glibcPrepare(node, serv, hints);
  return "finish" in p ? p.finish(lookupBlocking(p.name, p.family, p.flags)) : p;
}

/**
 * getaddrinfo up to the point where it needs the resolver: the answer (or
 * error) for NULL and numeric hosts, else the name lookup still to run.
 */
export function glibcPrepare(
  nodeIn: Uint8Array | null,
  servIn: Uint8Array | null,
  hintsIn: Hints,
): GaiResult | NameLookup {
  const fail = (err: number) => ({ err, res: null });
  const star = (b: Uint8Array | null) => b !== null && b.length === 1 && b[0] === 42;
  const node = star(nodeIn) ? null : nodeIn;
  const serv = star(servIn) ? null : servIn;
  if (node === null && serv === null) return fail(EVUTIL_EAI_NONAME);
  // libevent clears its own flag (EVUTIL_AI_LIBEVENT_ALLOCATED) before calling the libc.
  const hints = { ...hintsIn, ai_flags: hintsIn.ai_flags & ~EVUTIL_AI_LIBEVENT_ALLOCATED };
  if (hints.ai_flags & ~KNOWN_FLAGS) return fail(EVUTIL_EAI_BADFLAGS);
  if (hints.ai_flags & EVUTIL_AI_CANONNAME && node === null) return fail(EVUTIL_EAI_BADFLAGS);
  if (hints.ai_flags & EVUTIL_AI_ADDRCONFIG) {
    const { v4, v6 } = configuredFamilies();
    if (hints.ai_family === AF_UNSPEC && (v4 || v6)) {
      if (v4 !== v6) hints.ai_family = v4 ? AF_INET : AF_INET6;
    } else if ((hints.ai_family === AF_INET && !v4) || (hints.ai_family === AF_INET6 && !v6)) {
      return fail(EVUTIL_EAI_NONAME);
    }
  }
  let servNum = -1;
  if (serv !== null && serv.length > 0) {
    const r = strtoulAt(serv, 0, 10);
    if (r.end === serv.length) servNum = Number(BigInt.asIntN(32, r.value));
    else if (hints.ai_flags & EVUTIL_AI_NUMERICSERV) return fail(EVUTIL_EAI_NONAME);
  }
  const fam = hints.ai_family;
  if (fam !== AF_UNSPEC && fam !== AF_INET && fam !== AF_INET6) return fail(EVUTIL_EAI_FAMILY);

  const tuples = servTuples(serv !== null && serv.length > 0 ? serv : null, servNum, hints);
  if (typeof tuples === "number") return fail(tuples);
  const canon = hints.ai_flags & EVUTIL_AI_CANONNAME && node !== null ? latin1(node) : null;
  const answer = (hosts: Host[] | number): GaiResult =>
    typeof hosts === "number"
      ? fail(hosts)
      : { err: 0, res: build(hosts, tuples, hints.ai_flags, canon) };
  const hosts = numericHosts(node, hints);
  if (hosts !== null) return answer(hosts);
  const name = latin1(node as Uint8Array);
  return {
    name,
    family: fam,
    flags: hints.ai_flags,
    finish: (r: Lookup) => answer(r.err ? r.err : r.found.map((f) => ({ ...f, scope: 0 }))),
  };
}

/** One entry per address and socket type; only the first carries the canonical name. */
function build(
  hosts: Host[],
  tuples: ServTuple[],
  flags: number,
  canon: string | null,
): Addrinfo | null {
  const list: Addrinfo[] = [];
  for (const h of hosts) {
    for (const t of tuples) {
      const sa = newSockaddr(h.family, h.addr, t.port, h.scope);
      list.push(addrinfo(flags, sa, h.family, t.socktype, t.protocol, canon));
      canon = null;
    }
  }
  return chain(list);
}

/** __check_pf: whether some interface has an IPv4 / IPv6 address other than the loopback one. */
function configuredFamilies(): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) {
      if (a.family === "IPv4" && a.address !== "127.0.0.1") v4 = true;
      if (a.family === "IPv6" && a.address !== "::1") v6 = true;
    }
  return { v4, v6 };
}

/** The socket types and ports of the answer, or an EAI code. */
function servTuples(serv: Uint8Array | null, servNum: number, hints: Hints): ServTuple[] | number {
  let tp: TypeProto | null = null;
  if (hints.ai_socktype || hints.ai_protocol) {
    tp =
      TYPEPROTOS.find(
        (t) =>
          (hints.ai_socktype === 0 || hints.ai_socktype === t.socktype) &&
          (hints.ai_protocol === 0 || t.anyProto || hints.ai_protocol === t.protocol),
      ) ?? null;
    if (!tp) return hints.ai_socktype ? EVUTIL_EAI_SOCKTYPE : EVUTIL_EAI_SERVICE;
  }
  const protocolOf = (t: TypeProto) => (t.anyProto ? hints.ai_protocol : t.protocol);
  if (serv !== null) {
    if (tp?.noService) return EVUTIL_EAI_SERVICE;
    if (servNum < 0) {
      const name = latin1(serv);
      const candidates = tp ? [tp] : TYPEPROTOS.filter((t) => !t.noService);
      const found = candidates.flatMap((t) => {
        const port = servByName(name, t.name);
        return port < 0 ? [] : [{ socktype: t.socktype, protocol: protocolOf(t), port }];
      });
      return found.length ? found : EVUTIL_EAI_SERVICE;
    }
  }
  const port = servNum < 0 ? 0 : servNum & 0xffff;
  if (tp) return [{ socktype: tp.socktype, protocol: protocolOf(tp), port }];
  return TYPEPROTOS.filter((t) => t.dflt).map((t) => ({
    socktype: t.socktype,
    protocol: t.protocol,
    port,
  }));
}

/** The addresses of a NULL or numeric host, an EAI code, or null when the name needs the resolver. */
function numericHosts(node: Uint8Array | null, hints: Hints): Host[] | number | null {
  const fam = hints.ai_family;
  const passive = (hints.ai_flags & EVUTIL_AI_PASSIVE) !== 0;
  if (node === null) {
    const any6 = new Uint8Array(16);
    if (!passive) any6[15] = 1;
    const v6: Host = { family: AF_INET6, addr: any6, scope: 0 };
    const v4: Host = {
      family: AF_INET,
      addr: passive ? new Uint8Array(4) : Uint8Array.of(127, 0, 0, 1),
      scope: 0,
    };
    // Both families: the order glibc's RFC 3484 sort gives (loopback ::1 first, wildcard 0.0.0.0 first).
    if (fam === AF_UNSPEC) return passive ? [v4, v6] : [v6, v4];
    return fam === AF_INET6 ? [v6] : [v4];
  }
  const v4 = atonExact(node);
  if (v4) {
    if (fam === AF_UNSPEC || fam === AF_INET) return [{ family: AF_INET, addr: v4, scope: 0 }];
    if (fam === AF_INET6 && hints.ai_flags & EVUTIL_AI_V4MAPPED)
      return [{ family: AF_INET6, addr: v4Mapped(v4), scope: 0 }];
    return GLIBC_EAI_ADDRFAMILY;
  }
  const pct = node.indexOf(37);
  const v6 = parseIPv6(latin1(pct < 0 ? node : node.subarray(0, pct)));
  if (v6) {
    let host: Host;
    if (fam === AF_UNSPEC || fam === AF_INET6) host = { family: AF_INET6, addr: v6, scope: 0 };
    else if (fam === AF_INET && isV4Mapped(v6))
      host = { family: AF_INET, addr: v6.subarray(12), scope: 0 };
    else return GLIBC_EAI_ADDRFAMILY;
    if (pct >= 0) {
      const scope = scopeId(v6, node.subarray(pct + 1));
      if (scope < 0) return EVUTIL_EAI_NONAME;
      host.scope = scope;
    }
    return [host];
  }
  return hints.ai_flags & EVUTIL_AI_NUMERICHOST || node.length === 0 ? EVUTIL_EAI_NONAME : null;
}

const v4Mapped = (a: Uint8Array) => Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...a);
const isV4Mapped = (a: Uint8Array) =>
  a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;

/** inet_aton_exact: inet_aton's forms ("127.1", "0x7f.1", "2130706433") with nothing after them. */
function atonExact(s: Uint8Array): Uint8Array | null {
  const text = latin1(s);
  // A bare "0x" part is no number to glibc's strtoul (parseAton reads it as 0).
  if (s.some(isSpace) || /(^|\.)0x(\.|$)/i.test(text)) return null;
  return parseAton(text);
}

/** __inet6_scopeid_pton: an interface name (link-local addresses only) or a decimal number; -1 if neither. */
function scopeId(addr: Uint8Array, zone: Uint8Array): number {
  const linkLocal =
    (addr[0] === 0xfe && (addr[1] & 0xc0) === 0x80) ||
    (addr[0] === 0xff && ((addr[1] & 0x0f) === 1 || (addr[1] & 0x0f) === 2));
  if (linkLocal) {
    const n = ifNameToIndex(latin1(zone));
    if (n) return n;
  }
  if (!isDigit(zone[0])) return -1;
  const r = strtoulAt(zone, 0, 10);
  return r.end === zone.length && r.value <= 0xffffffffn ? Number(r.value) : -1;
}
