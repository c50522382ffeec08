// evdns_getaddrinfo: libevent's asynchronous getaddrinfo. NULL and numeric
// hosts, names in the base's hosts entries and immediate failures are
// answered synchronously, inside the call, which then returns null (as in
// C). Other names are looked up as an A and an AAAA request in parallel
// (per the family); once one has answered, the other gets
// getaddrinfo-allow-skew to join it, and IPv4 entries come first. The answer
// then runs from the event loop: cb(err, res, arg).
import { networkInterfaces } from "node:os";
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import {
  chain,
  commonGetaddrinfo,
  entries,
  libeventEntries,
  latin1,
  EVUTIL_AI_ADDRCONFIG,
  EVUTIL_AI_NUMERICHOST,
  EVUTIL_EAI_AGAIN,
  EVUTIL_EAI_CANCEL,
  EVUTIL_EAI_FAIL,
  GLIBC_EAI_NODATA,
  EVUTIL_EAI_NONAME,
  type Addrinfo,
  type Hints,
} from "./addrinfo.js";
import { glibcGetaddrinfo } from "./addrinfo_glibc.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./evutil_sockaddr.js";
import { bytesOfSAddr, htons } from "./sockaddr.js";
import { parseIPv4, parseIPv6 } from "./sockaddr_text.js";
import {
  DNS_ERR_CANCEL,
  DNS_ERR_NONE,
  DNS_ERR_NOTEXIST,
  DNS_ERR_SHUTDOWN,
  DnsBase,
  dnsLog,
} from "./dns_base.js";
import { EVENT_LOG_DEBUG } from "./log.js";
import { DNS_IPv4_A, DNS_IPv6_AAAA, DnsRequest, validName } from "./dns_request.js";
import { EV_TIMEOUT } from "./flags.js";

export type GaiCallback = (err: number, res: Addrinfo | null, arg: any) => void;

/** The same-name entries of the base's hosts database, of the wanted family (null if the name is absent). */
function fromHosts(
  dns: DnsBase,
  name: string,
  hints: Hints,
  port: number,
): Addrinfo | null | undefined {
  const found = dns.hosts.filter((h) => asciiLower(h.name) === asciiLower(name));
  if (found.length === 0) return undefined;
  const f = hints.ai_family;
  const list = found
    .filter((h) => f === AF_UNSPEC || h.addr.family === f)
    .flatMap((h) => {
      // libevent sets the port on the first entry of each address only (its UDP twin keeps 0).
      const pair = libeventEntries(h.addr.family, h.addr.addr, 0, h.addr.scope, hints);
      pair[0].ai_addr[h.addr.family === AF_INET ? "sin_port" : "sin6_port"] = htons(port);
      return pair;
    });
  return chain(list);
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

let interfaces: { v4: boolean; v6: boolean } | null = null;

/** evutil_adjust_hints_for_addrconfig_: with ADDRCONFIG, ask only for the families this host can reach. */
function adjustForAddrconfig(h: Hints): void {
  if (!(h.ai_flags & EVUTIL_AI_ADDRCONFIG) || h.ai_family !== AF_UNSPEC) return;
  interfaces ??= checkInterfaces();
  if (interfaces.v4 && !interfaces.v6) h.ai_family = AF_INET;
  else if (!interfaces.v4 && interfaces.v6) h.ai_family = AF_INET6;
}

/** evutil_v4addr_is_local_: 0.0.0.0, loopback, link-local or multicast. */
const localV4 = (b: Uint8Array) =>
  b.every((x) => x === 0) ||
  b[0] === 127 ||
  (b[0] === 169 && b[1] === 254) ||
  (b[0] & 0xf0) === 0xe0;

/** evutil_v6addr_is_local_: the first 8 bytes zero, ULA, link- or site-local, multicast. */
const localV6 = (b: Uint8Array) =>
  b.subarray(0, 8).every((x) => x === 0) ||
  (b[0] & 0xfe) === 0xfc ||
  (b[0] === 0xfe && ((b[1] & 0xc0) === 0x80 || (b[1] & 0xc0) === 0xc0)) ||
  b[0] === 0xff;

/** evutil_check_interfaces: does some interface have a non-local address of each family? */
function checkInterfaces(): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) {
      const b =
        a.family === "IPv4" ? parseIPv4(a.address) : parseIPv6(a.address.replace(/%.*$/, ""));
      if (!b) continue;
      if (a.family === "IPv4" && !localV4(b)) v4 = true;
      if (a.family === "IPv6" && !localV6(b)) v6 = true;
    }
  return { v4, v6 };
}

const evdnsToEai = (e: number) =>
  e === DNS_ERR_NONE ? 0 : e === DNS_ERR_NOTEXIST ? EVUTIL_EAI_NONAME : EVUTIL_EAI_FAIL;

/** struct evdns_getaddrinfo_request: the A and AAAA lookups of one getaddrinfo. */
export class GaiRequest {
  private v4: DnsRequest | null = null;
  private v6: DnsRequest | null = null;
  private pendingResult: Addrinfo | null = null;
  private pendingError = 0;
  private userCanceled = false;
  private answered = false;
  /** Both lookups have reported: cancelling is a no-op (request_done). */
  private finished = false;
  private readonly skew: Event;

  constructor(
    private readonly dns: DnsBase,
    private readonly evbase: EventBase,
    private readonly hints: Hints,
    private readonly port: number,
    private readonly cb: GaiCallback,
    private readonly arg: any,
  ) {
    this.skew = new Event(evbase, -1, EV_TIMEOUT, () => this.skewExpired(), null);
    this.skew.internal = true;
  }

  /** Starts the lookups; false if none could start (a name evdns cannot query, or none left by the search list). */
  start(name: string): boolean {
    if (!validName(name)) return false;
    const sub = (type: number) => {
      dnsLog(EVENT_LOG_DEBUG, `Resolve requested for ${name}`);
      const r: DnsRequest = new DnsRequest(
        this.dns,
        this.evbase,
        type,
        name,
        0,
        (result, _t, count, _ttl, addrs) => this.gotResolve(r, result, count, addrs),
        null,
      );
      if (!r.canQuery) return null;
      this.dns.submit(r);
      return r;
    };
    if (this.hints.ai_family !== AF_INET6) this.v4 = sub(DNS_IPv4_A);
    if (this.hints.ai_family !== AF_INET) this.v6 = sub(DNS_IPv6_AAAA);
    return this.v4 !== null || this.v6 !== null;
  }

  /** evdns_getaddrinfo_cancel: the callback then reports EVUTIL_EAI_CANCEL. */
  cancel(): void {
    if (this.finished) return;
    this.evbase.del(this.skew);
    this.userCanceled = true;
    this.v4?.cancel();
    this.v6?.cancel();
  }

  private gotResolve(r: DnsRequest, result: number, count: number, addrs: unknown): void {
    const isV4 = r === this.v4;
    if (isV4) this.v4 = null;
    else this.v6 = null;
    const stillWaiting = (isV4 ? this.v6 : this.v4) !== null;
    if (!stillWaiting) this.finished = true;
    // An internal cancel (the skew timer) after the user was already answered.
    if ((result === DNS_ERR_CANCEL && !this.userCanceled) || this.answered) return;

    const err = result === DNS_ERR_NONE ? (count === 0 ? GLIBC_EAI_NODATA : 0) : evdnsToEai(result);
    if (err) {
      if (stillWaiting) {
        if (result !== DNS_ERR_SHUTDOWN) this.armSkew();
        this.pendingError = err;
        return;
      }
      if (this.userCanceled) return this.reply(EVUTIL_EAI_CANCEL, null);
      if (this.pendingResult) return this.reply(0, this.takePending());
      return this.reply(err, null);
    }
    if (this.userCanceled) {
      if (stillWaiting) return;
      return this.reply(EVUTIL_EAI_CANCEL, null);
    }
    const family = isV4 ? AF_INET : AF_INET6;
    const list = (addrs as (number | Uint8Array)[]).flatMap((a) =>
      libeventEntries(
        family,
        typeof a === "number" ? bytesOfSAddr(a) : a,
        this.port,
        0,
        this.hints,
      ),
    );
    if (stillWaiting) {
      this.armSkew();
      this.pendingResult = chain(list);
      return;
    }
    const pending = entries(this.takePending());
    this.reply(0, chain(isV4 ? [...list, ...pending] : [...pending, ...list]));
  }

  private takePending(): Addrinfo | null {
    const p = this.pendingResult;
    this.pendingResult = null;
    return p;
  }

  private armSkew(): void {
    this.evbase.add(this.skew, this.dns.allowSkewUs);
  }

  /** The other family took too long: report what arrived, and cancel the straggler. */
  private skewExpired(): void {
    // A base freed without failing its requests answers nothing more (in C this is a use after free).
    if (this.dns.freed) return;
    this.v4?.cancel();
    this.v6?.cancel();
    if (this.pendingResult) this.reply(0, this.takePending());
    else this.reply(this.pendingError || EVUTIL_EAI_AGAIN, null);
  }

  private reply(err: number, res: Addrinfo | null): void {
    this.answered = true;
    this.evbase.del(this.skew);
    this.cb(err, res, this.arg);
  }
}

/**
 * evdns_getaddrinfo. Returns the request, or null when `cb` has already run
 * (synchronously) with the answer or the error.
 */
export function evdnsGetaddrinfo(
  dns: DnsBase,
  evbase: EventBase,
  node: Uint8Array | null,
  serv: Uint8Array | null,
  hintsIn: Hints | null,
  cb: GaiCallback,
  arg: any,
): GaiRequest | null {
  if (hintsIn && hintsIn.ai_flags & EVUTIL_AI_NUMERICHOST) {
    const r = glibcGetaddrinfo(node, serv, hintsIn);
    cb(r.err, r.res, arg);
    return null;
  }
  const hints: Hints = hintsIn
    ? { ...hintsIn }
    : { ai_flags: 0, ai_family: AF_UNSPEC, ai_socktype: 0, ai_protocol: 0 };
  adjustForAddrconfig(hints);
  const c = commonGetaddrinfo(node, serv, hints);
  if (!("resolve" in c)) {
    cb(c.err, c.res, arg);
    return null;
  }
  const name = latin1(node as Uint8Array);
  const hosted = fromHosts(dns, name, hints, c.port);
  if (hosted !== undefined) {
    cb(0, hosted, arg);
    return null;
  }
  const req = new GaiRequest(dns, evbase, hints, c.port, cb, arg);
  if (!req.start(name)) {
    cb(EVUTIL_EAI_FAIL, null, arg);
    return null;
  }
  return req;
}
