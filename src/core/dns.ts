// The engine's asynchronous getaddrinfo for the rest of the package
// (libevent's evutil_getaddrinfo_async_), used by
// bufferevent_socket_connect_hostname:
// - with an evdns base: evdns_getaddrinfo (./dns_getaddrinfo.ts);
// - without one, libevent calls the blocking evutil_getaddrinfo and then the
//   callback, inside the call. Here NULL and numeric hosts (and errors found
//   before any lookup) still answer inside the call, but names go to the
//   system resolver on Node's threadpool and the callback runs later, from
//   the event loop, so the process never blocks on DNS. The answer is the
//   one glibc gives (same resolver, same order).
// Either way a cancelled lookup reports EVUTIL_EAI_CANCEL from the loop.
import { Deferred } from "./callback.js";
import type { EventBase } from "./event_base.js";
import { EVUTIL_EAI_CANCEL, type Addrinfo, type Hints } from "./addrinfo.js";
import { glibcPrepare } from "./addrinfo_glibc.js";
import { lookupAsync } from "./addrinfo_lookup.js";
import type { DnsBase } from "./dns_base.js";
import { evdnsGetaddrinfo } from "./dns_getaddrinfo.js";
import { IPPROTO_TCP, SOCK_STREAM } from "./net_constants.js";

export type AddrinfoCb = (err: number, res: Addrinfo | null) => void;

/** A lookup under way. */
export interface PendingLookup {
  /** Its callback then reports EVUTIL_EAI_CANCEL (from the loop), unless it already ran. */
  cancel(): void;
}

/**
 * Looks up node/serv as evutil_getaddrinfo_async_ does. Returns null when
 * `cb` already ran (synchronously), else the pending lookup; `evbase` is the
 * base whose loop runs the callback when there is no dns base.
 */
export function getaddrinfoAsync(
  evbase: EventBase,
  dns: DnsBase | null,
  node: string,
  serv: string | null,
  hints: Hints,
  cb: AddrinfoCb,
): PendingLookup | null {
  const nodeBytes = Buffer.from(node, "utf8");
  const servBytes = serv === null ? null : Buffer.from(serv, "utf8");
  if (dns) {
    const req = evdnsGetaddrinfo(
      dns,
      dns.eventBase() ?? evbase,
      nodeBytes,
      servBytes,
      hints,
      (e, r) => cb(e, r),
      null,
    );
    return req && { cancel: () => req.cancel() };
  }
  const p = glibcPrepare(nodeBytes, servBytes, hints);
  if (!("finish" in p)) {
    cb(p.err, p.res);
    return null;
  }
  let state: "pending" | "reported" = "pending";
  const report = (err: number, res: Addrinfo | null) => {
    if (state === "reported") return;
    state = "reported";
    evbase.virtualCount--;
    evbase.scheduleDeferred(new Deferred(() => cb(err, res)));
  };
  evbase.virtualCount++;
  lookupAsync(p.name, p.family, p.flags, (r) => {
    const a = p.finish(r);
    report(a.err, a.res);
  });
  return { cancel: () => report(EVUTIL_EAI_CANCEL, null) };
}

/**
 * What bufferevent_socket_connect_hostname asks for: `host` as a TCP stream
 * endpoint of `family` (AF_INET, AF_INET6 or AF_UNSPEC) at `port`.
 */
export function resolveHost(
  evbase: EventBase,
  dns: DnsBase | null,
  host: string,
  port: number,
  family: number,
  cb: AddrinfoCb,
): PendingLookup | null {
  const hints: Hints = {
    ai_family: family,
    ai_socktype: SOCK_STREAM,
    ai_protocol: IPPROTO_TCP,
    ai_flags: 0,
  };
  return getaddrinfoAsync(evbase, dns, host, String(port), hints, cb);
}
