// A nameserver's health, kept as evdns keeps it: a request that times out
// (or gets NOTIMPL or REFUSED) marks its nameserver failed, and from then on
// a timer probes it with an A query for google.com, first after
// initial-probe-timeout, then three times longer after each failed probe (at
// most an hour), until a probe or any request gets an answer from it. The
// timer is an ordinary event: as in libevent, it keeps dispatch running.
import { Event } from "./event.js";
import { EV_TIMEOUT } from "./flags.js";
import { EVENT_LOG_DEBUG, EVENT_LOG_MSG, EVENT_LOG_WARN } from "./log.js";
import type { IpAddr } from "./evutil_sockaddr.js";
import {
  DNS_ERR_CANCEL,
  DNS_ERR_NONE,
  DNS_ERR_NOTEXIST,
  DnsBase,
  dnsLog,
  formatIp,
} from "./dns_base.js";
import { DNS_IPv4_A, DNS_QUERY_NO_SEARCH, DnsRequest } from "./dns_request.js";

const MAX_PROBE_US = 3600e6;
const BACKOFF = 3;

/** nameserver_failed: the first failure logs, and arms the probe timer. */
export function nameserverFailed(dns: DnsBase, ns: IpAddr, msg: string): void {
  const evbase = dns.eventBase();
  if (dns.failing.has(ns) || !evbase || !dns.servers.includes(ns)) return;
  dnsLog(EVENT_LOG_MSG, `Nameserver ${formatIp(ns)} has failed: ${msg}`);
  const timer = new Event(evbase, -1, EV_TIMEOUT, () => sendProbe(dns, ns), null);
  dns.failing.set(ns, { failedTimes: 1, timer, probe: null });
  if (dns.servers.every((s) => dns.failing.has(s)))
    dnsLog(EVENT_LOG_MSG, "All nameservers have failed");
  evbase.add(timer, dns.probeInitialUs);
}

/** nameserver_up: an answer came from `ns`; its probing stops (a probe other than `by` is cancelled). */
export function nameserverUp(dns: DnsBase, ns: IpAddr, by: DnsRequest): void {
  const h = dns.failing.get(ns);
  if (!h) return;
  dnsLog(EVENT_LOG_MSG, `Nameserver ${formatIp(ns)} is back up`);
  dns.failing.delete(ns);
  h.timer.base?.del(h.timer);
  if (h.probe && h.probe !== by) (h.probe as DnsRequest).cancel();
}

/** nameserver_send_probe: in flight at once, whatever max-inflight says. */
function sendProbe(dns: DnsBase, ns: IpAddr): void {
  const h = dns.failing.get(ns);
  const evbase = dns.eventBase();
  if (!h || !evbase) return;
  dnsLog(EVENT_LOG_DEBUG, `Sending probe to ${formatIp(ns)}`);
  const probe = new DnsRequest(
    dns,
    evbase,
    DNS_IPv4_A,
    "google.com",
    DNS_QUERY_NO_SEARCH,
    (result) => probed(dns, ns, probe, result),
    null,
  );
  h.probe = probe;
  dns.inflight.add(probe);
  probe.launch([ns]);
}

/** nameserver_probe_callback: an answer or NXDOMAIN means up; anything else backs off. */
function probed(dns: DnsBase, ns: IpAddr, probe: DnsRequest, result: number): void {
  const h = dns.failing.get(ns);
  if (result === DNS_ERR_CANCEL || !h || h.probe !== probe) return;
  h.probe = null;
  if (result === DNS_ERR_NONE || result === DNS_ERR_NOTEXIST) return nameserverUp(dns, ns, probe);
  const us = Math.min(dns.probeInitialUs * BACKOFF ** h.failedTimes, MAX_PROBE_US);
  h.failedTimes++;
  if (h.timer.base?.add(h.timer, us) !== 0)
    dnsLog(EVENT_LOG_WARN, `Error from libevent when adding timer event for ${formatIp(ns)}`);
}
