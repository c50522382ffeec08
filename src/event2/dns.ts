// event2/dns.h. Thin: checks arguments, calls src/core/dns_*.ts. The
// resolver's queries go through node:dns (c-ares) to the base's
// nameservers; answers run from the event loop of the base's event_base.
// The server side (evdns_add_server_port...) reads queries from a UDP
// socket of the program's and writes libevent's replies
// (src/core/dns_server.ts).
import * as args from "../args.js";
import * as check from "./checks.js";
import { cbytes } from "../libc/cstring.js";
import type { EventBase } from "../core/event_base.js";
import { DnsBase, dnsErrToString, dnsLog, setDnsLogFn, type DnsLogFn } from "../core/dns_base.js";
import {
  DNS_OPTIONS_ALL,
  DNS_OPTION_NAMESERVERS_NO_DEFAULT,
  loadHosts,
  nameserverIpAdd,
  resolvConfParse,
  searchAdd,
  searchClear,
  searchNdotsSet,
  setOption,
} from "../core/dns_config.js";
import {
  DNS_IPv4_A,
  DNS_IPv6_AAAA,
  DNS_PTR,
  DnsRequest,
  validName,
  type DnsCallback,
} from "../core/dns_request.js";
import { evdnsGetaddrinfo, GaiRequest, type GaiCallback } from "../core/dns_getaddrinfo.js";
import { EVUTIL_EAI_FAIL, type Hints } from "../core/addrinfo.js";
import { hintsArg } from "./addrinfo_calls.js";
import { fillIp, readIp, sockaddrLen, type SockaddrObj } from "../core/evutil_sockaddr.js";
import { bytesOfSAddr, familyOf } from "../core/sockaddr.js";
import { AF_INET } from "../core/net_constants.js";
import { EVENT_LOG_DEBUG, EVENT_LOG_WARN } from "../core/log.js";
import {
  EVDNS_FLAGS_AA,
  EVDNS_FLAGS_RD,
  ServerPort,
  ServerRequest,
  nameBytes,
  type ServerCallback,
  type ServerQuestion,
} from "../core/dns_server.js";
import { fillSockaddr, readSockaddr } from "../core/sockaddr.js";
import { fdOf } from "../core/descriptor_table.js";
import { Socket } from "node:net";

export {
  DNS_ERR_CANCEL,
  DNS_ERR_FORMAT,
  DNS_ERR_NODATA,
  DNS_ERR_NONE,
  DNS_ERR_NOTEXIST,
  DNS_ERR_NOTIMPL,
  DNS_ERR_REFUSED,
  DNS_ERR_SERVERFAILED,
  DNS_ERR_SHUTDOWN,
  DNS_ERR_TIMEOUT,
  DNS_ERR_TRUNCATED,
  DNS_ERR_UNKNOWN,
} from "../core/dns_base.js";
export {
  DNS_OPTIONS_ALL,
  DNS_OPTION_HOSTSFILE,
  DNS_OPTION_MISC,
  DNS_OPTION_NAMESERVERS,
  DNS_OPTION_NAMESERVERS_NO_DEFAULT,
  DNS_OPTION_SEARCH,
} from "../core/dns_config.js";
export { DNS_IPv4_A, DNS_IPv6_AAAA, DNS_PTR, DNS_QUERY_NO_SEARCH } from "../core/dns_request.js";
export type {
  DnsBase as evdns_base,
  DnsRequest as evdns_request,
  GaiRequest as evdns_getaddrinfo_request,
  ServerPort as evdns_server_port,
  ServerRequest as evdns_server_request,
  ServerQuestion as evdns_server_question,
  ServerCallback as evdns_request_callback_fn_type,
};
export { EVDNS_FLAGS_AA, EVDNS_FLAGS_RD };

export const DNS_NO_SEARCH = 1;
export const EVDNS_BASE_INITIALIZE_NAMESERVERS = 1;
export const EVDNS_BASE_DISABLE_WHEN_INACTIVE = 0x8000;
export const EVDNS_BASE_NAMESERVERS_NO_DEFAULT = 0x10000;
export const EVDNS_ANSWER_SECTION = 0;
export const EVDNS_AUTHORITY_SECTION = 1;
export const EVDNS_ADDITIONAL_SECTION = 2;
export const EVDNS_TYPE_A = 1;
export const EVDNS_TYPE_NS = 2;
export const EVDNS_TYPE_CNAME = 5;
export const EVDNS_TYPE_SOA = 6;
export const EVDNS_TYPE_PTR = 12;
export const EVDNS_TYPE_MX = 15;
export const EVDNS_TYPE_TXT = 16;
export const EVDNS_TYPE_AAAA = 28;
export const EVDNS_QTYPE_AXFR = 252;
export const EVDNS_QTYPE_ALL = 255;
export const EVDNS_CLASS_INET = 1;

const KNOWN_FLAGS =
  EVDNS_BASE_INITIALIZE_NAMESERVERS |
  EVDNS_BASE_DISABLE_WHEN_INACTIVE |
  EVDNS_BASE_NAMESERVERS_NO_DEFAULT;

const dnsArg = (fn: string, v: unknown) => args.obj(fn, "base", v, DnsBase, "struct evdns_base");

/** The event base whose loop runs a base's callbacks (its own, else event_init's). */
function loopOf(fn: string, dns: DnsBase): EventBase {
  const b = dns.eventBase();
  if (!b)
    throw args.typeError(
      fn,
      "base",
      "is an evdns_base with no event_base (and no current base from event_init)",
    );
  return b;
}

function cbArg<T>(fn: string, v: unknown, arg = "callback"): T {
  if (typeof v !== "function")
    throw args.typeError(fn, arg, `must be a function, got ${args.describe(v)}`);
  return v as T;
}

const str = (fn: string, arg: string, v: unknown) =>
  Buffer.from(cbytes(fn, arg, v)).toString("latin1");

// ---- bases ----

/**
 * evdns_base_new: `event_base` may be null (the current base of event_init
 * is then used for callbacks). EVDNS_BASE_INITIALIZE_NAMESERVERS reads
 * /etc/resolv.conf and /etc/hosts, and gives null if resolv.conf is missing or
 * names no nameserver. Unlike libevent, an idle base never keeps the loop
 * running: only requests in flight and the probe timers of failed
 * nameservers do (as with EVDNS_BASE_DISABLE_WHEN_INACTIVE).
 */
export function evdns_base_new(event_base: EventBase | null, flags: number): DnsBase | null {
  const fn = "evdns_base_new";
  const evbase =
    event_base === null || event_base === undefined
      ? null
      : check.base(fn, event_base, "event_base");
  let f = args.int(fn, "flags", flags);
  const dns = new DnsBase(evbase);
  if (f & ~KNOWN_FLAGS) {
    f = EVDNS_BASE_INITIALIZE_NAMESERVERS;
    dnsLog(
      EVENT_LOG_WARN,
      "Unrecognized flag passed to evdns_base_new(). Assuming you meant EVDNS_BASE_INITIALIZE_NAMESERVERS.",
    );
  }
  if (f & EVDNS_BASE_INITIALIZE_NAMESERVERS) {
    const opts =
      DNS_OPTIONS_ALL |
      (f & EVDNS_BASE_NAMESERVERS_NO_DEFAULT ? DNS_OPTION_NAMESERVERS_NO_DEFAULT : 0);
    if (resolvConfParse(dns, opts, "/etc/resolv.conf") !== 0) {
      dns.freed = true;
      return null;
    }
  }
  return dns;
}

/** Pending requests stop; with fail_requests their callbacks get DNS_ERR_SHUTDOWN (from the loop). */
export function evdns_base_free(base: DnsBase, fail_requests: number | boolean): void {
  const fn = "evdns_base_free";
  const dns = dnsArg(fn, base);
  dns.free(args.int(fn, "fail_requests", fail_requests) !== 0);
}

// ---- nameservers ----

/** "1.2.3.4", "1.2.3.4:53", "[::1]:53", "::1"; port 53 when none. 0, 3 (already there) or 4 (unparsable). */
export function evdns_base_nameserver_ip_add(
  base: DnsBase,
  ip_as_string: string | Uint8Array,
): number {
  const fn = "evdns_base_nameserver_ip_add";
  return nameserverIpAdd(dnsArg(fn, base), str(fn, "ip_as_string", ip_as_string));
}

/** `address` is an s_addr (network order); the port is 53. */
export function evdns_base_nameserver_add(base: DnsBase, address: number): number {
  const fn = "evdns_base_nameserver_add";
  const dns = dnsArg(fn, base);
  const a = args.int(fn, "address", address);
  return dns.addNameserver({
    family: AF_INET,
    addr: bytesOfSAddr(a),
    port: 53,
    scope: 0,
    flowinfo: 0,
  });
}

/** 0, 2 if len is larger than a sockaddr_storage, 3 if already there, 1 for a family that is not IP. */
export function evdns_base_nameserver_sockaddr_add(
  base: DnsBase,
  sa: SockaddrObj,
  len: number,
  flags: number,
): number {
  const fn = "evdns_base_nameserver_sockaddr_add";
  const dns = dnsArg(fn, base);
  if (sa === null || typeof sa !== "object")
    throw args.typeError(fn, "sa", `must be a sockaddr object, got ${args.describe(sa)}`);
  const n = args.int(fn, "len", len);
  args.int(fn, "flags", flags);
  return dns.addNameserverSockaddr(readIp(sa), Math.max(familyOf(sa), 0), n);
}

export function evdns_base_count_nameservers(base: DnsBase): number {
  return dnsArg("evdns_base_count_nameservers", base).servers.length;
}

/**
 * Fills `sa` with nameserver `idx` (in libevent's ring order) when `len`
 * allows (`sa` may be null when `len` is too small); returns its length, or
 * -1 when there is no such nameserver.
 */
export function evdns_base_get_nameserver_addr(
  base: DnsBase,
  idx: number,
  sa: SockaddrObj | null,
  len: number,
): number {
  const fn = "evdns_base_get_nameserver_addr";
  const dns = dnsArg(fn, base);
  const i = args.int(fn, "idx", idx);
  const n = args.int(fn, "len", len);
  // libevent walks idx steps from the head: a negative idx means the head.
  const ip = dns.servers[Math.max(0, i)];
  if (!ip) return -1;
  const need = sockaddrLen(ip.family);
  if (need > n) return need;
  if (sa === null || typeof sa !== "object")
    throw args.typeError(fn, "sa", `must be a sockaddr object to fill, got ${args.describe(sa)}`);
  fillIp(sa, ip);
  return need;
}

/** Removes every nameserver; requests in flight wait until evdns_base_resume and a nameserver. */
export function evdns_base_clear_nameservers_and_suspend(base: DnsBase): number {
  dnsArg("evdns_base_clear_nameservers_and_suspend", base).clearNameservers();
  return 0;
}

export function evdns_base_resume(base: DnsBase): number {
  dnsArg("evdns_base_resume", base).pump();
  return 0;
}

/** 0; 1 if the file cannot be opened, 2 if it cannot be read, 6 if it names no nameserver. */
export function evdns_base_resolv_conf_parse(
  base: DnsBase,
  flags: number,
  filename: string | Uint8Array | null,
): number {
  const fn = "evdns_base_resolv_conf_parse";
  const dns = dnsArg(fn, base);
  const f = args.int(fn, "flags", flags);
  return resolvConfParse(
    dns,
    f,
    filename === null || filename === undefined ? null : str(fn, "filename", filename),
  );
}

// ---- search list, options, hosts ----

export function evdns_base_search_clear(base: DnsBase): void {
  searchClear(dnsArg("evdns_base_search_clear", base));
}

/** The domain added last is tried first, as in libevent. */
export function evdns_base_search_add(base: DnsBase, domain: string | Uint8Array): void {
  const fn = "evdns_base_search_add";
  searchAdd(dnsArg(fn, base), str(fn, "domain", domain));
}

export function evdns_base_search_ndots_set(base: DnsBase, ndots: number): void {
  const fn = "evdns_base_search_ndots_set";
  searchNdotsSet(dnsArg(fn, base), args.int(fn, "ndots", ndots));
}

/**
 * resolv.conf's options ("ndots", "timeout", "attempts", "max-inflight",
 * "getaddrinfo-allow-skew", "bind-to", ...; a trailing ':' is allowed).
 * 0, or -1 for a value that does not parse. "randomize-case",
 * "max-timeouts" and the socket buffer sizes are accepted and have no
 * effect (c-ares manages its sockets and retries).
 */
export function evdns_base_set_option(
  base: DnsBase,
  option: string | Uint8Array,
  val: string | Uint8Array,
): number {
  const fn = "evdns_base_set_option";
  return setOption(
    dnsArg(fn, base),
    str(fn, "option", option),
    str(fn, "val", val),
    DNS_OPTIONS_ALL,
  );
}

/** Appends a hosts file's entries (null: just localhost); -1 if the file cannot be read. */
export function evdns_base_load_hosts(
  base: DnsBase,
  hosts_fname: string | Uint8Array | null,
): number {
  const fn = "evdns_base_load_hosts";
  const dns = dnsArg(fn, base);
  return loadHosts(
    dns,
    hosts_fname === null || hosts_fname === undefined ? null : str(fn, "hosts_fname", hosts_fname),
  );
}

export function evdns_base_clear_host_addresses(base: DnsBase): void {
  dnsArg("evdns_base_clear_host_addresses", base).hosts = [];
}

// ---- requests ----

function resolve(
  fn: string,
  base: unknown,
  type: number,
  name: string,
  flags: unknown,
  callback: unknown,
  ptr: unknown,
): DnsRequest | null {
  const dns = dnsArg(fn, base);
  const f = args.int(fn, "flags", flags);
  const cb = cbArg<DnsCallback>(fn, callback);
  const evbase = loopOf(fn, dns);
  dnsLog(EVENT_LOG_DEBUG, `Resolve requested for ${name}`);
  if (!validName(name)) return null;
  const req = new DnsRequest(dns, evbase, type, name, f, cb, ptr);
  if (!req.canQuery) return null;
  dns.submit(req);
  return req;
}

/**
 * Looks up A records. The callback runs from the loop as
 * `(result, type, count, ttl, addresses, arg)`, addresses being s_addr
 * numbers (network order). null for a name no query can carry.
 */
export function evdns_base_resolve_ipv4(
  base: DnsBase,
  name: string | Uint8Array,
  flags: number,
  callback: DnsCallback,
  ptr: any,
): DnsRequest | null {
  const fn = "evdns_base_resolve_ipv4";
  return resolve(fn, base, DNS_IPv4_A, str(fn, "name", name), flags, callback, ptr);
}

/** Looks up AAAA records; addresses are 16-byte Uint8Arrays. */
export function evdns_base_resolve_ipv6(
  base: DnsBase,
  name: string | Uint8Array,
  flags: number,
  callback: DnsCallback,
  ptr: any,
): DnsRequest | null {
  const fn = "evdns_base_resolve_ipv6";
  return resolve(fn, base, DNS_IPv6_AAAA, str(fn, "name", name), flags, callback, ptr);
}

/** PTR lookup of `in` ({s_addr}) under in-addr.arpa; addresses is [name]. The TTL reported is 0. */
export function evdns_base_resolve_reverse(
  base: DnsBase,
  in_: { s_addr: number },
  flags: number,
  callback: DnsCallback,
  ptr: any,
): DnsRequest | null {
  const fn = "evdns_base_resolve_reverse";
  if (typeof in_?.s_addr !== "number")
    throw args.typeError(fn, "in", `must be a struct in_addr {s_addr}, got ${args.describe(in_)}`);
  const b = bytesOfSAddr(in_.s_addr);
  return resolve(
    fn,
    base,
    DNS_PTR,
    `${b[3]}.${b[2]}.${b[1]}.${b[0]}.in-addr.arpa`,
    flags,
    callback,
    ptr,
  );
}

/** PTR lookup of `in` ({s6_addr}) under ip6.arpa. */
export function evdns_base_resolve_reverse_ipv6(
  base: DnsBase,
  in_: { s6_addr: Uint8Array },
  flags: number,
  callback: DnsCallback,
  ptr: any,
): DnsRequest | null {
  const fn = "evdns_base_resolve_reverse_ipv6";
  const a = in_?.s6_addr;
  if (!(a instanceof Uint8Array) || a.length < 16)
    throw args.typeError(
      fn,
      "in",
      `must be a struct in6_addr {s6_addr}, got ${args.describe(in_)}`,
    );
  let name = "";
  for (let i = 15; i >= 0; i--) name += `${(a[i] & 0xf).toString(16)}.${(a[i] >> 4).toString(16)}.`;
  return resolve(fn, base, DNS_PTR, name + "ip6.arpa", flags, callback, ptr);
}

/** The callback then runs with DNS_ERR_CANCEL, unless it is already on its way. `base` may be null. */
export function evdns_cancel_request(base: DnsBase | null, req: DnsRequest): void {
  const fn = "evdns_cancel_request";
  if (base !== null && base !== undefined) dnsArg(fn, base);
  args.obj(fn, "req", req, DnsRequest, "struct evdns_request").cancel();
}

export function evdns_err_to_string(err: number): string {
  return dnsErrToString(args.int("evdns_err_to_string", "err", err));
}

/**
 * Asynchronous getaddrinfo: `cb(err, res, arg)`. Numeric hosts, hosts-file
 * names and immediate errors call back inside this call, which then returns
 * null (as libevent does); DNS answers call back from the loop.
 */
export function evdns_getaddrinfo(
  dns_base: DnsBase | null,
  nodename: string | Uint8Array | null,
  servname: string | Uint8Array | null,
  hints: Partial<Hints> | null,
  cb: GaiCallback,
  arg: any,
): GaiRequest | null {
  const fn = "evdns_getaddrinfo";
  const callback = cbArg<GaiCallback>(fn, cb, "cb");
  const node =
    nodename === null || nodename === undefined ? null : cbytes(fn, "nodename", nodename);
  const serv =
    servname === null || servname === undefined ? null : cbytes(fn, "servname", servname);
  const h = hintsArg(fn, hints);
  if (dns_base === null || dns_base === undefined) {
    dnsLog(EVENT_LOG_WARN, "Call to getaddrinfo_async with no evdns_base configured.");
    callback(EVUTIL_EAI_FAIL, null, arg);
    return null;
  }
  const dns = dnsArg(fn, dns_base);
  return evdnsGetaddrinfo(dns, loopOf(fn, dns), node, serv, h, callback, arg);
}

export function evdns_getaddrinfo_cancel(req: GaiRequest): void {
  args
    .obj("evdns_getaddrinfo_cancel", "req", req, GaiRequest, "struct evdns_getaddrinfo_request")
    .cancel();
}

// ---- process-wide settings ----

/** `fn(is_warning, msg)` receives evdns's messages; null restores libevent's log. */
export function evdns_set_log_fn(fn: DnsLogFn | null): void {
  setDnsLogFn(args.optFn<DnsLogFn>("evdns_set_log_fn", "fn", fn));
}

/** Accepted and unused: c-ares picks its own transaction ids. */
export function evdns_set_transaction_id_fn(fn: (() => number) | null): void {
  args.optFn("evdns_set_transaction_id_fn", "fn", fn);
}

/** Accepted and unused: c-ares draws its own random bytes. */
export function evdns_set_random_bytes_fn(fn: ((buf: Uint8Array, n: number) => void) | null): void {
  args.optFn("evdns_set_random_bytes_fn", "fn", fn);
}

// ---- the server side ----

const portArg = (fn: string, v: unknown) =>
  args.obj(fn, "port", v, ServerPort, "struct evdns_server_port");
const reqArg = (fn: string, v: unknown) =>
  args.obj(fn, "req", v, ServerRequest, "struct evdns_server_request");

function sockArg(fn: string, v: unknown): number {
  return v instanceof Socket ? fdOf(v) : args.int(fn, "socket", v);
}

/**
 * Serves DNS on `socket`, a UDP socket the program made and bound: each
 * query calls `callback(req, user_data)` from the loop of `base` (NULL: the
 * current base of event_init). `flags` must be 0 (else NULL). Closing the
 * port closes the socket.
 */
export function evdns_add_server_port_with_base(
  base: EventBase | null,
  socket: number,
  flags: number,
  callback: ServerCallback,
  user_data: any,
): ServerPort | null {
  const fn = "evdns_add_server_port_with_base";
  const b = base === null || base === undefined ? null : check.base(fn, base, "base");
  const fd = sockArg(fn, socket);
  const f = args.int(fn, "flags", flags);
  const cb = cbArg<ServerCallback>(fn, callback);
  if (f) return null;
  return ServerPort.open(b, fd, cb, user_data);
}

/** evdns_add_server_port_with_base on the current base of event_init. */
export function evdns_add_server_port(
  socket: number,
  flags: number,
  callback: ServerCallback,
  user_data: any,
): ServerPort | null {
  const fn = "evdns_add_server_port";
  const fd = sockArg(fn, socket);
  const f = args.int(fn, "flags", flags);
  const cb = cbArg<ServerCallback>(fn, callback);
  if (f) return null;
  return ServerPort.open(null, fd, cb, user_data);
}

/** Frees the port and closes its socket, at once or when its last outstanding request is answered or dropped. */
export function evdns_close_server_port(port: ServerPort): void {
  portArg("evdns_close_server_port", port).close();
}

/** Replaces the reply's AA (EVDNS_FLAGS_AA) and RA (EVDNS_FLAGS_RD, 0x80) bits by those of `flags`. */
export function evdns_server_request_set_flags(req: ServerRequest, flags: number): void {
  const fn = "evdns_server_request_set_flags";
  reqArg(fn, req).setFlags(args.int(fn, "flags", flags));
}

const nameArg = (fn: string, arg: string, v: unknown) => nameBytes(cbytes(fn, arg, v));

/** Raw bytes: a Uint8Array, or a string taken one byte per character (Latin-1, as "\x.." escapes read). */
function rawBytes(fn: string, arg: string, v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string" && ![...v].some((ch) => ch.charCodeAt(0) > 0xff))
    return Buffer.from(v, "latin1");
  throw args.typeError(
    fn,
    arg,
    `must be a Uint8Array or a string of bytes (characters below U+0100), got ${args.describe(v)}`,
  );
}

function take(fn: string, arg: string, b: Uint8Array, n: number): Uint8Array {
  if (n < 0 || b.length < n)
    throw args.rangeError(fn, arg, `holds ${b.length} bytes, fewer than the ${n} to copy`);
  return b.slice(0, n);
}

/**
 * evdns_server_request_add_reply: a record for `section`
 * (EVDNS_ANSWER_SECTION...). With `is_name`, `data` is a name written as
 * labels (compressed); else `datalen` bytes of `data` are the RDATA. 0, or
 * -1 for an unknown section or a request already formatted.
 */
export function evdns_server_request_add_reply(
  req: ServerRequest,
  section: number,
  name: string | Uint8Array,
  type: number,
  dns_class: number,
  ttl: number,
  datalen: number,
  is_name: number,
  data: string | Uint8Array | null,
): number {
  const fn = "evdns_server_request_add_reply";
  const r = reqArg(fn, req);
  const sec = args.int(fn, "section", section);
  const nm = nameArg(fn, "name", name);
  const t = args.int(fn, "type", type);
  const c = args.int(fn, "dns_class", dns_class);
  const tl = args.int(fn, "ttl", ttl);
  const len = args.int(fn, "datalen", datalen);
  const isName = args.int(fn, "is_name", is_name) !== 0;
  let d: Uint8Array | null = null;
  if (data !== null && data !== undefined)
    d = isName
      ? nameArg(fn, "data", data)
      : take(fn, "data", rawBytes(fn, "data", data), len & 0xffff);
  return r.addReply(sec, nm, t, c, tl, isName, d);
}

/** Addresses as bytes: a Uint8Array or byte string, s_addr numbers, {s_addr} / {s6_addr} structs, or arrays of them. */
function addrBytes(fn: string, v: unknown, size: number): Uint8Array {
  const one = (x: unknown): Uint8Array => {
    if (typeof x === "number" && size === 4) return bytesOfSAddr(x);
    if (x !== null && typeof x === "object") {
      const o = x as { s_addr?: unknown; s6_addr?: unknown };
      if (size === 4 && typeof o.s_addr === "number") return bytesOfSAddr(o.s_addr);
      if (size === 16 && o.s6_addr instanceof Uint8Array) return o.s6_addr.subarray(0, 16);
    }
    throw args.typeError(
      fn,
      "addrs",
      `must be ${size === 4 ? "s_addr numbers or struct in_addr" : "struct in6_addr"} objects, bytes, or an array of them, got ${args.describe(x)}`,
    );
  };
  if (v instanceof Uint8Array || typeof v === "string") return rawBytes(fn, "addrs", v);
  if (Array.isArray(v)) return Buffer.concat(v.map(one));
  return one(v);
}

/** `n` address records of `size` bytes each for `name` from `addrs`, in the answer section. */
function addAddressReply(
  fn: string,
  req: ServerRequest,
  name: string | Uint8Array,
  n: number,
  addrs: unknown,
  ttl: number,
  size: 4 | 16,
  type: number,
): number {
  const r = reqArg(fn, req);
  const k = args.int(fn, "n", n);
  const nm = nameArg(fn, "name", name);
  const d = take(fn, "addrs", addrBytes(fn, addrs, size), (k * size) & 0xffff);
  return r.addReply(
    EVDNS_ANSWER_SECTION,
    nm,
    type,
    EVDNS_CLASS_INET,
    args.int(fn, "ttl", ttl),
    false,
    d,
  );
}

/** `n` A records for `name` from `addrs` (4 bytes each), in the answer section. */
export function evdns_server_request_add_a_reply(
  req: ServerRequest,
  name: string | Uint8Array,
  n: number,
  addrs: unknown,
  ttl: number,
): number {
  const fn = "evdns_server_request_add_a_reply";
  return addAddressReply(fn, req, name, n, addrs, ttl, 4, EVDNS_TYPE_A);
}

/** `n` AAAA records for `name` from `addrs` (16 bytes each). */
export function evdns_server_request_add_aaaa_reply(
  req: ServerRequest,
  name: string | Uint8Array,
  n: number,
  addrs: unknown,
  ttl: number,
): number {
  const fn = "evdns_server_request_add_aaaa_reply";
  return addAddressReply(fn, req, name, n, addrs, ttl, 16, EVDNS_TYPE_AAAA);
}

/** A PTR record naming `hostname`, for `in` ({s_addr}: its in-addr.arpa name) or `inaddr_name` (exactly one of them; else -1). */
export function evdns_server_request_add_ptr_reply(
  req: ServerRequest,
  in_: { s_addr: number } | null,
  inaddr_name: string | Uint8Array | null,
  hostname: string | Uint8Array,
  ttl: number,
): number {
  const fn = "evdns_server_request_add_ptr_reply";
  const r = reqArg(fn, req);
  const hasIn = in_ !== null && in_ !== undefined;
  const hasName = inaddr_name !== null && inaddr_name !== undefined;
  if (hasIn === hasName) return -1;
  let nm: Uint8Array;
  if (hasIn) {
    if (typeof in_?.s_addr !== "number")
      throw args.typeError(
        fn,
        "in",
        `must be a struct in_addr {s_addr}, got ${args.describe(in_)}`,
      );
    const b = bytesOfSAddr(in_.s_addr);
    nm = Buffer.from(`${b[3]}.${b[2]}.${b[1]}.${b[0]}.in-addr.arpa`, "latin1");
  } else nm = nameArg(fn, "inaddr_name", inaddr_name);
  const host =
    hostname === null || hostname === undefined ? null : nameArg(fn, "hostname", hostname);
  return r.addReply(
    EVDNS_ANSWER_SECTION,
    nm,
    EVDNS_TYPE_PTR,
    EVDNS_CLASS_INET,
    args.int(fn, "ttl", ttl),
    true,
    host,
  );
}

/** A CNAME record: `name` is an alias of `cname`. */
export function evdns_server_request_add_cname_reply(
  req: ServerRequest,
  name: string | Uint8Array,
  cname: string | Uint8Array,
  ttl: number,
): number {
  const fn = "evdns_server_request_add_cname_reply";
  const r = reqArg(fn, req);
  const nm = nameArg(fn, "name", name);
  const c = cname === null || cname === undefined ? null : nameArg(fn, "cname", cname);
  return r.addReply(
    EVDNS_ANSWER_SECTION,
    nm,
    EVDNS_TYPE_CNAME,
    EVDNS_CLASS_INET,
    args.int(fn, "ttl", ttl),
    true,
    c,
  );
}

/**
 * Sends the reply with rcode `err` (0-15) and frees the request: 0; -1 or
 * -2 when it cannot be built (rcode out of range, a label over 63 bytes, a
 * question name too long); -1 when the socket would block (the request
 * stays, built); 1 when queued after another send error.
 */
export function evdns_server_request_respond(req: ServerRequest, err: number): number {
  const fn = "evdns_server_request_respond";
  return reqArg(fn, req).respond(args.int(fn, "err", err));
}

/** Frees the request without answering: 0. */
export function evdns_server_request_drop(req: ServerRequest): number {
  reqArg("evdns_server_request_drop", req).free();
  return 0;
}

/** Fills `sa` with the querier's address: its length (16 or 28), or -1 if `addr_len` is smaller. */
export function evdns_server_request_get_requesting_addr(
  req: ServerRequest,
  sa: object,
  addr_len: number,
): number {
  const fn = "evdns_server_request_get_requesting_addr";
  const r = reqArg(fn, req);
  const n = args.int(fn, "addr_len", addr_len);
  if (n < r.addrlen) return -1;
  if (sa === null || typeof sa !== "object")
    throw args.typeError(fn, "sa", `must be a sockaddr object to fill, got ${args.describe(sa)}`);
  const a = readSockaddr(r.addr);
  if (typeof a !== "number") fillSockaddr(sa, a);
  return r.addrlen;
}
