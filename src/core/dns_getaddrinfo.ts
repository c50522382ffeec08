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
import { htons } from "./sockaddr.js";
import {
  DNS_ERR_CANCEL,
  DNS_ERR_NONE,
  DNS_ERR_NOTEXIST,
  DNS_ERR_SHUTDOWN,
  DnsBase,
} from "./dns_base.js";
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
    .filter(
      (h) =>
        !(
          (h.addr.family === AF_INET && f === AF_INET6) ||
          (h.addr.family === AF_INET6 && f === AF_INET)
        ),
    )
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

/** evutil_check_interfaces: a non-local address of each family (not loopback, link-local, multicast, ULA). */
function checkInterfaces(): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) {
      if (a.family === "IPv4") {
        const [b0, b1] = a.address.split(".").map(Number);
        if (!(
          a.address === "0.0.0.0" ||
          b0 === 127 ||
          (b0 === 169 && b1 === 254) ||
          (b0 & 0xf0) === 0xe0
        ))
          v4 = true;
      } else {
        const h = a.address.toLowerCase();
        const first = parseInt(h.split(":")[0] || "0", 16);
        const zeroTop = /^(0*:){4}|^::/.test(h);
        if (!(
          zeroTop ||
          (first & 0xfe00) === 0xfc00 ||
          (first & 0xffc0) === 0xfe80 ||
          (first & 0xffc0) === 0xfec0 ||
          (first & 0xff00) === 0xff00
        ))
          v6 = true;
      }
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

  /** Starts the lookups; false if none could start (a name evdns cannot query). */
  start(name: string): boolean {
    if (!validName(name)) return false;
    const sub = (type: number) => {
      const r: DnsRequest = new DnsRequest(
        this.dns,
        this.evbase,
        type,
        name,
        0,
        (result, _t, count, _ttl, addrs) => this.gotResolve(r, result, count, addrs),
        null,
      );
      this.dns.submit(r);
      return r;
    };
    if (this.hints.ai_family !== AF_INET6) this.v4 = sub(DNS_IPv4_A);
    if (this.hints.ai_family !== AF_INET) this.v6 = sub(DNS_IPv6_AAAA);
    return true;
  }

  /** evdns_getaddrinfo_cancel: the callback then reports EVUTIL_EAI_CANCEL. */
  cancel(): void {
    if (this.finished) return;
    this.evbase.del(this.skew);
    this.userCanceled = true;
    this.v4?.cancel();
    this.v6?.cancel();
  }

  private other(r: DnsRequest): DnsRequest | null {
    return r === this.v4 ? this.v6 : this.v4;
  }

  private gotResolve(r: DnsRequest, result: number, count: number, addrs: unknown): void {
    const isV4 = r === this.v4;
    const other = this.other(r);
    const otherPending = other !== null && !other.done;
    if (isV4) this.v4 = null;
    else this.v6 = null;
    if (!otherPending) this.finished = true;
    // An internal cancel (the skew timer) after the user was already answered.
    if ((result === DNS_ERR_CANCEL && !this.userCanceled) || this.answered) return;

    const err = result === DNS_ERR_NONE ? (count === 0 ? GLIBC_EAI_NODATA : 0) : evdnsToEai(result);
    const stillWaiting = isV4 ? this.v6 !== null : this.v4 !== null;
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
      libeventEntries(family, typeof a === "number" ? bytesOf(a) : a, this.port, 0, this.hints),
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

const bytesOf = (s_addr: number) =>
  Uint8Array.of(s_addr & 0xff, (s_addr >>> 8) & 0xff, (s_addr >>> 16) & 0xff, s_addr >>> 24);

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
    const r = glibcGetaddrinfo(node, serv, { ...hintsIn, ai_flags: hintsIn.ai_flags & 0x7fffffff });
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
