// struct evdns_base: the resolver's configuration (nameservers, search
// domains, hosts entries, options) and its queue of requests. The queries
// themselves go through node:dns (c-ares), one Resolver per request
// (./dns_request.ts); this class keeps libevent's bookkeeping: the order of
// the nameserver ring, requests waiting while no nameserver is configured or
// max-inflight are in flight, suspension and resumption, and which
// nameservers have failed (./dns_probe.ts).
import type { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { getCurrentBase } from "./current_base.js";
import { log, EVENT_LOG_DEBUG, EVENT_LOG_WARN } from "./log.js";
import { AF_INET, type IpAddr } from "./evutil_sockaddr.js";
import { formatIPv4, formatIPv6 } from "./sockaddr_text.js";

export const DNS_ERR_NONE = 0;
export const DNS_ERR_FORMAT = 1;
export const DNS_ERR_SERVERFAILED = 2;
export const DNS_ERR_NOTEXIST = 3;
export const DNS_ERR_NOTIMPL = 4;
export const DNS_ERR_REFUSED = 5;
export const DNS_ERR_TRUNCATED = 65;
export const DNS_ERR_UNKNOWN = 66;
export const DNS_ERR_TIMEOUT = 67;
export const DNS_ERR_SHUTDOWN = 68;
export const DNS_ERR_CANCEL = 69;
export const DNS_ERR_NODATA = 70;

const ERR_TEXT: Record<number, string> = {
  [DNS_ERR_NONE]: "no error",
  [DNS_ERR_FORMAT]: "misformatted query",
  [DNS_ERR_SERVERFAILED]: "server failed",
  [DNS_ERR_NOTEXIST]: "name does not exist",
  [DNS_ERR_NOTIMPL]: "query not implemented",
  [DNS_ERR_REFUSED]: "refused",
  [DNS_ERR_TRUNCATED]: "reply truncated or ill-formed",
  [DNS_ERR_UNKNOWN]: "unknown",
  [DNS_ERR_TIMEOUT]: "request timed out",
  [DNS_ERR_SHUTDOWN]: "dns subsystem shut down",
  [DNS_ERR_CANCEL]: "dns request canceled",
  [DNS_ERR_NODATA]: "no records in the reply",
};

export function dnsErrToString(err: number): string {
  return ERR_TEXT[err] ?? "[Unknown error code]";
}

export type DnsLogFn = (is_warning: number, msg: string) => void;
let logFn: DnsLogFn | null = null;

export function setDnsLogFn(fn: DnsLogFn | null): void {
  logFn = fn;
}

/** evdns_log_ at an EVENT_LOG_* severity: to evdns_set_log_fn's callback (is_warning only for warnings), or libevent's log. */
export function dnsLog(severity: number, msg: string): void {
  if (logFn) logFn(severity >= EVENT_LOG_WARN ? 1 : 0, msg);
  else log(severity, msg);
}

/** What the base keeps per queued request (implemented by DnsRequest). */
export interface Queued {
  /** Sends the query; the request is then in flight. */
  launch(server: IpAddr[]): void;
  /** Stops the query in flight; the request waits again. */
  suspend(): void;
  /** The base is being freed: report DNS_ERR_SHUTDOWN (when failing requests) or nothing. */
  shutdown(fail: boolean): void;
}

/** A failed nameserver (./dns_probe.ts): how often it failed, its probe timer, the probe in flight. */
export interface Failing {
  failedTimes: number;
  timer: Event;
  probe: Queued | null;
}

export interface HostEntry {
  name: string;
  addr: IpAddr;
}

export interface SearchState {
  ndots: number;
  /** In the order they are tried. */
  domains: string[];
}

export class DnsBase {
  freed = false;
  /** The nameserver ring, starting at libevent's server_head. */
  servers: IpAddr[] = [];
  search: SearchState | null = null;
  hosts: HostEntry[] = [];
  timeoutMs = 5000;
  attempts = 3;
  maxInflight = 64;
  allowSkewUs = 3_000_000;
  bindTo: IpAddr | null = null;
  probeInitialUs = 10_000_000;
  /** The nameservers marked failed, probed until they answer. */
  readonly failing = new Map<IpAddr, Failing>();
  readonly waiting: Queued[] = [];
  readonly inflight = new Set<Queued>();

  constructor(private readonly evbase: EventBase | null) {}

  /** The event base callbacks run on: the one given, else the current base of event_init. */
  eventBase(): EventBase | null {
    return this.evbase ?? getCurrentBase();
  }

  /** evdns_nameserver_add_impl_: 0, or 3 for a nameserver already present. */
  /**
   * evdns_base_nameserver_sockaddr_add's checks, in libevent's order: the
   * same address again (3), a length beyond sockaddr_storage (2), then a
   * family no UDP socket can be made for (1, with libevent's warning).
   */
  addNameserverSockaddr(ip: IpAddr | null, family: number, len: number): number {
    if (ip && this.servers.some((s) => sameAddr(s, ip))) return 3;
    if (len > 128) {
      dnsLog(EVENT_LOG_DEBUG, `Addrlen ${len} too long.`);
      return 2;
    }
    if (!ip) {
      dnsLog(EVENT_LOG_WARN, `Unable to add nameserver <addr with socktype ${family}>: error 1`);
      return 1;
    }
    return this.addNameserver(ip);
  }

  addNameserver(ip: IpAddr): number {
    if (this.servers.some((s) => sameAddr(s, ip))) return 3;
    // Inserted right after the head of the ring, as libevent links it.
    this.servers.splice(Math.min(1, this.servers.length), 0, ip);
    dnsLog(EVENT_LOG_DEBUG, `Added nameserver ${formatIp(ip)}`);
    return 0;
  }

  clearNameservers(): void {
    this.servers = [];
    this.stopProbing();
    for (const q of [...this.inflight].reverse()) {
      this.inflight.delete(q);
      q.suspend();
      this.waiting.unshift(q);
    }
  }

  /** Queues a new request, sending it at once if a nameserver and room in flight allow. */
  submit(q: Queued): void {
    if (this.servers.length > 0 && this.inflight.size < this.maxInflight) this.launch(q);
    else this.waiting.push(q);
  }

  /** evdns_requests_pump_waiting_queue: sends waiting requests while there is room. */
  pump(): void {
    while (
      this.servers.length > 0 &&
      this.inflight.size < this.maxInflight &&
      this.waiting.length > 0
    )
      this.launch(this.waiting.shift() as Queued);
  }

  /** A request finished or was cancelled: it leaves whichever queue held it. */
  remove(q: Queued): void {
    if (!this.inflight.delete(q)) {
      const i = this.waiting.indexOf(q);
      if (i >= 0) this.waiting.splice(i, 1);
    }
  }

  /** evdns_base_free: every request ends (nothing is sent any more), and so does the configuration. */
  free(failRequests: boolean): void {
    this.servers = [];
    this.stopProbing();
    for (const q of [...this.waiting, ...this.inflight]) q.shutdown(failRequests);
    this.hosts = [];
    this.search = null;
    this.freed = true;
  }

  private launch(q: Queued): void {
    // nameserver_pick: the first good nameserver from the head serves this
    // request and the ring turns past it; with none good, the ring turns
    // once and its new head serves.
    const good = this.servers.findIndex((s) => !this.failing.has(s));
    const turn = (n: number) => this.servers.push(...this.servers.splice(0, n));
    turn(good < 0 ? 1 : good);
    const ring = [...this.servers];
    if (good >= 0) turn(1);
    this.inflight.add(q);
    // The failed ones last: c-ares moves on to them only when the good ones time out.
    q.launch([
      ...ring.filter((s) => !this.failing.has(s)),
      ...ring.filter((s) => this.failing.has(s)),
    ]);
  }

  /** Failed nameservers are forgotten with their probe timers and probes (which report nothing). */
  private stopProbing(): void {
    for (const f of this.failing.values()) {
      f.timer.base?.del(f.timer);
      f.probe?.shutdown(false);
    }
    this.failing.clear();
  }
}

/** evutil_sockaddr_cmp(a, b, 1) == 0: family, address and port. */
export function sameAddr(a: IpAddr, b: IpAddr): boolean {
  return a.family === b.family && a.port === b.port && a.addr.every((v, i) => v === b.addr[i]);
}

/** evutil_format_sockaddr_port_: "1.2.3.4:53" or "[::1]:53". */
export function formatIp(ip: IpAddr): string {
  return ip.family === AF_INET
    ? `${formatIPv4(ip.addr)}:${ip.port}`
    : `[${formatIPv6(ip.addr)}]:${ip.port}`;
}
