// struct evdns_request: one A, AAAA or PTR lookup, asked of the base's
// nameservers through a node:dns Resolver of its own (so cancelling it
// cancels nothing else), walking the search list as evdns does, and
// reporting once, from the event loop, as a deferred callback:
// (result, type, count, ttl, addresses, arg). A request in flight counts as
// a virtual event, keeping the loop (and Node) alive until it reports.
import { Resolver } from "node:dns";
import { Deferred } from "./callback.js";
import type { EventBase } from "./event_base.js";
import { sAddrOf } from "./sockaddr.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "./sockaddr_text.js";
import { AF_INET, type IpAddr } from "./evutil_sockaddr.js";
import { nameserverFailed, nameserverUp } from "./dns_probe.js";
import {
  DNS_ERR_CANCEL,
  DNS_ERR_FORMAT,
  DNS_ERR_NODATA,
  DNS_ERR_NONE,
  DNS_ERR_NOTEXIST,
  DNS_ERR_NOTIMPL,
  DNS_ERR_REFUSED,
  DNS_ERR_SHUTDOWN,
  DNS_ERR_TIMEOUT,
  DNS_ERR_TRUNCATED,
  DNS_ERR_UNKNOWN,
  DnsBase,
  dnsErrToString,
  sameAddr,
  type Queued,
} from "./dns_base.js";

export const DNS_IPv4_A = 1;
export const DNS_PTR = 2;
export const DNS_IPv6_AAAA = 3;
export const DNS_QUERY_NO_SEARCH = 1;

/** evdns returns at most this many addresses of a kind (MAX_V4_ADDRS, MAX_V6_ADDRS). */
const MAX_ADDRS = 32;

/** A, AAAA: addresses as s_addr numbers / 16-byte arrays; PTR: the one name. */
export type DnsAddresses = number[] | Uint8Array[] | string[] | null;
export type DnsCallback = (
  result: number,
  type: number,
  count: number,
  ttl: number,
  addresses: DnsAddresses,
  arg: any,
) => void;

/** c-ares error codes in evdns's terms. */
const ERRORS: Record<string, number> = {
  ENODATA: DNS_ERR_NODATA,
  ENOTFOUND: DNS_ERR_NOTEXIST,
  EFORMERR: DNS_ERR_FORMAT,
  // evdns treats a SERVFAIL as a timeout: it retransmits, then gives up with DNS_ERR_TIMEOUT.
  ESERVFAIL: DNS_ERR_TIMEOUT,
  ENOTIMP: DNS_ERR_NOTIMPL,
  EREFUSED: DNS_ERR_REFUSED,
  EBADRESP: DNS_ERR_TRUNCATED,
  ETIMEOUT: DNS_ERR_TIMEOUT,
  ECONNREFUSED: DNS_ERR_TIMEOUT,
  EBADQUERY: DNS_ERR_FORMAT,
  EBADNAME: DNS_ERR_FORMAT,
  ECANCELLED: DNS_ERR_CANCEL,
  EDESTRUCTION: DNS_ERR_SHUTDOWN,
};

/** Answers after which evdns tries the next search domain (timeouts and server failures end the search). */
const SEARCH_GOES_ON = new Set([
  DNS_ERR_FORMAT,
  DNS_ERR_NOTEXIST,
  DNS_ERR_NOTIMPL,
  DNS_ERR_REFUSED,
  DNS_ERR_TRUNCATED,
  DNS_ERR_UNKNOWN,
  DNS_ERR_NODATA,
]);

/** A name evdns can put in a query: under 256 bytes, labels of at most 63. */
export function validName(name: string): boolean {
  return Buffer.byteLength(name) < 256 && name.split(".").every((l) => Buffer.byteLength(l) <= 63);
}

/** The names a lookup tries, in order (search_request_new / search_try_next). */
function searchNames(dns: DnsBase, name: string, flags: number): string[] {
  const s = dns.search;
  if (flags & DNS_QUERY_NO_SEARCH || !s || s.domains.length === 0) return [name];
  const dots = name.split(".").length - 1;
  // search_make_new cannot append a domain to an empty name: no query at all, unless ndots is 0.
  if (name === "") return dots >= s.ndots ? [name] : [];
  const withDomain = s.domains.map((d) => (name.endsWith(".") ? name : name + ".") + d);
  return dots >= s.ndots ? [name, ...withDomain] : [...withDomain, name];
}

export class DnsRequest implements Queued {
  private names: string[];
  private next = 0;
  private resolver: Resolver | null = null;
  /** Which query is current: answers to older ones are ignored. */
  private attempt = 0;
  private flying = false;
  /** The nameservers the current Resolver asks. */
  private sent: IpAddr[] = [];
  /** evdns reissues a request once (max reissues 1) after a NOTIMPL or REFUSED. */
  private reissued = false;
  /** The callback is scheduled (libevent's pending_cb): cancelling is too late. */
  done = false;

  constructor(
    readonly dns: DnsBase,
    private readonly evbase: EventBase,
    readonly type: number,
    name: string,
    flags: number,
    private readonly cb: DnsCallback,
    private readonly arg: any,
  ) {
    this.names = type === DNS_PTR ? [name] : searchNames(dns, name, flags);
  }

  /** False when the search list leaves no name to ask (evdns then returns NULL). */
  get canQuery(): boolean {
    return this.names.length > 0;
  }

  launch(servers: IpAddr[]): void {
    this.flying = true;
    this.evbase.virtualCount++;
    this.useServers(servers);
    this.query();
  }

  /** A Resolver of this request's own, asking `servers` in order. */
  private useServers(servers: IpAddr[]): void {
    this.resolver?.cancel();
    this.sent = servers;
    const r = new Resolver({ timeout: this.dns.timeoutMs, tries: Math.max(1, this.dns.attempts) });
    r.setServers(
      servers.map((s) =>
        s.family === AF_INET
          ? `${formatIPv4(s.addr)}:${s.port}`
          : `[${formatIPv6(s.addr)}]:${s.port}`,
      ),
    );
    const b = this.dns.bindTo;
    if (b)
      r.setLocalAddress(
        b.family === AF_INET ? formatIPv4(b.addr) : "0.0.0.0",
        b.family === AF_INET ? undefined : formatIPv6(b.addr),
      );
    this.resolver = r;
  }

  suspend(): void {
    this.stop();
  }

  /** Sends the query for the current name of the search list. */
  private query(): void {
    const name = this.names[this.next];
    const attempt = ++this.attempt;
    const r = this.resolver as Resolver;
    const answer = (err: NodeJS.ErrnoException | null, result: DnsAddresses, ttl: number) => {
      if (attempt === this.attempt && this.flying) this.answered(err, result, ttl);
    };
    type Rec = { address: string; ttl: number };
    const take = <T>(e: unknown, recs: Rec[], conv: (a: string) => T) =>
      answer(
        e as NodeJS.ErrnoException | null,
        e ? null : (recs.slice(0, MAX_ADDRS).map((a) => conv(a.address)) as DnsAddresses),
        minTtl(recs),
      );
    const bytes = (a: Uint8Array | null) => a ?? new Uint8Array(16);
    if (this.type === DNS_IPv4_A)
      r.resolve4(name, { ttl: true }, (e, recs) =>
        take(e, recs, (a) => sAddrOf(bytes(parseIPv4(a)))),
      );
    else if (this.type === DNS_IPv6_AAAA)
      r.resolve6(name, { ttl: true }, (e, recs) => take(e, recs, (a) => bytes(parseIPv6(a))));
    else r.resolvePtr(name, (e, names) => answer(e, e ? null : names.slice(0, 1), 0));
  }

  private answered(err: NodeJS.ErrnoException | null, result: DnsAddresses, ttl: number): void {
    if (!err && result && result.length > 0) {
      nameserverUp(this.dns, this.sent[0], this);
      return this.finish(DNS_ERR_NONE, result, ttl);
    }
    const code = err ? (ERRORS[err.code ?? ""] ?? DNS_ERR_UNKNOWN) : DNS_ERR_NODATA;
    // Which of the servers c-ares was given answered is not known: the first is blamed or credited.
    const ns = this.sent[0];
    if (code === DNS_ERR_TIMEOUT) nameserverFailed(this.dns, ns, "request timed out.");
    else if ((code === DNS_ERR_NOTIMPL || code === DNS_ERR_REFUSED) && !this.reissued) {
      nameserverFailed(this.dns, ns, `Bad response ${code} (${dnsErrToString(code)})`);
      // request_reissue: another nameserver gets the query. c-ares already
      // tried the ones it was given, so only those added since are left.
      const fresh = this.dns.servers.filter((s) => !this.sent.some((t) => sameAddr(s, t)));
      this.reissued = true;
      if (fresh.length > 0) {
        this.useServers(fresh);
        return this.query();
      }
    } else if (code !== DNS_ERR_NOTIMPL && code !== DNS_ERR_REFUSED)
      nameserverUp(this.dns, ns, this);
    if (
      SEARCH_GOES_ON.has(code) &&
      this.next + 1 < this.names.length &&
      validName(this.names[this.next + 1])
    ) {
      this.next++;
      return this.query();
    }
    this.finish(code, null, 0);
  }

  /** evdns_cancel_request: reports DNS_ERR_CANCEL unless the callback is already on its way. */
  cancel(): void {
    if (this.done) return;
    this.finish(DNS_ERR_CANCEL, null, 0);
  }

  /** evdns_base_free: reports DNS_ERR_SHUTDOWN when fail_requests, else nothing. */
  shutdown(fail: boolean): void {
    if (this.done) return;
    if (fail) this.finish(DNS_ERR_SHUTDOWN, null, 0);
    else {
      this.done = true;
      this.stop();
      this.dns.remove(this);
    }
  }

  private stop(): void {
    if (!this.flying) return;
    this.flying = false;
    this.evbase.virtualCount--;
    this.resolver?.cancel();
    this.resolver = null;
  }

  /** Schedules the user's callback on the loop, then lets the base send what waits. */
  private finish(result: number, addresses: DnsAddresses, ttl: number): void {
    this.done = true;
    this.stop();
    this.dns.remove(this);
    const type = result === DNS_ERR_NONE ? this.type : 0;
    const count = addresses?.length ?? 0;
    this.evbase.scheduleDeferred(
      new Deferred(() => this.cb(result, type, count, ttl, addresses, this.arg)),
    );
    this.dns.pump();
  }
}

function minTtl(recs: { ttl: number }[] | undefined): number {
  return recs && recs.length ? Math.min(...recs.map((r) => r.ttl)) : 0;
}
